"""Subject access requests (issue 13, item 2): a resident's request for everything held about them,
gathered into one ZIP (a readable summary, the same as JSON, every file), other residents' names
marked for review before release; the one-month clock, its extension, the managers' panel, the
reminders, and who may do any of it."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import services as casework_services
from casework.models import Case
from engagement.models import Response, ResponseComment
from kirklees.audit.models import ReadRecord
from kirklees.notifications.models import Notification
from kirklees.notifications.services import outbound_emails_queue, outbound_emails_send
from kirklees.users.models import User
from pages.sar import clock, services
from pages.sar.models import SarReminder, SubjectAccessRequest

from ..factories.casework import ResidentFactory, make_case
from ..factories.councillors import CouncillorFactory
from ..factories.engagement import ExerciseFactory, ensure_themes
from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory, WardFactory
from ..helpers import d, errors_of
from ..samples import PDF, PNG

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def other_councillor(db):
    return CouncillorFactory(user__full_name="Cllr Elsewhere", ward=WardFactory(name="Almondbury"),
                             advocacy_enrolled=True)


@pytest.fixture
def alice(owner):
    return ResidentFactory(full_name="Alice Example", email="alice@example.org", created_by=owner.user)


@pytest.fixture
def bob(owner):
    """Another resident, on a case of his own: his name in Alice's note is a third party's."""
    bob = ResidentFactory(full_name="Bob Neighbour", created_by=owner.user)
    casework_services.case_create(by=owner.user, resident=bob, ward=owner.ward, category=make_case(owner).category,
                                  summary="Bob's own case")
    return bob


@pytest.fixture
def held(owner, other_councillor, alice, bob, category, manager, client):
    """Alice has data in every table: a case with each councillor, notes, a referral emailed to a
    service and answered, files, a Place Standard comment giving her email, and reads of her cases."""
    mine = casework_services.case_create(by=owner.user, resident=alice, ward=owner.ward, category=category,
                                         summary="Bins not collected", details="Missed three weeks running.")
    casework_services.case_add_note(case=mine, by=owner.user,
                                    text="Her neighbour bob neighbour says the bins were left out too.")
    casework_services.case_add_note(
        case=mine, by=owner.user,
        text="Spoke to Alice Example; Lucy Liaison will chase. Bobby Neighbourhood is not a person.")
    service = ServiceFactory(name="Waste and Recycling")
    referral = casework_services.case_refer_to_service(case=mine, by=owner.user, version=mine.version,
                                                       service=service, details="Please collect the bins at no. 4")
    outbound_emails_send()
    mine.refresh_from_db()
    casework_services.referral_record_response(case=mine, by=owner.user, version=mine.version, referral=referral,
                                               response="Collected on Tuesday; crew reminded.")
    letter = casework_services.case_add_attachment(case=mine, by=owner.user,
                                                   upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf"))
    theirs = casework_services.case_create(
        by=other_councillor.user, ward=other_councillor.ward, category=category, summary="Streetlight out",
        resident_details={"full_name": "A. Example", "address": "4 Hill Road", "postcode": "HD8 0AA",
                          "phone": "01484 000000", "preferred_contact": "phone"})
    # The same person went to a councillor in another ward too; the two records are one resident.
    Case.objects.filter(pk=theirs.pk).update(resident=alice)
    photo = casework_services.case_add_attachment(case=theirs, by=other_councillor.user,
                                                  upload=SimpleUploadedFile("lamp.png", PNG, "image/png"))
    # The escalation's chaser to the service, queued as the ladder queues it (no topic, the case in its subject).
    outbound_emails_queue([(service.confirmed_email, f"Chaser: referral for case {mine.reference}",
                            "We have not had an answer about the bins at no. 4.")])
    outbound_emails_queue([(service.confirmed_email, f"Chaser: referral for case {mine.reference}0",
                            "Someone else's case, whose reference starts the same.")])
    exercise = ExerciseFactory(ward=owner.ward)
    response = Response.objects.create(exercise=exercise, source=Response.Source.ONLINE)
    theme = ensure_themes()[0]
    comment = ResponseComment.objects.create(response=response, exercise=exercise, theme=theme, kind="better",
                                             text="More buses please. Write to me: Alice@Example.org")
    ResponseComment.objects.create(response=response, exercise=exercise, theme=ensure_themes()[1], kind="good",
                                   text="The park is lovely")
    client.force_login(owner.user)
    client.get(mine.get_absolute_url())  # a read of her case, recorded
    return {"mine": mine, "theirs": theirs, "referral": referral, "letter": letter, "photo": photo,
            "comment": comment}


def start(by, resident, received_on=TODAY, **extra) -> SubjectAccessRequest:
    return services.sar_start(by=by, resident=resident, received_on=received_on, **extra)


def download(client, sar) -> zipfile.ZipFile:
    response = client.get(reverse("sar:bundle", kwargs={"pk": sar.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="subject-access-request-{sar.pk}.zip"' in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


# --- the bundle -------------------------------------------------------------------------------------


def test_a_managers_bundle_holds_every_item_held_about_the_resident(client, manager, held, alice):
    sar = start(manager, alice)
    client.force_login(manager)
    bundle = download(client, sar)
    names = set(bundle.namelist())
    assert {"summary.html", "data.json"} <= names
    letter, photo = held["letter"], held["photo"]
    assert bundle.read(f"attachments/{letter.pk}-letter.pdf") == PDF
    assert bundle.read(f"attachments/{photo.pk}-lamp.png") == PNG

    data = json.loads(bundle.read("data.json"))
    assert data["resident"]["full_name"] == "Alice Example" and data["resident"]["email"] == "alice@example.org"
    cases = {c["reference"]: c for c in data["cases"]}
    assert set(cases) == {held["mine"].reference, held["theirs"].reference}  # both councillors' cases
    mine, theirs = cases[held["mine"].reference], cases[held["theirs"].reference]
    assert theirs["councillor"] == "Cllr Elsewhere" and mine["councillor"] == "Cllr Owner"
    assert [n["text"] for n in mine["notes"]][0].startswith("Her neighbour bob neighbour")
    (referral,) = mine["referrals"]
    assert referral["details"] == "Please collect the bins at no. 4"
    assert referral["response"] == "Collected on Tuesday; crew reminded."
    (email,) = referral["emails"]
    assert email["to"] == held["referral"].service.confirmed_email and email["sent_at"]
    assert "Please collect the bins at no. 4" in email["body"]
    assert [(e["subject"], e["body"]) for e in mine["other_emails"]] == [
        (f"Chaser: referral for case {held['mine'].reference}", "We have not had an answer about the bins at no. 4.")]
    assert theirs["other_emails"] == []
    assert [a["file"] for a in mine["attachments"]] == [f"attachments/{letter.pk}-letter.pdf"]
    assert [a["file"] for a in theirs["attachments"]] == [f"attachments/{photo.pk}-lamp.png"]
    timeline = [e["what"] for e in mine["timeline"]]
    assert {"Case created", "Note added", "Referred to a council service", "Referral emailed",
            "Service response recorded", "File added"} <= set(timeline)
    assert [(r["by"], r["what"]) for r in mine["reads"]] == [("Cllr Owner", "Opened the case")]
    (comment,) = data["place_standard_comments"]
    assert comment["text"] == "More buses please. Write to me: Alice@Example.org"
    assert "questionnaires are anonymous" in data["notes"]["place_standard"]

    summary = bundle.read("summary.html").decode()
    assert '<html lang="en-GB">' in summary and "<h1>What is held about Alice Example</h1>" in summary
    for text in ("Missed three weeks running.", "Collected on Tuesday; crew reminded.", "Streetlight out",
                 "More buses please.", "Place Standard questionnaires are anonymous", "letter.pdf", "lamp.png"):
        assert text in summary


def test_the_bundle_lists_the_updates_sent_to_the_resident_and_their_consent(client, manager, owner, liaison, alice,
                                                                             category,
                                                                             django_capture_on_commit_callbacks):
    from kirklees.notifications.updates import updates_send

    with django_capture_on_commit_callbacks(execute=True):
        case = casework_services.case_create(by=owner.user, resident=alice, ward=owner.ward, category=category,
                                             summary="Fence", updates_by=Case.Updates.EMAIL)
        case = casework_services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        casework_services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    assert updates_send().sent == 1
    client.force_login(manager)
    bundle = download(client, start(manager, alice))
    (data,) = json.loads(bundle.read("data.json"))["cases"]
    assert data["consent_to_updates"] == {"by": "By email", "given_at": "2026-12-04T10:00:00+00:00"}
    (update,) = data["updates_to_resident"]
    assert (update["by"], update["to"], update["status"]) == ("Email", "alice@example.org", "sent")
    assert update["said"].startswith(f"Your councillor casework case {case.reference}: the council")
    summary = bundle.read("summary.html").decode()
    assert "Updates sent to the resident (1; they asked for them by email" in summary


def test_each_download_of_a_bundle_is_an_audit_row_with_who_and_how_much(client, manager, held, alice):
    sar = start(manager, alice)
    client.force_login(manager)
    download(client, sar)
    download(client, sar)
    records = ReadRecord.objects.filter(kind=ReadRecord.Kind.SAR_EXPORTED)
    assert records.count() == 2
    record = records.first()
    assert (record.user, record.object_type, record.object_id) == (manager, "sar.subjectaccessrequest", str(sar.pk))
    assert record.rows > 10 and record.path == reverse("sar:bundle", kwargs={"pk": sar.pk})
    page = client.get(sar.get_absolute_url()).content.decode()
    assert page.count("Mark Manager") >= 2  # the downloads, listed on the request's page


def test_a_note_naming_another_resident_is_flagged_for_redaction_and_highlighted(client, manager, held, alice):
    sar = start(manager, alice)
    client.force_login(manager)
    bundle = download(client, sar)
    review = json.loads(bundle.read("data.json"))["redaction_review"]
    named = [item for item in review if item["why"] == "Names another resident"]
    first_note = Case.objects.get(pk=held["mine"].pk).notes.order_by("id").first()
    assert named == [{"where": f"Case {held['mine'].reference}, note {first_note.pk}", "item": "note",
                      "id": first_note.pk, "field": "text", "names": ["bob neighbour"],
                      "why": "Names another resident"}]
    # Files cannot be read for names: each is listed for a person to check.
    assert {item["id"] for item in review if item["item"] == "attachment"} == {held["letter"].pk, held["photo"].pk}
    summary = bundle.read("summary.html").decode()
    assert ('Her neighbour <mark class="redact" title="Another resident\'s name: review before release">'
            "bob neighbour</mark> says") in summary
    # Her own name, a member of staff and a name inside longer words are not another resident's.
    assert "Spoke to Alice Example; Lucy Liaison will chase. Bobby Neighbourhood is not a person." in summary


def test_names_are_found_whole_and_in_any_case_without_a_query_per_text(db, owner, alice):
    from pages.sar.redaction import Marker, other_residents_named

    ResidentFactory(full_name="Ann Lee", created_by=owner.user)
    ResidentFactory(full_name="Mary O'Brien", created_by=owner.user)
    texts = ["Annalee rang", "ANN LEE rang", "mary o'brien wrote", "Alice Example herself"] * 200
    with CaptureQueriesContext(connection) as captured:
        names = other_residents_named(texts, subject=alice)
    assert len(captured) == 1
    assert names == ["Ann Lee", "Mary O'Brien"]
    marker = Marker(names)
    assert marker.found("Annalee rang") == []
    assert marker.found("and ann  lee,") == ["ann lee"]
    assert str(marker.html("<b>Ann Lee</b>")).startswith("&lt;b&gt;<mark")


def test_a_councillors_bundle_covers_only_the_cases_they_hold_and_says_so(client, owner, held, alice):
    sar = start(owner.user, alice)
    assert sar.councillor == owner
    client.force_login(owner.user)
    bundle = download(client, sar)
    data = json.loads(bundle.read("data.json"))
    assert [c["reference"] for c in data["cases"]] == [held["mine"].reference]
    assert data["place_standard_comments"] == []  # the council's, not the councillor's
    assert f"attachments/{held['photo'].pk}-lamp.png" not in bundle.namelist()
    summary = bundle.read("summary.html").decode()
    assert "The cases Cllr Owner holds as the controller of them" in summary
    assert "Streetlight out" not in summary


def test_the_bundle_takes_the_same_queries_for_two_cases_as_for_six(client, manager, owner, category, alice):
    def queries() -> int:
        sar = SubjectAccessRequest.objects.filter(resident=alice).first() or start(manager, alice)
        with CaptureQueriesContext(connection) as captured:
            download(client, sar)
        return len(captured)

    client.force_login(manager)
    for _ in range(2):
        case = casework_services.case_create(by=owner.user, resident=alice, ward=owner.ward, category=category,
                                             summary="Bins")
        casework_services.case_add_note(case=case, by=owner.user, text="A note")
    two = queries()
    for _ in range(4):
        case = casework_services.case_create(by=owner.user, resident=alice, ward=owner.ward, category=category,
                                             summary="Bins")
        casework_services.case_add_note(case=case, by=owner.user, text="A note")
        casework_services.case_add_attachment(case=case, by=owner.user,
                                              upload=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    assert queries() == two


# --- the clock ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("received", "due"), [
    ("2026-01-31", "2026-02-28"),  # the ICO's example: no 31 February, so the month's last day
    ("2028-01-31", "2028-02-29"),  # a leap year
    ("2026-01-29", "2026-02-28"),
    ("2028-01-29", "2028-02-29"),
    ("2026-01-28", "2026-02-28"),
    ("2026-01-15", "2026-02-15"),
    ("2026-03-31", "2026-04-30"),
    ("2026-08-31", "2026-09-30"),
    ("2026-12-04", "2027-01-04"),
    ("2026-12-31", "2027-01-31"),
    ("2026-02-28", "2026-03-28"),
])
def test_a_request_is_due_one_calendar_month_after_it_was_received(received, due):
    assert clock.sar_due_on(datetime.date.fromisoformat(received)) == datetime.date.fromisoformat(due)


@pytest.mark.parametrize(("received", "extended"), [
    ("2026-01-31", "2026-04-28"),  # due 28 February; two months after that
    ("2028-01-31", "2028-04-29"),
    ("2026-12-31", "2027-03-31"),  # due 31 January 2027
    ("2026-10-31", "2027-01-30"),  # due 30 November
    ("2026-11-30", "2027-02-28"),  # due 30 December
])
def test_an_extension_is_two_months_after_the_original_due_date(received, extended):
    assert clock.sar_extended_due_on(datetime.date.fromisoformat(received)) == datetime.date.fromisoformat(extended)


def test_every_day_of_three_years_is_due_on_its_day_next_month_or_that_months_last_day():
    day = datetime.date(2026, 1, 1)
    while day.year < 2029:
        due = clock.sar_due_on(day)
        next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        assert (due.year, due.month) == (next_month.year, next_month.month)
        last = ((next_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)).day
        assert due.day == min(day.day, last)
        day += datetime.timedelta(days=1)


# --- starting one ----------------------------------------------------------------------------------


def test_a_manager_starts_a_request_from_the_case_page_and_sees_its_clock(client, manager, held, alice):
    client.force_login(manager)
    page = client.get(held["mine"].get_absolute_url()).content.decode()
    start_url = reverse("sar:start", kwargs={"resident_id": alice.pk})
    assert f'href="{start_url}"' in page
    response = client.post(start_url, {"received_on": d(datetime.date(2026, 11, 30)),
                                       "how_received": "Letter to the team"})
    sar = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response.url == sar.get_absolute_url()
    assert (sar.received_on, sar.due_on, sar.councillor, sar.started_by) == (
        datetime.date(2026, 11, 30), datetime.date(2026, 12, 30), None, manager)
    page = client.get(sar.get_absolute_url()).content.decode()
    assert "Due Wednesday 30 December 2026" in page and "26 days left." in page
    assert "Download the SAR bundle (ZIP)" in page
    assert "Everything the service holds about the resident" in page


def test_a_date_received_in_the_future_is_refused_and_nothing_is_saved(client, manager, held, alice):
    client.force_login(manager)
    url = reverse("sar:start", kwargs={"resident_id": alice.pk})
    response = client.post(url, {"received_on": d(TODAY + datetime.timedelta(days=1))})
    assert errors_of(response) == {"received_on": ["The date it was received must be today or in the past"]}
    response = client.post(url, {"received_on": "31/02/2026"})
    assert errors_of(response) == {"received_on": ["Enter a real date, like 14/10/2026"]}
    assert not SubjectAccessRequest.objects.exists()


def test_a_councillor_may_start_one_only_for_a_resident_on_a_case_they_hold(client, owner, other_councillor, held,
                                                                            alice, bob):
    client.force_login(other_councillor.user)
    assert client.get(reverse("sar:start", kwargs={"resident_id": bob.pk})).status_code == 404
    assert client.get(reverse("sar:start", kwargs={"resident_id": alice.pk})).status_code == 200  # theirs too
    client.force_login(owner.user)
    assert client.get(reverse("sar:start", kwargs={"resident_id": bob.pk})).status_code == 200
    assert client.get(reverse("sar:start", kwargs={"resident_id": 999999})).status_code == 404


def test_nobody_else_reaches_a_request_and_a_councillor_sees_only_their_own(client, owner, other_councillor, liaison,
                                                                           data_admin, manager, held, alice):
    managers = start(manager, alice)
    owners = start(owner.user, alice)
    detail = lambda sar: reverse("sar:detail", kwargs={"pk": sar.pk})  # noqa: E731
    client.force_login(other_councillor.user)
    assert client.get(detail(owners)).status_code == 404
    assert client.get(reverse("sar:bundle", kwargs={"pk": owners.pk})).status_code == 404
    client.force_login(owner.user)
    assert client.get(detail(owners)).status_code == 200
    assert client.get(detail(managers)).status_code == 404  # the manager's covers cases that are not theirs
    listing = client.get(reverse("sar:list")).content.decode()
    assert f"Request {owners.pk}<" in listing and f"Request {managers.pk}<" not in listing
    for person in (liaison, data_admin):
        client.force_login(person)
        assert client.get(reverse("sar:list")).status_code == 403
        assert client.get(detail(managers)).status_code == 404
        assert client.get(reverse("sar:start", kwargs={"resident_id": alice.pk})).status_code == 404
        assert 'href="/subject-access/' not in client.get(held["mine"].get_absolute_url()).content.decode()
    assert not ReadRecord.objects.filter(kind=ReadRecord.Kind.SAR_EXPORTED).exists()


# --- extension and completion ----------------------------------------------------------------------


def test_an_extension_needs_a_reason_then_moves_the_due_date_once(client, manager, held, alice):
    sar = start(manager, alice, received_on=datetime.date(2026, 11, 30))
    client.force_login(manager)
    url = reverse("sar:extend", kwargs={"pk": sar.pk})
    assert "30 February" not in client.get(url).content.decode()
    response = client.post(url, {"reason": "  "})
    assert errors_of(response) == {"reason": ["Enter why more time is needed"]}
    sar.refresh_from_db()
    assert sar.due_on == datetime.date(2026, 12, 30) and not sar.is_extended
    response = client.post(url, {"reason": "Twelve years of casework across two councillors"})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert (sar.first_due_on, sar.due_on, sar.extended_by) == (
        datetime.date(2026, 12, 30), datetime.date(2027, 2, 28), manager)
    page = client.get(sar.get_absolute_url()).content.decode()
    assert "Due Sunday 28 February 2027" in page and "Extended from 30 December 2026" in page
    # The extension is in the audit trail too, with who made it (the request's table is tracked).
    (change,) = sar.audit_rows.filter(pgh_label="update")
    assert change.pgh_context["user"] == manager.pk and change.due_on == datetime.date(2027, 2, 28)
    response = client.post(url, {"reason": "Again"})
    assert response.status_code == 409
    assert "extended already" in response.content.decode()
    sar.refresh_from_db()
    assert sar.extension_reason == "Twelve years of casework across two councillors"


def test_no_extension_after_the_first_month_has_ended(client, manager, held, alice):
    sar = start(manager, alice, received_on=datetime.date(2026, 10, 31))  # due 30 November
    client.force_login(manager)
    response = client.post(reverse("sar:extend", kwargs={"pk": sar.pk}), {"reason": "Complex"})
    assert errors_of(response) == {"reason": [
        "The time to answer can only be extended within the first month, and that ended on 30 November 2026."]}
    sar.refresh_from_db()
    assert not sar.is_extended and sar.due_on == datetime.date(2026, 11, 30)
    assert "Overdue by 4 days." in client.get(sar.get_absolute_url()).content.decode()


def test_marking_a_request_sent_closes_its_clock(client, manager, held, alice):
    sar = start(manager, alice)
    client.force_login(manager)
    assert client.get(reverse("sar:complete", kwargs={"pk": sar.pk})).status_code == 405
    response = client.post(reverse("sar:complete", kwargs={"pk": sar.pk}))
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == "completed" and sar.completed_by == manager
    page = client.get(sar.get_absolute_url()).content.decode()
    assert "Sent to the resident on 4 December 2026 by Mark Manager." in page
    assert "Mark as sent" not in page
    client.post(reverse("sar:complete", kwargs={"pk": sar.pk}))
    assert SubjectAccessRequest.objects.get().completed_at == sar.completed_at


# --- the managers' panel and the reminders ------------------------------------------------------------


def test_the_managers_queue_shows_how_many_requests_are_open_and_the_next_due(client, manager, liaison, held, alice,
                                                                             bob):
    start(manager, alice, received_on=datetime.date(2026, 12, 1))
    start(manager, bob, received_on=datetime.date(2026, 11, 20))
    done = start(manager, bob)
    services.sar_complete(by=manager, sar=done)
    client.force_login(manager)
    page = client.get(reverse("casework:queue")).content.decode()
    assert "2 subject access requests open</a>, next due 20 December 2026." in page
    assert f'href="{reverse("sar:list")}"' in page
    client.force_login(liaison)
    assert "subject access" not in client.get(reverse("casework:queue")).content.decode()


def test_reminders_go_a_week_and_a_day_before_and_when_overdue_once_each(db, manager, owner, held, alice):
    other_manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Meg Manager")
    UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Gone Manager", is_active=False)
    sar = start(owner.user, alice, received_on=datetime.date(2026, 12, 1))  # due 1 January 2027

    def titles():
        return sorted((n.user.full_name, n.title) for n in Notification.objects.filter(kind__startswith="sar_"))

    assert services.sar_reminders_send(today=datetime.date(2026, 12, 24)) == 0
    assert services.sar_reminders_send(today=datetime.date(2026, 12, 25)) == 1
    assert services.sar_reminders_send(today=datetime.date(2026, 12, 25)) == 0  # run twice: nothing twice
    assert services.sar_reminders_send(today=datetime.date(2026, 12, 27)) == 0
    week = f"Subject access request {sar.pk} is due within a week, on 1 January 2027"
    assert titles() == [("Cllr Owner", week), ("Mark Manager", week), ("Meg Manager", week)]
    assert services.sar_reminders_send(today=datetime.date(2026, 12, 31)) == 1
    assert services.sar_reminders_send(today=datetime.date(2027, 1, 2)) == 1
    assert services.sar_reminders_send(today=datetime.date(2027, 1, 3)) == 0
    assert SarReminder.objects.filter(sar=sar).count() == 3
    notices = Notification.objects.filter(user=other_manager, kind__startswith="sar_").order_by("id")
    assert [n.kind for n in notices] == ["sar_week", "sar_day", "sar_overdue"]
    assert "Alice" not in " ".join(n.title + n.body for n in notices)  # no resident's name in a notice
    assert all(n.url == sar.get_absolute_url() for n in notices)


def test_a_late_first_run_sends_only_the_reminder_that_is_true_now_and_an_answered_request_none(db, manager, alice):
    late = start(manager, alice, received_on=datetime.date(2026, 11, 1))  # due 1 December: overdue
    answered = start(manager, alice, received_on=datetime.date(2026, 11, 2))
    services.sar_complete(by=manager, sar=answered)
    assert services.sar_reminders_send(today=TODAY) == 1
    assert list(SarReminder.objects.values_list("sar_id", "kind")) == [(late.pk, "overdue")]


def test_an_extension_brings_the_reminders_again_for_the_new_date(db, manager, alice):
    sar = start(manager, alice, received_on=datetime.date(2026, 11, 6))  # due 6 December
    assert services.sar_reminders_send(today=TODAY) == 1
    services.sar_extend(by=manager, sar=sar, reason="Complex")  # due 6 February 2027
    assert services.sar_reminders_send(today=datetime.date(2027, 1, 30)) == 1
    assert list(SarReminder.objects.order_by("id").values_list("kind", "due_on")) == [
        ("week", datetime.date(2026, 12, 6)), ("week", datetime.date(2027, 2, 6))]


def test_the_reminders_are_a_scheduled_job_and_a_command(db, manager, alice):
    from django.conf import settings
    from django.core.management import call_command

    assert settings.SCHEDULED_JOBS["sar-reminders"]["task"] == "pages.sar.tasks.sar_reminders"
    start(manager, alice, received_on=datetime.date(2026, 11, 6))
    out = io.StringIO()
    call_command("send_sar_reminders", stdout=out)
    assert out.getvalue().strip() == "1 subject access request reminded about"
