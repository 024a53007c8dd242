"""Bad input is refused with a message beside the field, and nothing is written."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework import services
from casework.models import Attachment, Case, CaseEvent, Resident

from ..factories.casework import ResidentFactory, make_case, walk
from ..helpers import errors_of, new_case_data, resident_data
from ..samples import PDF, PNG


@pytest.fixture
def councillor_client(client, owner):
    client.force_login(owner.user)
    return client


def nothing_written():
    return Case.objects.count() == 0 and Resident.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_councillor_records_a_case_and_the_postcode_is_normalised(councillor_client, ward, category):
    response = councillor_client.post(reverse("casework:case-create"), new_case_data(ward, category))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.resident.postcode == "HD1 2TA" and case.resident.full_name == "Jane Smith"
    assert case.status == Case.Status.OPEN and case.due_date is not None


def test_referring_to_advocacy_while_creating(councillor_client, ward, category):
    councillor_client.post(reverse("casework:case-create"),
                           new_case_data(ward, category, refer_to_advocacy="on"))
    assert Case.objects.get().status == Case.Status.TRIAGE


def test_an_unenrolled_councillor_is_not_offered_advocacy_and_cannot_force_it(client, unenrolled, category):
    client.force_login(unenrolled.user)
    page = client.get(reverse("casework:case-create")).content.decode()
    assert "refer_to_advocacy" not in page
    client.post(reverse("casework:case-create"),
                new_case_data(unenrolled.ward, category, refer_to_advocacy="on"))
    assert Case.objects.get().status == Case.Status.OPEN


def test_an_empty_new_case_form_says_what_is_missing_and_writes_nothing(councillor_client):
    response = councillor_client.post(reverse("casework:case-create"), {})
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors["full_name"] == ["Enter the resident's full name"]
    assert errors["postcode"] == ["Enter a postcode"]
    assert errors["address"] == ["Enter an address"]
    assert errors["summary"] == ["Enter a summary"]
    assert errors["category"] == ["Choose what the case is about"]
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_full_name"' in page
    assert "govuk-error-message" in page
    assert nothing_written()


@pytest.mark.parametrize("field,value,message", [
    ("postcode", "HD1", "Enter a real postcode, like HD1 2TA"),
    ("postcode", "ZZ99 9ZZZ", "Enter a real postcode, like HD1 2TA"),
    ("postcode", "HD1 2TA HD1 2TA", "Postcode must be 10 characters or fewer"),
    ("email", "jane@", "Enter an email address in the correct format, like name@example.com"),
    ("phone", "12345", "Enter a UK phone number, like 01484 221000 or 07700 900 982"),
    ("summary", "x" * 201, "Summary must be 200 characters or fewer"),
    ("full_name", "x" * 151, "Resident's full name must be 150 characters or fewer"),
    ("details", "x" * 5001, "Details must be 5000 characters or fewer"),
    ("priority", "whenever", "Choose a priority"),
    ("category", "999999", "Choose a category from the list"),
])
def test_bad_new_case_input_is_refused_beside_its_field(councillor_client, ward, category, field, value, message):
    response = councillor_client.post(reverse("casework:case-create"),
                                      new_case_data(ward, category, **{field: value}))
    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    assert nothing_written()


def test_a_preferred_contact_needs_its_details(councillor_client, ward, category):
    response = councillor_client.post(reverse("casework:case-create"),
                                      new_case_data(ward, category, preferred_contact="email", email=""))
    assert errors_of(response)["email"] == ["Enter an email address, as they prefer email"]
    assert nothing_written()


def test_the_phone_number_is_required_only_when_phone_is_chosen(councillor_client, ward, category):
    response = councillor_client.post(reverse("casework:case-create"),
                                      new_case_data(ward, category, preferred_contact="phone", phone=""))
    assert errors_of(response)["phone"] == ["Enter a phone number, as they prefer the phone"]
    response = councillor_client.post(reverse("casework:case-create"),
                                      new_case_data(ward, category, preferred_contact="post", phone=""))
    assert response.status_code == 302
    assert Case.objects.get().resident.phone == ""


def test_the_new_case_form_has_no_default_contact_preference_and_reveals_phone_and_email_under_theirs(
        councillor_client):
    html = councillor_client.get(reverse("casework:case-create")).content.decode()
    assert 'name="preferred_contact"' in html
    assert not re.search(r'name="preferred_contact"[^>]*checked', html)
    assert 'data-aria-controls="conditional-id_preferred_contact_1"' in html
    conditional = html.split('id="conditional-id_preferred_contact_1"')[1].split('id="id_preferred_contact_2"')[0]
    assert 'id="id_phone"' in conditional and "(optional)" not in conditional
    assert html.count('id="id_phone"') == 1 and html.count('id="id_email"') == 1


def test_a_resident_who_may_exist_already_is_offered_instead_of_a_duplicate(councillor_client, owner, ward,
                                                                            category):
    existing = make_case(owner, category=category).resident
    data = new_case_data(ward, category, full_name=existing.full_name.upper(), postcode="hd1 2ta")
    response = councillor_client.post(reverse("casework:case-create"), data)
    assert response.status_code == 200
    assert "Say whether this is them" in errors_of(response)["existing_resident"][0]
    assert existing.address.splitlines()[0] in response.content.decode()
    assert Case.objects.count() == 1
    # Typed details survive the question.
    assert 'value="Bins not collected"' in response.content.decode()

    councillor_client.post(reverse("casework:case-create"), {**data, "existing_resident": existing.pk})
    assert Resident.objects.count() == 1 and Case.objects.filter(resident=existing).count() == 2

    councillor_client.post(reverse("casework:case-create"), {**data, "existing_resident": "new"})
    assert Resident.objects.count() == 2


def test_another_councillors_residents_are_never_offered(councillor_client, colleague, ward, category):
    theirs = make_case(colleague, category=category).resident
    data = new_case_data(ward, category, full_name=theirs.full_name, postcode=theirs.postcode)
    response = councillor_client.post(reverse("casework:case-create"), data)
    assert response.status_code == 302
    assert Resident.objects.count() == 2
    # And their record cannot be claimed by posting its id.
    response = councillor_client.post(reverse("casework:case-create"), {**data, "existing_resident": theirs.pk})
    assert Case.objects.filter(resident=theirs).count() == 1


def action(client, case, name, data):
    return client.post(reverse("casework:case-action", args=[case.reference, name]), data)


@pytest.mark.parametrize("name,state,field,message", [
    ("decline", Case.Status.TRIAGE, "reason", "Enter the reason, which the councillor will read"),
    ("request-info", Case.Status.IN_PROGRESS, "request", "Enter what you need from the resident"),
    ("resolve", Case.Status.IN_PROGRESS, "outcome", "Enter the outcome, which the councillor will read"),
    ("refer-to-service", Case.Status.IN_PROGRESS, "service", "Choose a council service"),
])
def test_action_forms_refuse_empty_input(client, case, liaison, name, state, field, message):
    case = walk(case, state, team=liaison)
    client.force_login(liaison)
    response = action(client, case, name, {"version": case.version})
    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    case.refresh_from_db()
    assert case.status == state and not case.referrals.exists()


def test_an_overlong_outcome_is_refused(client, case, liaison):
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)
    client.force_login(liaison)
    response = action(client, case, "resolve", {"version": case.version, "outcome": "x" * 5001})
    assert errors_of(response)["outcome"] == ["What was the outcome? must be 5000 characters or fewer"]


def test_an_illegal_transition_is_explained_and_nothing_changes(councillor_client, case):
    response = action(councillor_client, case, "confirm", {"version": case.version})
    assert response.status_code == 409
    assert "is not possible" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.version == 1


def test_the_second_of_two_editors_is_told_and_keeps_what_they_typed(client, case, owner, liaison):
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)
    seen_version = case.version
    # Lucy saves first.
    services.case_update(case=case, by=liaison, version=seen_version, summary="Edited by Lucy")
    client.force_login(owner.user)
    typed = {"version": seen_version, "summary": "Councillor's careful rewording", "details": "Long notes typed",
             "ward": case.ward_id, "category": case.category_id, "enquiry_type": "complaint",
             "priority": "high"}
    response = action(client, case, "edit", typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this case" in page
    assert "Councillor&#x27;s careful rewording" in page and "Long notes typed" in page
    assert f'name="version" value="{seen_version + 1}"' in page
    case.refresh_from_db()
    assert case.summary == "Edited by Lucy"
    # Sending again, deliberately, now lands.
    response = action(client, case, "edit", {**typed, "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Councillor's careful rewording"
    assert case.events.filter(kind="edited").count() == 2


def test_a_stale_action_is_refused_and_nothing_is_written(client, case, liaison, manager):
    case = walk(case, Case.Status.TRIAGE, team=liaison)
    stale = case.version
    services.case_accept(case=case, by=manager, version=stale, assignee=manager)
    client.force_login(liaison)
    response = action(client, case, "request-info", {"version": stale, "request": "Which street?"})
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert not case.events.filter(kind="info_requested").exists()


def upload(client, case, name, content, content_type="application/pdf"):
    return client.post(reverse("casework:case-add-attachment", args=[case.reference]),
                       {"upload": SimpleUploadedFile(name, content, content_type)})


def test_a_file_is_stored_under_a_random_name_and_downloaded_through_the_case(councillor_client, case):
    response = upload(councillor_client, case, "letter from housing.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert "letter" not in attachment.file.name and attachment.content_type == "application/pdf"
    download = councillor_client.get(reverse("casework:attachment-download",
                                             args=[case.reference, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'attachment; filename="letter from housing.pdf"' in download["Content-Disposition"]
    assert case.events.filter(kind="attachment_added").exists()


def test_a_png_is_accepted_whatever_its_name(councillor_client, case):
    upload(councillor_client, case, "photo.pdf", PNG, "application/pdf")
    assert Attachment.objects.get().content_type == "image/png"


@pytest.mark.parametrize("name,content,message", [
    ("notes.pdf", b"just some text pretending to be a PDF",
     "The selected file must be a PDF, JPEG, PNG or Word document"),
    ("script.png", b"#!/bin/sh\nrm -rf /\n", "The selected file must be a PDF, JPEG, PNG or Word document"),
    ("page.html", b"<html><script>alert(1)</script></html>",
     "The selected file must be a PDF, JPEG, PNG or Word document"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_files_of_the_wrong_type_are_refused_by_content(councillor_client, case, name, content, message):
    response = upload(councillor_client, case, name, content)
    assert response.status_code == 200
    assert errors_of(response)["upload"] == [message]
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(councillor_client, case, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = upload(councillor_client, case, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert errors_of(response)["upload"] == ["The selected file must be smaller than 1 MB"]
    assert not Attachment.objects.exists()


def test_a_note_cannot_be_empty(councillor_client, case):
    response = councillor_client.post(reverse("casework:case-add-note", args=[case.reference]), {"text": "  "})
    assert errors_of(response)["text"] == ["Enter the note"]
    assert not case.notes.exists()


def test_a_note_appears_on_the_timeline(councillor_client, case):
    councillor_client.post(reverse("casework:case-add-note", args=[case.reference]),
                           {"text": "Rang the resident back"})
    page = councillor_client.get(case.get_absolute_url()).content.decode()
    assert "Rang the resident back" in page and "Note added" in page


def test_bulk_assign_with_nothing_ticked_says_so(client, liaison):
    client.force_login(liaison)
    response = client.post(reverse("casework:queue-assign"), {"assignee": liaison.pk}, follow=True)
    assert "Select at least one case to assign" in response.content.decode()


def test_resident_factory_is_valid(db):
    assert ResidentFactory().postcode == "HD1 2TA"


def test_a_councillor_corrects_the_residents_phone_number(councillor_client, case):
    response = action(councillor_client, case, "edit-resident", resident_data(case, phone="07700 900 123"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.resident.phone == "07700 900 123"
    assert case.events.get(kind="edited").text == "Resident's details changed: phone"


def test_renaming_a_resident_keeps_their_cases_findable(councillor_client, case, owner):
    from casework.selectors import cases_search

    action(councillor_client, case, "edit-resident", resident_data(case, full_name="Priya Quarmby"))
    assert list(cases_search(Case.objects.all(), "Quarmby")) == [case]


def test_bad_resident_details_are_refused_and_nothing_changes(councillor_client, case):
    before = case.resident.phone
    response = action(councillor_client, case, "edit-resident", resident_data(case, phone="call me", postcode="x"))
    assert errors_of(response) == {"phone": ["Enter a UK phone number, like 01484 221000 or 07700 900 982"],
                                   "postcode": ["Enter a real postcode, like HD1 2TA"]}
    case.refresh_from_db()
    assert case.resident.phone == before and case.version == 1


def test_line_breaks_are_stored_as_the_user_sees_them(councillor_client, ward, category):
    councillor_client.post(reverse("casework:case-create"),
                           new_case_data(ward, category, address="1 Market Street\r\nHuddersfield"))
    assert Case.objects.get().resident.address == "1 Market Street\nHuddersfield"


def test_my_cases_shows_resolved_cases_until_the_councillor_confirms(councillor_client, case, liaison):
    case = walk(case, Case.Status.RESOLVED, team=liaison)
    assert case.reference in councillor_client.get(reverse("casework:my-cases")).content.decode()
