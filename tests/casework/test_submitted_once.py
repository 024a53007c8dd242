"""Work that must be neither lost nor doubled: a resident's details changed from two cases at once,
and a form sent twice (a double click, Back and send again, two racing requests)."""
import html
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Case, CaseEvent, Note, Resident
from engagement import throttle
from engagement.models import Exercise, Response
from kirklees.govuk.models import SubmissionKey
from kirklees.govuk.submissions import submission_key_new, submission_keys_delete_old
from kirklees.jobs.models import JobRun

from ..factories.casework import make_case
from ..factories.engagement import ExerciseFactory, ensure_themes
from ..helpers import new_case_data, resident_data, run_at_once


def edit_resident(client, case, data):
    return client.post(reverse("casework:case-action", args=[case.reference, "edit-resident"]), data)


def key_on(page: str) -> str:
    marker = 'name="submission_key" value="'
    assert marker in page, "the form carries no submission key"
    return page.split(marker, 1)[1].split('"', 1)[0]


# --- a resident on two cases --------------------------------------------------------------------


def test_two_edits_of_one_resident_from_two_cases_the_second_is_refused_and_the_first_stays(
        client, owner, category):
    first = make_case(owner, category=category)
    second = services.case_create(by=owner.user, resident=first.resident, ward=owner.ward, category=category,
                                  summary="Streetlight out")
    client.force_login(owner.user)
    # Both forms are loaded before either is saved.
    form_one, form_two = resident_data(first), resident_data(second)

    saved = edit_resident(client, first, {**form_one, "phone": "07700 900 111"})
    refused = edit_resident(client, second, {**form_two, "email": "jane@example.org"})

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = html.unescape(refused.content.decode())
    assert "Someone else changed this resident's details while you were working on them" in page
    resident = Resident.objects.get(pk=first.resident_id)
    assert resident.phone == "07700 900 111" and resident.email == ""
    assert resident.version == 2
    second.refresh_from_db()
    assert second.version == 1  # nothing of the refused change landed, not even its timeline event
    assert not second.events.filter(kind=CaseEvent.Kind.EDITED).exists()
    # What they typed is still there, and sending it again (now knowingly) works.
    assert 'value="jane@example.org"' in page
    retried = edit_resident(client, second, {**resident_data(second), "email": "jane@example.org"})
    assert retried.status_code == 302
    resident.refresh_from_db()
    assert resident.email == "jane@example.org" and resident.phone == "07700 900 111"


def test_the_resident_form_carries_the_residents_own_version(client, owner, case):
    client.force_login(owner.user)
    Resident.objects.filter(pk=case.resident_id).update(version=7)
    page = client.get(reverse("casework:case-action", args=[case.reference, "edit-resident"])).content.decode()
    assert 'name="resident_version" value="7"' in page


# --- a new case sent twice ------------------------------------------------------------------------


def test_the_new_case_form_sent_twice_records_one_case(client, owner, ward, category):
    client.force_login(owner.user)
    key = key_on(client.get(reverse("casework:case-create")).content.decode())
    data = new_case_data(ward, category, submission_key=key)

    first = client.post(reverse("casework:case-create"), data)
    again = client.post(reverse("casework:case-create"), data, follow=True)

    case = Case.objects.get()
    assert Resident.objects.count() == 1
    assert first.url == case.get_absolute_url()
    assert again.redirect_chain[-1][0] == case.get_absolute_url()
    assert "This case was recorded when you first sent it" in again.content.decode()


def test_a_new_form_gets_a_new_key_so_a_second_real_case_is_recorded(client, owner, ward, category):
    client.force_login(owner.user)
    for summary in ["Bins not collected", "Streetlight out"]:
        key = key_on(client.get(reverse("casework:case-create")).content.decode())
        client.post(reverse("casework:case-create"), new_case_data(ward, category, summary=summary,
                                                                   existing_resident="new", submission_key=key))
    assert Case.objects.count() == 2


def test_a_refused_new_case_keeps_its_key_and_can_be_sent_again(client, owner, ward, category):
    client.force_login(owner.user)
    key = key_on(client.get(reverse("casework:case-create")).content.decode())
    refused = client.post(reverse("casework:case-create"), new_case_data(ward, category, summary="",
                                                                         submission_key=key))
    assert refused.status_code == 200 and key_on(refused.content.decode()) == key
    assert not SubmissionKey.objects.exists()  # nothing was claimed by a refused form
    client.post(reverse("casework:case-create"), new_case_data(ward, category, submission_key=key))
    assert Case.objects.count() == 1


def test_a_tampered_key_is_refused_with_a_message(client, owner, ward, category):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"),
                           new_case_data(ward, category, submission_key="<script>"))
    assert response.status_code == 200
    assert "This page could not be sent. Reload it and try again" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_racing_sends_of_the_new_case_form_record_one_case_and_one_resident(owner, ward, category):
    data = new_case_data(ward, category, submission_key=submission_key_new())
    clients = [Client() for _ in range(4)]
    for c in clients:
        c.force_login(owner.user)
    statuses = []

    def send(c):
        return lambda: statuses.append(c.post(reverse("casework:case-create"), data).status_code)

    errors = run_at_once(*[send(c) for c in clients])

    assert errors == []
    assert statuses == [302] * 4
    assert Case.objects.count() == 1 and Resident.objects.count() == 1
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CREATED).count() == 1


# --- a note sent twice ---------------------------------------------------------------------------


def test_a_note_sent_twice_is_added_once(client, owner, case):
    client.force_login(owner.user)
    key = key_on(client.get(case.get_absolute_url()).content.decode())
    url = reverse("casework:case-add-note", args=[case.reference])

    client.post(url, {"text": "Rang the resident back", "submission_key": key})
    again = client.post(url, {"text": "Rang the resident back", "submission_key": key}, follow=True)

    assert Note.objects.count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.NOTE_ADDED).count() == 1
    assert "This note was added when you first sent it" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_racing_sends_of_one_note_add_it_once(owner, category):
    case = make_case(owner, category=category)
    data = {"text": "Rang the resident back", "submission_key": submission_key_new()}
    clients = [Client() for _ in range(4)]
    for c in clients:
        c.force_login(owner.user)
    url = reverse("casework:case-add-note", args=[case.reference])

    errors = run_at_once(*[(lambda c=c: c.post(url, data)) for c in clients])

    assert errors == []
    assert Note.objects.filter(case=case).count() == 1


# --- the public survey sent twice ------------------------------------------------------------------


@pytest.fixture
def exercise(ward):
    key = throttle._key(RequestFactory().get("/"))
    cache.delete(key)
    yield ExerciseFactory(ward=ward, title="Dalton 2026", status=Exercise.Status.OPEN)
    cache.delete(key)


def survey_answers(key):
    data = {f"score_{n}": "" for n in range(1, 15)}
    data.update({"score_1": "2", "score_2": "7", "age_band": "", "postcode_district": "", "leave_blank": "",
                 "submission_key": key})
    return data


def test_back_and_send_again_stores_the_survey_once_and_says_so(client, exercise):
    url = reverse("engagement:survey", args=[exercise.token])
    key = key_on(client.get(url).content.decode())

    client.post(url, survey_answers(key))
    again = client.post(url, survey_answers(key), follow=True)

    assert Response.objects.filter(exercise=exercise).count() == 1
    assert again.status_code == 200
    assert "We already had these answers from when you first sent them" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_racing_sends_of_one_survey_store_one_response(ward):
    ensure_themes()
    exercise = ExerciseFactory(ward=ward, status=Exercise.Status.OPEN)
    data = survey_answers(submission_key_new())
    url = reverse("engagement:survey", args=[exercise.token])
    cache.delete(throttle._key(RequestFactory().get("/")))

    errors = run_at_once(*[(lambda: Client().post(url, data)) for _ in range(4)])

    assert errors == []
    assert Response.objects.filter(exercise=exercise).count() == 1


# --- old keys go -----------------------------------------------------------------------------------


def test_keys_older_than_two_days_are_deleted_by_their_job(db, django_capture_on_commit_callbacks):
    from kirklees.govuk.tasks import delete_old_submission_keys

    old = SubmissionKey.objects.create(key=submission_key_new())
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    recent = SubmissionKey.objects.create(key=submission_key_new())

    assert delete_old_submission_keys() == 1
    assert list(SubmissionKey.objects.all()) == [recent]
    assert JobRun.objects.get(name="delete-old-submission-keys").summary == "1 deleted"
    assert submission_keys_delete_old() == 0
