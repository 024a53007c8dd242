"""A councillor's case access follows their term (issue 12): once it ends (its end date is the first
day out of office) they neither read nor record cases, except for reading during the grace period
(COUNCILLOR_READ_GRACE_DAYS); the Support & Liaison Team reads the cases as before."""
import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from casework import escalation, permissions, selectors, services
from casework.models import Case
from kirklees.notifications.models import Notification

from ..factories.casework import make_case, walk
from ..helpers import new_case_data, resident_data
from ..samples import PDF

Status = Case.Status
TODAY = datetime.date(2026, 5, 11)
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 11, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def former_case(owner, category, liaison):
    """An advocacy case with a file, recorded while the owner was in office."""
    case = walk(make_case(owner, category=category), Status.IN_PROGRESS, team=liaison)
    attachment = services.case_add_attachment(
        case=case, by=owner.user, upload=SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"))
    case.refresh_from_db()
    case.attachment = attachment
    return case


def end_term(councillor, on=YESTERDAY):
    councillor.term_start, councillor.term_end = datetime.date(2022, 5, 5), on
    councillor.save()


def download_url(case):
    return reverse("casework:attachment-download", args=[case.reference, case.attachment.pk])


def edit_resident_url(case):
    return reverse("casework:case-action", kwargs={"reference": case.reference, "action": "edit-resident"})


def assert_locked_out(client, councillor, case, category):
    client.force_login(councillor.user)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(edit_resident_url(case)).status_code == 404
    assert client.get(download_url(case)).status_code == 404
    my_cases = client.get(reverse("casework:my-cases"))
    assert my_cases.status_code == 200 and list(my_cases.context["page"]) == []
    assert case.reference not in my_cases.content.decode()
    assert list(client.get(reverse("casework:my-cases"), {"q": case.reference}).context["page"]) == []
    new_case = client.get(reverse("casework:case-create"))
    assert new_case.status_code == 403
    assert "Your term as a councillor has ended" in new_case.content.decode()
    assert "Support &amp; Liaison Team" in new_case.content.decode()
    posted = client.post(reverse("casework:case-create"), new_case_data(councillor.ward, category))
    assert posted.status_code == 403
    assert Case.objects.count() == 1


def test_a_councillor_whose_term_ended_yesterday_cannot_read_their_former_cases_or_record_one(
        client, owner, former_case, category):
    end_term(owner)
    assert_locked_out(client, owner, former_case, category)


def test_a_councillor_whose_term_ends_today_is_already_out_of_office(client, owner, former_case, category):
    end_term(owner, on=TODAY)
    assert_locked_out(client, owner, former_case, category)


def test_a_councillor_whose_term_has_not_begun_cannot_record_a_case(client, owner, category):
    owner.term_start = TODAY + datetime.timedelta(days=3)
    owner.save()
    client.force_login(owner.user)
    response = client.get(reverse("casework:case-create"))
    assert response.status_code == 403 and "Your term has not begun" in response.content.decode()
    with pytest.raises(services.Refused, match="begins on 14 May 2026"):
        services.case_create(by=owner.user, resident_details={"full_name": "Jane Smith", "postcode": "HD1 2TA"},
                             ward=owner.ward, category=category, summary="Bins not collected")


def test_every_casework_fetch_is_empty_for_a_councillor_out_of_office(owner, former_case):
    end_term(owner)
    user = owner.user
    assert permissions.cases_visible_to(user) is None
    assert not permissions.can_view_case(user, former_case)
    assert not selectors.cases_for_user(user).exists()
    assert not selectors.cases_owned_by(user).exists()
    assert not selectors.residents_visible_to(user).exists()
    with pytest.raises(Http404):
        permissions.get_case_for_user(user, former_case.reference)


def test_the_case_service_refuses_a_councillor_whose_term_has_ended(owner, former_case, category):
    end_term(owner)
    with pytest.raises(services.Refused, match="term as a councillor has ended"):
        services.case_create(by=owner.user, resident_details={"full_name": "Jane Smith", "postcode": "HD1 2TA"},
                             ward=owner.ward, category=category, summary="Bins not collected")
    with pytest.raises(PermissionDenied):
        services.case_add_note(case=former_case, by=owner.user, text="Still here")
    assert Case.objects.count() == 1


def test_their_account_and_the_header_offer_no_case_links_once_the_term_has_ended(client, owner, former_case):
    end_term(owner)
    client.force_login(owner.user)
    response = client.get(reverse("account:councillor-account"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your term as a councillor ended on 10 May 2026" in page
    assert reverse("casework:case-create") not in page
    assert reverse("casework:my-cases") not in page
    assert [item["label"] for item in response.context["nav_items"] if "case" in item["label"].lower()] == []


def test_a_councillor_in_office_keeps_their_cases_and_their_links(client, owner, former_case):
    owner.term_start, owner.term_end = datetime.date(2022, 5, 5), TODAY + datetime.timedelta(days=1)
    owner.save()
    client.force_login(owner.user)
    assert client.get(former_case.get_absolute_url()).status_code == 200
    assert client.get(download_url(former_case)).status_code == 200
    assert client.get(reverse("casework:case-create")).status_code == 200
    page = client.get(reverse("account:councillor-account")).content.decode()
    assert reverse("casework:case-create") in page and "term as a councillor ended" not in page
    nav = client.get(reverse("casework:my-cases")).context["nav_items"]
    assert {"My cases", "New case"} <= {item["label"] for item in nav}


def test_the_liaison_team_still_reads_the_cases_of_a_councillor_whose_term_has_ended(
        client, owner, former_case, liaison, manager):
    end_term(owner)
    for member in (liaison, manager):
        client.force_login(member)
        assert client.get(former_case.get_absolute_url()).status_code == 200
        assert client.get(download_url(former_case)).status_code == 200
        queue = client.get(reverse("casework:queue"))
        assert former_case.reference in queue.content.decode()
        account = client.get(reverse("account:councillor-account-for", args=[owner.pk]))
        assert account.status_code == 200 and "term as a councillor ended" not in account.content.decode()
    services.case_add_note(case=former_case, by=liaison, text="Handing over")


def test_a_councillor_whose_term_has_ended_hears_no_more_of_their_former_cases(owner, former_case, liaison):
    end_term(owner)
    Notification.objects.all().delete()
    services.case_resolve(case=former_case, by=liaison, version=former_case.version, outcome="Fixed")
    assert not Notification.objects.filter(user=owner.user).exists()
    assert escalation.digests_send(today=TODAY + datetime.timedelta(days=1)) == 0


def test_a_councillor_in_office_still_hears_of_their_cases(owner, former_case, liaison):
    Notification.objects.all().delete()
    services.case_resolve(case=former_case, by=liaison, version=former_case.version, outcome="Fixed")
    assert Notification.objects.filter(user=owner.user).exists()
    assert escalation.digests_send(today=TODAY + datetime.timedelta(days=1)) == 1


# ---------------------------------------------------------------- the read-only grace period

@pytest.fixture
def three_days_grace(settings):
    settings.COUNCILLOR_READ_GRACE_DAYS = 3


def test_in_the_grace_period_a_former_councillor_may_read_their_cases(client, owner, former_case, three_days_grace):
    end_term(owner)
    client.force_login(owner.user)
    response = client.get(former_case.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert former_case.resident.full_name in page
    assert "You can read your former cases, but not change them, until 12 May 2026" in page
    assert response.context["can"] == set()
    assert client.get(download_url(former_case)).status_code == 200
    assert [case.reference for case in client.get(reverse("casework:my-cases")).context["page"]] == [
        former_case.reference]


def test_in_the_grace_period_a_former_councillor_may_not_change_add_a_note_or_record_a_case(
        client, owner, former_case, category, three_days_grace):
    end_term(owner)
    client.force_login(owner.user)
    version = former_case.version
    assert client.get(edit_resident_url(former_case)).status_code == 403
    changed = resident_data(former_case, full_name="Changed")
    assert client.post(edit_resident_url(former_case), changed).status_code == 403
    assert client.post(reverse("casework:case-add-note", args=[former_case.reference]),
                       {"text": "One more thing"}).status_code == 403
    new_case = client.get(reverse("casework:case-create"))
    assert new_case.status_code == 403 and "until 12 May 2026" in new_case.content.decode()
    assert client.post(reverse("casework:case-create"),
                       new_case_data(owner.ward, category)).status_code == 403
    with pytest.raises(PermissionDenied, match="term as a councillor has ended"):
        services.case_add_note(case=former_case, by=owner.user, text="One more thing")
    with pytest.raises(services.Refused):
        services.case_create(by=owner.user, resident=former_case.resident, ward=owner.ward, category=category,
                             summary="Another")
    former_case.refresh_from_db()
    assert former_case.version == version and former_case.resident.full_name != "Changed"
    assert Case.objects.count() == 1


@pytest.mark.parametrize("day,access", [(datetime.date(2026, 5, 9), "holds"), (datetime.date(2026, 5, 10), "reads"),
                                        (datetime.date(2026, 5, 12), "reads"), (datetime.date(2026, 5, 13), "none")])
def test_three_days_grace_after_a_term_ending_on_10_may_reads_until_12_may(owner, three_days_grace, day, access):
    end_term(owner, on=datetime.date(2026, 5, 10))
    assert permissions.case_access_of(owner, day) == access


def test_with_no_grace_access_ends_on_the_term_end_date(owner):
    end_term(owner, on=datetime.date(2026, 5, 10))
    assert permissions.case_access_of(owner, datetime.date(2026, 5, 9)) == "holds"
    assert permissions.case_access_of(owner, datetime.date(2026, 5, 10)) == "none"


def test_in_the_grace_period_the_daily_digest_still_comes(owner, former_case, liaison, three_days_grace):
    end_term(owner)
    services.case_add_note(case=former_case, by=liaison, text="Rang the service")
    assert escalation.digests_send(today=TODAY + datetime.timedelta(days=1)) == 1


def test_after_the_grace_period_a_former_councillor_reads_nothing(client, owner, former_case, three_days_grace):
    end_term(owner, on=TODAY - datetime.timedelta(days=3))
    client.force_login(owner.user)
    assert client.get(former_case.get_absolute_url()).status_code == 404


def test_the_signed_in_councillor_is_loaded_with_their_term_in_one_query(owner, django_assert_num_queries):
    from config.auth_backends import AuthenticationBackend

    with django_assert_num_queries(1):
        user = AuthenticationBackend().get_user(owner.user.pk)
        assert permissions.case_access_for(user) == permissions.CaseAccess.HOLDS
