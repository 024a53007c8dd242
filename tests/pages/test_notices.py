"""The public notices (issue 13, item 6): the privacy notice and the accessibility statement, read by
anyone without signing in, linked from the foot of every page, and changed by a liaison manager
without a release, in a markup that never lets HTML through."""

import datetime

import pytest
import time_machine
from django.db import InternalError, transaction
from django.urls import reverse

from kirklees.users.models import User
from pages.notices import markup
from pages.notices.models import Notice, NoticeVersion

from ..factories.kirklees import UserFactory
from ..helpers import errors_of

PRIVACY, ACCESSIBILITY = reverse("notices:privacy"), reverse("notices:accessibility")


def edit_url(slug: str) -> str:
    return reverse("notices:edit", kwargs={"slug": slug})


@pytest.fixture
def superuser(db):
    return UserFactory(role="", is_superuser=True, is_staff=True, full_name="Sam Super")


# --- reading ------------------------------------------------------------------------------------------


def test_anyone_reads_the_privacy_notice_without_signing_in(client, db):
    response = client.get(PRIVACY)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Privacy notice: councillor casework</h1>' in page
    assert "Last updated 4 December 2026" in page
    for heading in (
        "Who is responsible for your information",
        "Why we may hold it",
        "How long we keep it",
        "Your rights",
        "How to ask",
    ):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in page
    # The controller in each capacity, the bases, and the condition for elected representatives.
    assert "that councillor is the controller of your case, not the council" in page
    assert "Kirklees Council is the controller of what its team holds" in page
    assert "Schedule 1, paragraph 23" in page
    assert '<a class="govuk-link" href="https://ico.org.uk">ico.org.uk</a>' in page
    assert "Change the privacy notice" not in page


def test_anyone_reads_the_accessibility_statement_in_the_regulations_format(client, db):
    response = client.get(ACCESSIBILITY)
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service&#x27;s accessibility",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in page
    assert '<h3 class="govuk-heading-s">Compliance status</h3>' in page
    assert "This service is partially compliant with the" in page
    assert "Equality and Human Rights Commission (EHRC)" in page and "(ECNI)" in page
    assert "This statement was prepared on 4 December 2026. It was last reviewed on 4 December 2026." in page
    assert "Last updated 4 December 2026" in page


@pytest.mark.parametrize("name", ["account_login", "account_reset_password", "public:ward-list", "notices:privacy"])
def test_the_footer_of_a_public_page_links_to_both_notices(client, db, name):
    page = client.get(reverse(name)).content.decode()
    footer = page[page.index('<footer class="govuk-footer">') :]
    assert f'<a class="govuk-footer__link" href="{PRIVACY}">Privacy notice</a>' in footer
    assert f'<a class="govuk-footer__link" href="{ACCESSIBILITY}">Accessibility statement</a>' in footer


def test_the_footer_of_signed_in_pages_and_error_pages_links_to_both_notices(client, owner, case, settings):
    client.force_login(owner.user)
    for url, status in [
        (reverse("casework:my-cases"), 200),
        (case.get_absolute_url(), 200),
        (reverse("casework:case-create"), 200),
        ("/no-such-page/", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status
        page = response.content.decode()
        assert f'href="{PRIVACY}">Privacy notice</a>' in page, url
        assert f'href="{ACCESSIBILITY}">Accessibility statement</a>' in page, url


# --- who may change them ------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2027, 1, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_liaison_manager_changes_a_notice_and_the_public_reads_it_dated_that_day(client, manager):
    client.force_login(manager)
    page = client.get(edit_url("privacy")).content.decode()
    assert "Who is responsible for your information" in page  # the current text, to edit
    assert "Nobody has changed it yet" in page
    response = client.post(edit_url("privacy"), {"body": "## Who we are\n\nThe council's casework service."})
    assert response.status_code == 302 and response.url == PRIVACY
    version = NoticeVersion.objects.get()
    assert (version.notice, version.number, version.created_by) == ("privacy", 1, manager)
    client.logout()
    page = client.get(PRIVACY).content.decode()
    assert "Last updated 15 January 2027" in page
    assert (
        '<h2 class="govuk-heading-m">Who we are</h2>\n<p class="govuk-body">The council&#x27;s casework service.</p>'
    ) in page
    assert "Who is responsible for your information" not in page
    # The accessibility statement is a notice of its own, untouched.
    assert "Last updated 4 December 2026" in client.get(ACCESSIBILITY).content.decode()


def test_each_change_is_a_new_version_and_the_history_says_who_and_when(client, manager, superuser):
    client.force_login(manager)
    client.post(edit_url("accessibility"), {"body": "First wording."})
    client.force_login(superuser)
    client.post(edit_url("accessibility"), {"body": "Second wording."})
    assert list(NoticeVersion.objects.filter(notice="accessibility").values_list("number", "body")) == [
        (2, "Second wording."),
        (1, "First wording."),
    ]
    page = client.get(edit_url("accessibility")).content.decode()
    assert "2 (shown now)" in page and "Sam Super" in page and "Mark Manager" in page
    assert "Second wording." in client.get(ACCESSIBILITY).content.decode()


def test_saving_the_text_unchanged_or_empty_is_refused(client, manager):
    client.force_login(manager)
    current = client.get(edit_url("privacy")).context["form"].initial["body"]
    response = client.post(edit_url("privacy"), {"body": current})
    assert errors_of(response)["body"] == ["You have not changed the text. Change it, or cancel"]
    response = client.post(edit_url("privacy"), {"body": "  "})
    assert errors_of(response)["body"] == ["Enter the text of the notice"]
    assert not NoticeVersion.objects.exists()


@pytest.mark.parametrize("role", [User.Role.COUNCILLOR, User.Role.LIAISON_OFFICER, User.Role.WARD_DATA_ADMIN])
def test_nobody_else_may_change_a_notice(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(edit_url("privacy")).status_code == 403
    assert client.post(edit_url("privacy"), {"body": "Hacked"}).status_code == 403
    assert not NoticeVersion.objects.exists()
    assert "Change the privacy notice" not in client.get(PRIVACY).content.decode()


def test_the_public_are_sent_to_sign_in_and_an_unknown_notice_is_not_found(client, manager):
    response = client.get(edit_url("privacy"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(manager)
    assert client.get(edit_url("cookies")).status_code == 404
    assert "Change the privacy notice" in client.get(PRIVACY).content.decode()


def test_the_history_cannot_be_rewritten(manager):
    version = NoticeVersion.objects.create(notice=Notice.PRIVACY, number=1, body="Text", created_by=manager)
    with pytest.raises(InternalError), transaction.atomic():
        NoticeVersion.objects.filter(pk=version.pk).update(body="Other text")
    with pytest.raises(InternalError), transaction.atomic():
        version.delete()


# --- the markup: nothing typed is ever HTML --------------------------------------------------------


def test_html_a_manager_types_is_shown_as_text_never_run(client, manager):
    client.force_login(manager)
    body = (
        '<script>alert("x")</script>\n\n## <b>Bold</b> heading\n\n- <img src=x onerror=alert(1)>\n\n'
        "[click me](javascript:alert(1)) and [a page](/privacy/)"
    )
    client.post(edit_url("privacy"), {"body": body})
    page = client.get(PRIVACY).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert "<script>alert" not in main and "<b>" not in main and "<img" not in main
    assert '<p class="govuk-body">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>' in main
    assert '<h2 class="govuk-heading-m">&lt;b&gt;Bold&lt;/b&gt; heading</h2>' in main
    assert "<li>&lt;img src=x onerror=alert(1)&gt;</li>" in main
    assert 'href="javascript' not in main and "[click me](javascript:alert(1))" in main
    assert '<a class="govuk-link" href="/privacy/">a page</a>' in main


def test_the_markup_makes_headings_lists_paragraphs_and_safe_links():
    html = markup.render(
        "# Top\n### Small\nLine one\nline two\n\n- a\n* b\n\n1. first\n2. second\n\n"
        "[mail](mailto:x@example.org) [ph](tel:03031231113) [far](//evil.example) "
        '[quote](https://a.example/"onmouseover=x)'
    )
    assert html.split("\n") == [
        '<h2 class="govuk-heading-m">Top</h2>',
        '<h3 class="govuk-heading-s">Small</h3>',
        '<p class="govuk-body">Line one<br>line two</p>',
        '<ul class="govuk-list govuk-list--bullet"><li>a</li><li>b</li></ul>',
        '<ol class="govuk-list govuk-list--number"><li>first</li><li>second</li></ol>',
        '<p class="govuk-body"><a class="govuk-link" href="mailto:x@example.org">mail</a> '
        '<a class="govuk-link" href="tel:03031231113">ph</a> [far](//evil.example) '
        "[quote](https://a.example/&quot;onmouseover=x)</p>",
    ]
