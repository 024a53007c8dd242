"""Every case view and action, tried as each role: allowed ones work; others get 404 (a case
they have no reason to see) or 403 (a page or action their role does not have)."""

import pytest
from django.urls import reverse

from casework.models import Case, OutcomeCategory
from casework.views import ACTION_VIEWS

from ..factories.casework import make_case, walk
from ..factories.wards import ServiceFactory
from ..samples import PDF

Status = Case.Status


@pytest.fixture
def case_owner_and_others(owner, colleague, liaison, other_liaison, manager, data_admin):
    """The case's owner and everyone else a case is tried as: their colleague in the same ward, their
    liaison officer and another, the liaison manager and the ward data admin."""
    return {
        "owner": owner.user, "colleague": colleague.user, "liaison": liaison,
        "other_liaison": other_liaison, "manager": manager, "data_admin": data_admin,
    }


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def action_url(case, action):
    return reverse("casework:case-action", kwargs={"reference": case.reference, "action": action})


# Who may read an advocacy case, and who may read a case the councillor works alone.
ADVOCACY_READERS = {"owner": 200, "colleague": 404, "liaison": 200, "other_liaison": 200, "manager": 200,
                    "data_admin": 404}
SELF_MANAGED_READERS = {"owner": 200, "colleague": 404, "liaison": 200, "other_liaison": 404,
                        "manager": 200, "data_admin": 404}


@pytest.mark.parametrize("who,expected", ADVOCACY_READERS.items())
def test_advocacy_case_page_is_shown_only_to_those_with_a_reason(
        client, case_owner_and_others, case, liaison, who, expected):
    case = walk(case, Status.TRIAGE, team=liaison)
    response = as_user(client, case_owner_and_others[who]).get(case.get_absolute_url())
    assert response.status_code == expected
    if expected == 200:
        assert case.resident.full_name in response.content.decode()
    else:
        assert case.resident.full_name not in response.content.decode()


@pytest.mark.parametrize("who,expected", SELF_MANAGED_READERS.items())
def test_a_case_without_advocacy_is_shown_to_its_councillor_and_their_liaison_officer(
        client, case_owner_and_others, case, who, expected):
    assert as_user(client, case_owner_and_others[who]).get(case.get_absolute_url()).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in_from_every_case_page(client, case):
    urls = [case.get_absolute_url(), reverse("casework:my-cases"), reverse("casework:queue"),
            reverse("casework:case-create"), action_url(case, "edit"),
            reverse("casework:case-add-attachment", args=[case.reference])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    response = client.post(action_url(case, "refer-to-advocacy"), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_guessing_a_reference_gives_404(client, owner):
    client.force_login(owner.user)
    assert client.get(reverse("casework:case-detail", args=["KC-2026-99999"])).status_code == 404
    assert client.get(reverse("casework:case-detail", args=["not-a-reference"])).status_code == 404


@pytest.mark.parametrize("who,expected", {"owner": 403, "colleague": 403, "liaison": 200, "manager": 200,
                                          "data_admin": 403}.items())
def test_only_the_team_sees_the_advocacy_queue(client, case_owner_and_others, who, expected):
    assert as_user(client, case_owner_and_others[who]).get(reverse("casework:queue")).status_code == expected


@pytest.mark.parametrize("who,expected", {"owner": 200, "liaison": 403, "manager": 403,
                                          "data_admin": 403}.items())
def test_my_cases_and_new_case_are_for_councillors(client, case_owner_and_others, who, expected):
    client = as_user(client, case_owner_and_others[who])
    assert client.get(reverse("casework:my-cases")).status_code == expected
    assert client.get(reverse("casework:case-create")).status_code == expected


def test_my_cases_lists_only_the_councillors_own_cases(client, owner, colleague, category):
    mine = make_case(owner, category=category, summary="Mine: pothole")
    theirs = make_case(colleague, category=category, summary="Theirs: streetlight")
    client.force_login(owner.user)
    page = client.get(reverse("casework:my-cases")).content.decode()
    assert mine.reference in page and theirs.reference not in page


# (action, state the case is in, who tries, expected status). 302 = done; 403 = role never may;
# 404 = cannot see the case; 409 = role may, but not in this state.
ACTION_MATRIX = [
    ("refer-to-advocacy", Status.OPEN, "owner", 302),
    ("refer-to-advocacy", Status.OPEN, "liaison", 403),
    ("refer-to-advocacy", Status.OPEN, "colleague", 404),
    ("refer-to-advocacy", Status.OPEN, "data_admin", 404),
    ("accept", Status.TRIAGE, "liaison", 302),
    ("accept", Status.TRIAGE, "manager", 302),
    ("accept", Status.TRIAGE, "owner", 403),
    ("accept", Status.TRIAGE, "colleague", 404),
    ("accept", Status.IN_PROGRESS, "liaison", 409),
    ("decline", Status.TRIAGE, "owner", 403),
    ("decline", Status.TRIAGE, "other_liaison", 302),
    ("request-info", Status.IN_PROGRESS, "owner", 403),
    ("refer-to-service", Status.IN_PROGRESS, "owner", 403),
    ("refer-to-service", Status.IN_PROGRESS, "data_admin", 404),
    ("resolve", Status.IN_PROGRESS, "owner", 403),
    ("resolve", Status.TRIAGE, "liaison", 409),
    ("confirm", Status.RESOLVED, "liaison", 403),
    ("confirm", Status.RESOLVED, "owner", 302),
    ("confirm", Status.IN_PROGRESS, "owner", 409),
    ("withdraw", Status.IN_PROGRESS, "liaison", 403),
    ("withdraw", Status.IN_PROGRESS, "owner", 302),
    ("reopen", Status.CLOSED, "liaison", 409),  # the team may reopen resolved cases, not closed ones
    ("reopen", Status.CLOSED, "colleague", 404),
    ("reopen", Status.CLOSED, "owner", 302),
    ("assign", Status.IN_PROGRESS, "owner", 403),
    ("assign", Status.IN_PROGRESS, "manager", 302),
    ("edit", Status.IN_PROGRESS, "colleague", 404),
    ("edit", Status.IN_PROGRESS, "manager", 302),
]


def _valid_post(case, action, user, service):
    data = {"version": case.version, "reason": "Because", "request": "A photo", "outcome": "Fixed",
            "assignee": user.pk, "service": service.pk, "details": "Please fix it",
            "outcome_category": OutcomeCategory.objects.order_by("pk").first().pk}
    if action == "edit":
        data.update(summary="New summary", ward=case.ward_id, category=case.category_id,
                    enquiry_type=case.enquiry_type, priority=case.priority)
    return data


@pytest.mark.parametrize("action,state,who,expected", ACTION_MATRIX)
def test_posting_an_action(client, case_owner_and_others, case, liaison, action, state, who, expected):
    service = ServiceFactory()
    case = walk(case, state, team=liaison)
    user = case_owner_and_others[who]
    before = (case.status, case.version, case.events.count())
    response = as_user(client, user).post(action_url(case, action), _valid_post(case, action, user, service))
    assert response.status_code == expected
    case.refresh_from_db()
    if expected == 302:
        assert case.version == before[1] + 1
    else:
        assert (case.status, case.version, case.events.count()) == before


def test_the_case_page_offers_only_the_actions_the_viewer_may_take(client, owner, liaison, case):
    case = walk(case, Status.TRIAGE, team=liaison)
    client.force_login(owner.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Withdraw" in page and ">Accept<" not in page and "Decline" not in page
    client.force_login(liaison)
    page = client.get(case.get_absolute_url()).content.decode()
    assert ">Accept<" in page and "Decline" in page and "Withdraw" not in page


def test_every_action_has_a_form_page_for_who_may_use_it(client, owner, liaison, case):
    client.force_login(owner.user)
    assert client.get(action_url(case, "withdraw")).status_code == 200
    assert client.get(action_url(case, "no-such-action")).status_code == 404
    assert set(ACTION_VIEWS) >= {"accept", "decline", "request_info", "refer_to_service", "record_response",
                                 "resolve", "confirm", "reopen", "withdraw", "edit"}


def test_a_ward_data_admin_cannot_read_or_download_case_files(client, data_admin, owner, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework import services

    pdf = SimpleUploadedFile("letter.pdf", PDF, "application/pdf")
    attachment = services.case_add_attachment(case=case, by=owner.user, upload=pdf)
    client.force_login(data_admin)
    url = reverse("casework:attachment-download", args=[case.reference, attachment.pk])
    assert client.get(url).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_file_cannot_be_fetched_through_another_case(client, owner, colleague, category):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework import services

    theirs = make_case(colleague, category=category)
    mine = make_case(owner, category=category)
    pdf = SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    attachment = services.case_add_attachment(case=theirs, by=colleague.user, upload=pdf)
    client.force_login(owner.user)
    url = reverse("casework:attachment-download", args=[mine.reference, attachment.pk])
    assert client.get(url).status_code == 404


def test_councillors_cannot_post_to_bulk_assign(client, owner, liaison, case):
    case = walk(case, Status.TRIAGE, team=liaison)
    client.force_login(owner.user)
    response = client.post(reverse("casework:queue-assign"), {"cases": [case.pk], "assignee": liaison.pk})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_to is None


def test_the_team_assigns_queue_cases_in_bulk(client, liaison, other_liaison, owner, category):
    cases = [walk(make_case(owner, category=category), Status.TRIAGE, team=liaison) for _ in range(2)]
    client.force_login(liaison)
    response = client.post(reverse("casework:queue-assign"),
                           {"cases": [c.pk for c in cases], "assignee": other_liaison.pk,
                            "next": reverse("casework:queue") + "?status=triage"})
    assert response.status_code == 302 and response.url.endswith("?status=triage")
    assert Case.objects.filter(assigned_to=other_liaison).count() == 2


def test_sensitive_cases_leave_a_trace_when_read(client, owner, category, liaison):
    case = make_case(owner, category=category, sensitive=True)
    case = walk(case, Status.TRIAGE, team=liaison)
    client.force_login(liaison)
    client.get(case.get_absolute_url())
    assert case.events.filter(kind="viewed_sensitive", actor=liaison).count() == 1
