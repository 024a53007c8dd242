"""Who holds a case and on what basis (issue 13, item 1): in which capacity, the UK GDPR Article 6
basis and, for a sensitive case, the Article 9 condition; recorded at intake, shown on the case,
changed with a timeline event; and the resident's consent to share, per referral, where the case is
held on their consent."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from casework import services
from casework.models import Capacity, Case, CaseEvent, Referral, Resident
from kirklees.refusals import Refused

from ..factories.casework import make_case, walk
from ..helpers import errors_of, new_case_data


def action_url(case, name):
    return reverse("casework:case-action", kwargs={"reference": case.reference, "action": name})


def nothing_written():
    return Case.objects.count() == 0 and Resident.objects.count() == 0 and CaseEvent.objects.count() == 0


# --- intake ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "capacity, label, controller",
    [
        ("ward_councillor", "Ward councillor", "the controller is Cllr Owner, as ward councillor"),
        ("council_member", "Member of the council", "the controller is Kirklees Council"),
        ("advocacy", "Advocacy by the council&#x27;s Support &amp; Liaison Team", "the controller is Kirklees Council"),
    ],
)
def test_a_case_recorded_in_each_capacity_says_so_on_the_case_page_and_its_timeline(
    client, owner, ward, category, capacity, label, controller
):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"), new_case_data(ward, category, capacity=capacity))
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.capacity, case.lawful_basis, case.special_category_condition) == (capacity, "public_task", "")
    created = case.events.get(kind=CaseEvent.Kind.CREATED)
    assert created.text.startswith(f"Held by: {Capacity(capacity).label}; Article 6 basis: Public task")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Held by / basis" in page
    assert f"{label}: {controller}" in page
    assert "Article 6 basis: Public task (the councillor&#x27;s role as an elected member)" in page
    assert "Article 9 condition" not in page  # not sensitive


def test_the_new_case_form_offers_each_choice_with_a_hint_and_defaults_a_councillor_to_ward_casework(client, owner):
    client.force_login(owner.user)
    page = client.get(reverse("casework:case-create")).content.decode()
    assert 'id="id_capacity_0" name="capacity" type="radio" value="ward_councillor" checked' in page
    assert 'id="id_lawful_basis_0" name="lawful_basis" type="radio" value="public_task" checked' in page
    assert 'value="elected_representative" checked' in page  # paragraph 23, the default for ward casework
    # Each option's hint is tied to its radio, so a screen reader reads it with the choice.
    assert 'aria-describedby="id_capacity_0-item-hint"' in page
    assert '<div id="id_capacity_0-item-hint" class="govuk-hint govuk-radios__hint">A resident asked you' in page
    assert "Elected representative responding to a request (DPA 2018, Schedule 1, paragraph 23)" in page
    for other in (
        "Explicit consent",
        "Vital interests (Article 9(2)(c))",
        "Safeguarding a child or an adult at risk",
        "Legal claims",
    ):
        assert other in page


def test_the_default_capacity_follows_the_role_of_who_records_it(owner, liaison):
    assert services.capacity_default_for(owner.user) == "ward_councillor"
    assert services.capacity_default_for(liaison) == "advocacy"


def test_a_sensitive_case_is_recorded_with_its_article_9_condition(client, owner, ward, category):
    client.force_login(owner.user)
    client.post(
        reverse("casework:case-create"),
        new_case_data(
            ward, category, sensitive="on", special_category_condition="explicit_consent", lawful_basis="consent"
        ),
    )
    case = Case.objects.get()
    assert (case.sensitive, case.lawful_basis, case.special_category_condition) == (True, "consent", "explicit_consent")
    assert case.resident.lawful_basis == "consent"  # a new resident's details are first held on the case's basis
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Article 9 condition: Explicit consent (Article 9(2)(a))" in page


def test_a_sensitive_case_without_an_article_9_condition_is_refused_and_nothing_is_written(
    client, owner, ward, category
):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"), new_case_data(ward, category, sensitive="on"))
    assert response.status_code == 200
    assert errors_of(response)["special_category_condition"] == [
        "Choose the condition that allows us to hold its sensitive details, or untick ‘It includes sensitive details’"
    ]
    page = response.content.decode()
    assert 'href="#id_special_category_condition_0"' in page  # the error summary links to the question
    assert nothing_written()


def test_the_service_refuses_a_sensitive_case_without_a_condition_too(owner, category):
    with pytest.raises(Refused) as refused:
        make_case(owner, category=category, sensitive=True, special_category_condition="")
    assert refused.value.field == "special_category_condition"
    assert Case.objects.count() == 0


def test_the_database_refuses_a_sensitive_case_without_a_condition_whoever_writes(owner, category):
    case = make_case(owner, category=category, sensitive=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(special_category_condition="")


def test_a_condition_chosen_for_a_case_that_is_not_sensitive_is_not_kept(client, owner, ward, category):
    client.force_login(owner.user)
    client.post(
        reverse("casework:case-create"),
        new_case_data(ward, category, special_category_condition="elected_representative"),
    )
    assert Case.objects.get().special_category_condition == ""


def test_a_made_up_capacity_is_refused(client, owner, ward, category):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"), new_case_data(ward, category, capacity="mayor"))
    assert errors_of(response)["capacity"] == ["Choose who holds this case"]
    assert nothing_written()


# --- changing it ----------------------------------------------------------------------------------


def test_the_owner_changes_how_the_case_is_held_and_the_timeline_says_from_what_to_what(client, owner, case):
    client.force_login(owner.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert action_url(case, "change-basis") in page  # the Change link in the row
    response = client.post(
        action_url(case, "change-basis"),
        {
            "version": case.version,
            "capacity": "council_member",
            "lawful_basis": "legal_obligation",
            "special_category_condition": "",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.capacity, case.lawful_basis) == ("council_member", "legal_obligation")
    event = case.events.get(kind=CaseEvent.Kind.BASIS_CHANGED)
    assert event.actor == owner.user
    assert event.text == (
        "From: Held by: Ward councillor; Article 6 basis: Public task (the councillor's role as an elected member). "
        "To: Held by: Member of the council; Article 6 basis: A legal obligation."
    )
    page = client.get(case.get_absolute_url()).content.decode()
    assert "How the case is held changed" in page
    assert "Member of the council: the controller is Kirklees Council" in page


def test_the_team_may_change_it_on_an_advocacy_case(client, owner, liaison, category):
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    client.force_login(liaison)
    client.post(
        action_url(case, "change-basis"),
        {"version": case.version, "capacity": "advocacy", "lawful_basis": "public_task"},
    )
    case.refresh_from_db()
    assert case.capacity == "advocacy"
    assert case.events.filter(kind=CaseEvent.Kind.BASIS_CHANGED, actor=liaison).count() == 1


def test_sending_it_back_unchanged_records_nothing(client, owner, case):
    client.force_login(owner.user)
    client.post(
        action_url(case, "change-basis"),
        {"version": case.version, "capacity": case.capacity, "lawful_basis": case.lawful_basis},
    )
    assert not case.events.filter(kind=CaseEvent.Kind.BASIS_CHANGED).exists()
    case.refresh_from_db()
    assert case.version == 1


def test_a_sensitive_case_cannot_lose_its_condition(client, owner, category):
    case = make_case(owner, category=category, sensitive=True)
    client.force_login(owner.user)
    response = client.post(
        action_url(case, "change-basis"),
        {
            "version": case.version,
            "capacity": "ward_councillor",
            "lawful_basis": "public_task",
            "special_category_condition": "",
        },
    )
    assert errors_of(response)["special_category_condition"] == [
        "Choose the condition that allows us to hold its sensitive details"
    ]
    case.refresh_from_db()
    assert case.special_category_condition == "elected_representative"
    assert not case.events.filter(kind=CaseEvent.Kind.BASIS_CHANGED).exists()


def test_marking_a_case_sensitive_needs_its_condition_first(client, owner, case):
    client.force_login(owner.user)
    edit = {
        "version": case.version,
        "summary": case.summary,
        "details": "",
        "ward": case.ward_id,
        "category": case.category_id,
        "enquiry_type": case.enquiry_type,
        "priority": case.priority,
        "sensitive": "on",
    }
    response = client.post(action_url(case, "edit"), edit)
    assert "say which condition allows us to hold its sensitive details" in errors_of(response)["sensitive"][0]
    case.refresh_from_db()
    assert not case.sensitive and case.version == 1
    client.post(
        action_url(case, "change-basis"),
        {
            "version": case.version,
            "capacity": "ward_councillor",
            "lawful_basis": "public_task",
            "special_category_condition": "safeguarding",
        },
    )
    case.refresh_from_db()
    client.post(action_url(case, "edit"), {**edit, "version": case.version})
    case.refresh_from_db()
    assert case.sensitive and case.special_category_condition == "safeguarding"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_councillor_who_does_not_own_the_case_gets_404(client, colleague, case, method):
    client.force_login(colleague.user)
    response = getattr(client, method)(
        action_url(case, "change-basis"),
        {"version": case.version, "capacity": "council_member", "lawful_basis": "public_task"},
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.capacity == "ward_councillor"


def test_the_councillors_liaison_officer_may_read_a_case_they_do_not_hold_but_not_change_it(
    client, liaison, case, data_admin
):
    # The owner's liaison officer supports a case the councillor works without advocacy: read, no change.
    client.force_login(liaison)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert (
        client.post(
            action_url(case, "change-basis"),
            {"version": case.version, "capacity": "advocacy", "lawful_basis": "public_task"},
        ).status_code
        == 403
    )
    client.force_login(data_admin)
    assert client.get(action_url(case, "change-basis")).status_code == 404
    case.refresh_from_db()
    assert case.capacity == "ward_councillor" and not case.events.filter(kind=CaseEvent.Kind.BASIS_CHANGED).exists()


# --- consent to share, per referral ---------------------------------------------------------------


def referral_data(case, service, **extra):
    return {
        "version": case.version,
        "service": service.pk,
        "officer": "",
        "details": "Please collect the bin",
        "shared": ["name", "contact"],
        **extra,
    }


@pytest.fixture
def consent_case(owner, category):
    case = make_case(owner, category=category, lawful_basis="consent")
    assert case.needs_consent_to_share
    return case


def test_a_referral_of_a_case_held_on_consent_needs_the_residents_agreement(client, owner, consent_case, service):
    client.force_login(owner.user)
    page = client.get(action_url(consent_case, "refer-to-service")).content.decode()
    assert "The resident agreed to share this with the service" in page
    response = client.post(action_url(consent_case, "refer-to-service"), referral_data(consent_case, service))
    assert errors_of(response)["resident_agreed"] == [
        "Confirm the resident agreed to share this with Waste and Recycling, or do not send the referral"
    ]
    assert not Referral.objects.exists()
    consent_case.refresh_from_db()
    assert consent_case.status == Case.Status.OPEN and consent_case.version == 1


def test_the_residents_agreement_is_recorded_on_the_referral_with_who_and_when(client, owner, consent_case, service):
    client.force_login(owner.user)
    response = client.post(
        action_url(consent_case, "refer-to-service"), referral_data(consent_case, service, resident_agreed="on")
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.resident_agreed is True
    assert referral.consent_recorded_by == owner.user and referral.consent_recorded_at is not None
    page = client.get(consent_case.get_absolute_url()).content.decode()
    assert "The resident agreed to share this with Waste and Recycling (recorded by Cllr Owner" in page


def test_the_service_refuses_a_referral_of_a_consent_case_without_the_agreement(owner, consent_case, service):
    with pytest.raises(Refused) as refused:
        services.case_refer_to_service(
            case=consent_case, by=owner.user, version=consent_case.version, service=service, details="Please fix"
        )
    assert refused.value.field == "resident_agreed"
    assert not Referral.objects.exists()


def test_a_case_on_another_basis_is_not_asked_for_consent(client, owner, case, service):
    client.force_login(owner.user)
    page = client.get(action_url(case, "refer-to-service")).content.decode()
    assert "resident_agreed" not in page
    client.post(action_url(case, "refer-to-service"), referral_data(case, service))
    referral = Referral.objects.get()
    assert referral.resident_agreed is None and referral.consent_recorded_by is None


def test_explicit_consent_for_sensitive_details_also_needs_the_agreement_per_referral(owner, category):
    case = make_case(owner, category=category, sensitive=True, special_category_condition="explicit_consent")
    assert case.lawful_basis == "public_task" and case.needs_consent_to_share


# --- existing rows --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_case_a_capacity_a_basis_and_a_condition_when_sensitive():
    before, after = [("casework", "0010_caseevent_no_truncate")], [("casework", "0013_case_sensitive_has_condition")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("users", "User").objects.create(
        email="cllr@example.org", full_name="Cllr Old", role="councillor"
    )
    ward = old.get_model("wards", "Ward").objects.create(
        name="Dalton", gss_code="E05001390", valid_from=datetime.date(2004, 6, 10)
    )
    councillor = old.get_model("councillors", "Councillor").objects.create(user=user, ward=ward)
    category = old.get_model("casework", "Category").objects.create(name="Housing")
    residents = old.get_model("casework", "Resident").objects
    consenting = residents.create(
        full_name="Ann",
        address="1 Road",
        postcode="HD1 2TA",
        preferred_contact="post",
        lawful_basis="consent",
        created_by=user,
    )
    tasked = residents.create(
        full_name="Bob",
        address="2 Road",
        postcode="HD1 2TA",
        preferred_contact="post",
        lawful_basis="public_task",
        created_by=user,
    )
    OldCase = old.get_model("casework", "Case")
    common = {"ward": ward, "category": category, "owner": councillor, "created_by": user, "summary": "Help"}
    OldCase.objects.create(reference="KC-2026-00001", resident=consenting, **common)
    OldCase.objects.create(reference="KC-2026-00002", resident=tasked, advocacy=True, status="triage", **common)
    OldCase.objects.create(reference="KC-2026-00003", resident=tasked, sensitive=True, **common)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        rows = {
            c.reference: (c.capacity, c.lawful_basis, c.special_category_condition)
            for c in new.get_model("casework", "Case").objects.all()
        }
        assert rows == {
            "KC-2026-00001": ("ward_councillor", "consent", ""),
            "KC-2026-00002": ("advocacy", "public_task", ""),
            "KC-2026-00003": ("ward_councillor", "public_task", "elected_representative"),
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_residents_details_page_no_longer_asks_for_a_basis_of_its_own(client, owner, case):
    # The basis is each case's (a resident may be on cases held on different bases): changed from the case.
    client.force_login(owner.user)
    page = client.get(action_url(case, "edit-resident")).content.decode()
    assert 'name="lawful_basis"' not in page and 'name="full_name"' in page
