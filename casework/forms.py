"""Validation only: every form refuses bad input with a message for the field it is about."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404

from kirklees.govuk.forms import UK_DATE_FORMATS, BaseForm
from kirklees.govuk.submissions import OnceFormMixin
from wards.models import MeetingAction, Service, Ward
from wards.selectors.people import officers_for_referral

from . import permissions, resident_updates
from .models import Capacity, Case, Category, LawfulBasis, OutcomeCategory, Referral, Resident, SpecialCategoryCondition
from .selectors import REFERENCE
from .services import (
    EDITABLE_FIELDS, RESIDENT_FIELDS, SENSITIVE_NEEDS_CONDITION, attachment_check, capacity_default_for,
    residents_matching,
)
from .validators import normalise_phone, normalise_postcode

User = get_user_model()

NEW_RESIDENT = "new"


def team_members():
    return User.objects.filter(role__in=[User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER],
                               is_active=True).order_by("full_name")


def _required(label: str) -> dict:
    return {"required": f"Enter {label}"}


class VersionedForm(BaseForm):
    """Carries the case version the user saw, so that a change made meanwhile is noticed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, user, **kwargs):
        self.case = case
        self.user = user
        kwargs.setdefault("initial", {}).setdefault("version", case.version)
        super().__init__(*args, **kwargs)

    def refresh_version(self, case: Case) -> None:
        """After a conflict: keep what the user typed, but base a deliberate retry on the new version."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = case.version


class ResidentFieldsMixin(BaseForm):
    full_name = forms.CharField(label="Resident's full name", max_length=150,
                                error_messages=_required("the resident's full name"),
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages=_required("a postcode"),
                               widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-10"}))
    address = forms.CharField(label="Address", max_length=500, error_messages=_required("an address"),
                              widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
                              help_text="House number and street, and town")
    # Asked for only when the preference needs it (revealed under its radio); clean() requires it then.
    email = forms.EmailField(label="Email address", required=False, max_length=254,
                             error_messages={
                                 "invalid": "Enter an email address in the correct format, like name@example.com"},
                             widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    phone = forms.CharField(label="Phone number", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off",
                                                          "class": "govuk-input--width-20"}))
    preferred_contact = forms.ChoiceField(
        label="How would they like to be contacted?", choices=Resident.PreferredContact.choices,
        widget=forms.RadioSelect,  # no default: choosing phone must not be what makes a phone number required
        error_messages=_required("how they would like to be contacted") | {
            "invalid_choice": "Choose how they would like to be contacted"},
    )

    conditional_reveals = {"preferred_contact": {Resident.PreferredContact.EMAIL.value: ["email"],
                                                 Resident.PreferredContact.PHONE.value: ["phone"]}}

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone.strip() else ""

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        preferred = cleaned.get("preferred_contact")
        if preferred == "email" and "email" not in self.errors and not cleaned.get("email"):
            self.add_error("email", "Enter an email address, as they prefer email")
        if preferred == "phone" and "phone" not in self.errors and not cleaned.get("phone"):
            self.add_error("phone", "Enter a phone number, as they prefer the phone")
        return cleaned

    RESIDENT_FIELDS = RESIDENT_FIELDS

    def resident_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.RESIDENT_FIELDS}


class CaseFieldsMixin(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label="Ward",
                                  error_messages={"required": "Choose a ward",
                                                  "invalid_choice": "Choose a ward from the list"})
    category = forms.ModelChoiceField(queryset=Category.objects.all(), label="What is it about?",
                                      empty_label="Choose a category",
                                      error_messages={"required": "Choose what the case is about",
                                                      "invalid_choice": "Choose a category from the list"})
    summary = forms.CharField(label="Summary", max_length=200,
                              help_text="One line, e.g. “Bins not collected on Park Road for 3 weeks”",
                              error_messages=_required("a summary"))
    details = forms.CharField(label="Details (optional)", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    enquiry_type = forms.ChoiceField(label="Type of enquiry", choices=Case.EnquiryType.choices,
                                     widget=forms.RadioSelect, initial=Case.EnquiryType.MEMBER_ENQUIRY,
                                     error_messages={"required": "Choose the type of enquiry",
                                                     "invalid_choice": "Choose the type of enquiry"})
    priority = forms.ChoiceField(label="Priority", choices=Case.Priority.choices, widget=forms.RadioSelect,
                                 initial=Case.Priority.NORMAL,
                                 error_messages={"required": "Choose a priority",
                                                 "invalid_choice": "Choose a priority"})
    sensitive = forms.BooleanField(
        label="It includes sensitive details (health, benefits, housing need and the like)", required=False,
    )

    def clean_summary(self):
        return " ".join(self.cleaned_data["summary"].split())


# What each choice means, in plain English, under its radio (GOV.UK radios with hints).
CAPACITY_HINTS = {
    Capacity.WARD_COUNCILLOR: "A resident asked you, as one of their ward councillors, for help. You decide what "
                              "happens to their details: you are the controller of this casework, not the council.",
    Capacity.COUNCIL_MEMBER: "You hold it for the council, for example as a cabinet member or on a committee. "
                             "The council is the controller.",
    Capacity.ADVOCACY: "The council’s Support & Liaison Team works the case for the councillor. The council is "
                       "the controller of what its team holds.",
}
BASIS_HINTS = {
    LawfulBasis.PUBLIC_TASK: "The usual basis: helping residents who ask is part of the role of an elected member "
                             "(UK GDPR Article 6(1)(e)).",
    LawfulBasis.CONSENT: "They agreed to us holding their details for this case, and can change their mind at any "
                         "time (Article 6(1)(a)). Each referral will ask whether they agreed to share it with that "
                         "service.",
    LawfulBasis.VITAL_INTERESTS: "Only to protect someone’s life or safety when there is no time or way to ask "
                                 "them (Article 6(1)(d)).",
    LawfulBasis.LEGAL_OBLIGATION: "The law requires it, for example a court order or a statutory duty "
                                  "(Article 6(1)(c)).",
}
CONDITION_HINTS = {
    SpecialCategoryCondition.ELECTED_REPRESENTATIVE: "The usual one for ward casework: the resident, or someone for "
                                                     "them, asked for help and the sensitive details are needed to "
                                                     "give it.",
    SpecialCategoryCondition.EXPLICIT_CONSENT: "They clearly agreed to us holding these sensitive details, and can "
                                               "change their mind at any time.",
    SpecialCategoryCondition.VITAL_INTERESTS: "To protect someone’s life when they cannot agree, for example "
                                              "because they are too unwell.",
    SpecialCategoryCondition.SAFEGUARDING: "To protect a child or an adult at risk from harm or neglect, when "
                                           "asking them would put them at risk.",
    SpecialCategoryCondition.LEGAL_CLAIMS: "Needed for a legal claim or court proceedings.",
}


class BasisFieldsMixin(BaseForm):
    """In which capacity the case is held, its Article 6 basis and, if sensitive, its Article 9 condition."""

    capacity = forms.ChoiceField(
        label="Who holds this case?", choices=Capacity.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose who holds this case", "invalid_choice": "Choose who holds this case"})
    lawful_basis = forms.ChoiceField(
        label="Why may we hold their details?", choices=LawfulBasis.choices, widget=forms.RadioSelect,
        initial=LawfulBasis.PUBLIC_TASK,
        error_messages={"required": "Choose why we may hold their details",
                        "invalid_choice": "Choose why we may hold their details"})
    special_category_condition = forms.ChoiceField(
        label="If it includes sensitive details, what allows us to hold them?", required=False,
        choices=SpecialCategoryCondition.choices, widget=forms.RadioSelect,
        initial=SpecialCategoryCondition.ELECTED_REPRESENTATIVE,
        help_text="Health, benefits, housing need and the like are special category data: the law asks for one of "
                  "these as well. It is only recorded for a case marked sensitive.",
        error_messages={"invalid_choice": "Choose a condition from the list"})

    option_hints = {"capacity": CAPACITY_HINTS, "lawful_basis": BASIS_HINTS,
                    "special_category_condition": CONDITION_HINTS}


UPDATES_CHOICES = [(Case.Updates.NONE.value, "No, do not send updates"),
                   (Case.Updates.EMAIL.value, "Yes, by email"),
                   (Case.Updates.SMS.value, "Yes, by text message")]


def _updates_field(label: str = "Does the resident want to be told when the case moves on?"):
    return forms.ChoiceField(
        label=label, choices=UPDATES_CHOICES, widget=forms.RadioSelect, initial=Case.Updates.NONE,
        required=False,  # not answered (a form from before it was asked): no updates, the default
        error_messages={"required": "Choose whether to send the resident updates",
                        "invalid_choice": "Choose whether to send the resident updates"})


class UpdatesFieldMixin(BaseForm):
    """The resident's consent to updates. The address is their record's (the email or phone above)."""

    updates_by = _updates_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["updates_by"].help_text = resident_updates.updates_choice_hint()

    def clean_updates_by(self):
        return self.cleaned_data["updates_by"] or Case.Updates.NONE

    def check_updates_address(self, cleaned, *, email: str, phone: str) -> None:
        choice = cleaned.get("updates_by")
        problem = resident_updates.address_problem(choice, email=email, phone=phone) if choice else ""
        if problem and "updates_by" not in self.errors:
            self.add_error("updates_by", problem)


class CaseCreateForm(OnceFormMixin, UpdatesFieldMixin, BasisFieldsMixin, ResidentFieldsMixin, CaseFieldsMixin):
    """The whole new case on one page, so a councillor can record it in under a minute."""

    existing_resident = forms.ChoiceField(label="Is this the same person?", required=False,
                                          widget=forms.RadioSelect)
    refer_to_advocacy = forms.BooleanField(label="Refer it to the advocacy service now", required=False)

    field_order = ["submission_key", "full_name", "postcode", "existing_resident", "address", "email", "phone",
                   "preferred_contact", "ward", "category", "summary", "details",
                   "enquiry_type", "priority", "sensitive", "capacity", "lawful_basis", "special_category_condition",
                   "refer_to_advocacy", "updates_by"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        councillor = user.councillor
        kwargs.setdefault("initial", {}).setdefault("ward", councillor.ward_id)
        kwargs["initial"].setdefault("capacity", capacity_default_for(user))
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.latest_arrangement()
        self.fields["ward"].empty_label = None
        if not councillor.may_refer_to_advocacy():
            del self.fields["refer_to_advocacy"]
        # Offer the residents we may already hold before validation, so the choice can be checked.
        self.matches = self._possible_matches() if self.is_bound else []
        self.fields["existing_resident"].choices = [
            (str(r.pk), f"Yes, {r.full_name}, {r.address.splitlines()[0]}, {r.postcode}") for r in self.matches
        ] + [(NEW_RESIDENT, "No, this is someone else")]
        self.fields["existing_resident"].error_messages["invalid_choice"] = "Choose one of the records listed"

    def _possible_matches(self) -> list[Resident]:
        name = " ".join(self.data.get(self.add_prefix("full_name"), "").split())
        try:
            postcode = normalise_postcode(self.data.get(self.add_prefix("postcode"), ""))
        except ValidationError:
            return []
        if not name:
            return []
        return list(residents_matching(by=self.user, full_name=name, postcode=postcode))

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("existing_resident")
        if self.matches and not choice and "existing_resident" not in self.errors:
            self.add_error("existing_resident",
                           "We already hold a resident with this name and postcode. Say whether this is them")
        cleaned["existing_resident"] = next((r for r in self.matches if str(r.pk) == choice), None)
        known = cleaned["existing_resident"]
        if known is not None:  # their record's details are the ones used
            self.check_updates_address(cleaned, email=known.email, phone=known.phone)
        elif "email" not in self.errors and "phone" not in self.errors:
            self.check_updates_address(cleaned, email=cleaned.get("email", ""), phone=cleaned.get("phone", ""))
        if not cleaned.get("sensitive"):
            cleaned["special_category_condition"] = ""
        elif not cleaned.get("special_category_condition") and "special_category_condition" not in self.errors:
            self.add_error("special_category_condition", SENSITIVE_NEEDS_CONDITION)
        return cleaned


class CaseEditForm(VersionedForm, CaseFieldsMixin):
    def __init__(self, *args, case: Case, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in EDITABLE_FIELDS:
            value = getattr(case, name)
            initial.setdefault(name, value.pk if hasattr(value, "pk") else value)
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=[case.ward_id])
        self.fields["ward"].empty_label = None
        self.fields["details"].label = "Details"

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ["version", *EDITABLE_FIELDS]}


class CaseBasisForm(VersionedForm, BasisFieldsMixin):
    """Change how the case is held. A sensitive case must keep a condition; any other may have none."""

    def __init__(self, *args, case: Case, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in ("capacity", "lawful_basis", "special_category_condition"):
            initial.setdefault(name, getattr(case, name))
        super().__init__(*args, case=case, user=user, **kwargs)
        field = self.fields["special_category_condition"]
        if case.sensitive:
            field.label = "What allows us to hold its sensitive details?"
            field.help_text = "This case is marked sensitive, so the law asks for one of these."
        else:
            field.label = "If it is marked sensitive, what will allow us to hold its sensitive details? (optional)"
            field.help_text = "This case is not marked sensitive. Choose one before you mark it so."

    def clean(self):
        cleaned = super().clean()
        if self.case.sensitive and not cleaned.get("special_category_condition") and \
                "special_category_condition" not in self.errors:
            self.add_error("special_category_condition",
                           "Choose the condition that allows us to hold its sensitive details")
        return cleaned

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name]
                for name in ("version", "capacity", "lawful_basis", "special_category_condition")}


class CaseUpdatesForm(VersionedForm, UpdatesFieldMixin):
    """Change or withdraw the resident's consent to updates, from the case page."""

    def __init__(self, *args, case: Case, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("updates_by", case.updates_by)
        super().__init__(*args, case=case, user=user, **kwargs)
        self.fields["updates_by"].label = "Does the resident want to be told when the case moves on?"

    def clean(self):
        cleaned = super().clean()
        resident = self.case.resident
        self.check_updates_address(cleaned, email=resident.email, phone=resident.phone)
        return cleaned

    def service_kwargs(self) -> dict:
        return {"version": self.cleaned_data["version"], "updates_by": self.cleaned_data["updates_by"]}


class ResidentEditForm(VersionedForm, ResidentFieldsMixin):
    # The resident's own version: they may be on other cases, edited from there meanwhile.
    resident_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.RESIDENT_FIELDS:
            initial.setdefault(name, getattr(case.resident, name))
        initial.setdefault("resident_version", case.resident.version)
        super().__init__(*args, case=case, user=user, **kwargs)

    def refresh_version(self, case: Case) -> None:
        super().refresh_version(case)
        case.resident.refresh_from_db()
        self.data[self.add_prefix("resident_version")] = case.resident.version

    def service_kwargs(self) -> dict:
        return {"version": self.cleaned_data["version"],
                "resident_version": self.cleaned_data["resident_version"], **self.resident_details()}


def _text(label: str, error: str, *, max_length: int = 5000, help_text: str = "", rows: int = 4):
    return forms.CharField(label=label, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": error,
                                           "max_length": f"{label} must be {max_length} characters or fewer"})


class ConfirmForm(VersionedForm):
    """An action with nothing to type: the button is the confirmation."""


class AcceptForm(VersionedForm):
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), label="Who will work on it?",
                                      error_messages={"required": "Choose who will work on it",
                                                      "invalid_choice": "Choose someone from the team"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = team_members()
        self.fields["assignee"].empty_label = None
        self.initial.setdefault("assignee", self.case.assigned_to_id or self.user.pk)


class AssignForm(AcceptForm):
    pass


class DeclineForm(VersionedForm):
    reason = _text("Why is the advocacy service declining it?", "Enter the reason, which the councillor will read")


class RequestInfoForm(VersionedForm):
    request = _text("What do you need from the resident?", "Enter what you need from the resident")


class InfoReceivedForm(VersionedForm):
    information = _text("What did the resident tell you?", "Enter what the resident told you")


class ReferToServiceForm(VersionedForm):
    """The service and, optionally, a named officer from the People Finder.

    Officers are offered grouped by their service; choosing only an officer refers to their
    service. Officers who cover the case's ward say so, as they are usually the right person.
    """

    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True), label="Council service",
                                     empty_label="Choose a service", required=False,
                                     error_messages={"invalid_choice": "Choose a service from the list"})
    officer = forms.ChoiceField(label="Named officer (optional)", required=False,
                                help_text="From the People Finder, listed under their service. Leave empty to "
                                          "send it to the service's usual address only.",
                                error_messages={"invalid_choice": "Choose an officer from the list"})
    details = _text("What are you asking the service to do?", "Enter what you are asking the service to do")
    shared = forms.MultipleChoiceField(
        label="Which of the resident's details does the service need?", required=False,
        choices=Referral.Shared.choices, widget=forms.CheckboxSelectMultiple, initial=Referral.DEFAULT_SHARED,
        help_text="The email to the service carries what you ask, the case reference and only the details you "
                  "tick. The case's own details and anything sensitive are never sent.",
        error_messages={"invalid_choice": "Choose details from the list"})
    # Only on a case held on the resident's consent (removed otherwise).
    resident_agreed = forms.BooleanField(
        label="The resident agreed to share this with the service", required=False,
        help_text="This case is held on the resident’s consent, so it is shared only with a service they agreed to. "
                  "Your name and today’s date are recorded with it.")

    RESIDENT_AGREED_MISSING = "Confirm the resident agreed to share this with the service, or do not send the referral"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.case.needs_consent_to_share:
            del self.fields["resident_agreed"]
        officers = list(officers_for_referral(ward_id=self.case.ward_id))
        self.officers = {str(o.pk): o for o in officers}
        groups: dict[str, list] = {}
        for o in officers:
            where = (" (Kirklees-wide)" if o.kirklees_wide
                     else f" (works in {self.case.ward.name})" if o.works_in_ward else "")
            groups.setdefault(o.service.name, []).append((str(o.pk), f"{o.full_name}, {o.job_title}{where}"))
        self.officer_groups = list(groups.items())
        self.fields["officer"].choices = [("", "No named officer")] + self.officer_groups

    def clean_officer(self):
        return self.officers.get(self.cleaned_data["officer"])

    def clean(self):
        cleaned = super().clean()
        service, officer = cleaned.get("service"), cleaned.get("officer")
        if "service" in self.errors:
            return cleaned
        if service is None and officer is not None:
            cleaned["service"] = officer.service
        elif service is None:
            self.add_error("service", "Choose a council service")
        elif officer is not None and officer.service_id != service.pk:
            self.add_error("officer", f"Choose an officer from {service.name}, or no named officer")
        if "resident_agreed" in self.fields and not cleaned.get("resident_agreed"):
            service = cleaned.get("service")
            self.add_error("resident_agreed", self.RESIDENT_AGREED_MISSING.replace(
                "the service,", f"{service.name}," if service else "the service,"))
        return cleaned


class MeetingActionLinkForm(BaseForm):
    """A case reference to link to a ward meeting action. A case the user cannot see reads as missing."""

    reference = forms.CharField(label="Case reference", max_length=30,
                                help_text="For example, KC-2026-00042",
                                error_messages={"required": "Enter the reference of the case to link"},
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                              "spellcheck": "false", "autocomplete": "off"}))

    NOT_FOUND = "There is no case of yours with that reference. Check it and try again"

    def __init__(self, *args, user, action: MeetingAction, **kwargs):
        self.user = user
        self.action = action
        super().__init__(*args, **kwargs)

    def clean_reference(self):
        match = REFERENCE.match(self.cleaned_data["reference"])
        if not match:
            raise ValidationError("Enter a case reference like KC-2026-00042")
        reference = f"KC-{match.group(2)}-{int(match.group(3)):05d}"
        try:
            case = permissions.get_case_for_user(self.user, reference)
        except Http404:
            raise ValidationError(self.NOT_FOUND) from None
        if not permissions.may(self.user, "edit", case):
            raise ValidationError("You cannot change that case, so you cannot link it")
        if case.meeting_action_id == self.action.pk:
            raise ValidationError("That case is already linked to this action")
        self.case = case
        return reference


class ResponseForm(VersionedForm):
    referral = forms.ModelChoiceField(queryset=Referral.objects.none(), label="Which referral?",
                                      widget=forms.RadioSelect, empty_label=None,
                                      error_messages={"required": "Choose which referral the answer is for",
                                                      "invalid_choice": "Choose a referral that is still waiting"})
    response = _text("What did the service say?", "Enter what the service said")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = self.case.referrals.filter(responded_at__isnull=True).select_related("service")
        self.fields["referral"].queryset = pending
        self.fields["referral"].label_from_instance = (
            lambda r: f"{r.service} (sent {r.sent_at:%-d %B %Y}, due {r.due_date:%-d %B %Y})"
        )
        if len(pending) == 1:
            self.initial.setdefault("referral", pending[0].pk)


class ResolveForm(VersionedForm):
    outcome_category = forms.ModelChoiceField(
        queryset=OutcomeCategory.objects.none(), label="How did it turn out?", widget=forms.RadioSelect,
        error_messages={"required": "Choose how it turned out", "invalid_choice": "Choose an outcome from the list"})
    outcome = _text("What was the outcome?", "Enter the outcome, which the councillor will read")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_category"].queryset = OutcomeCategory.objects.filter(retired=False)
        self.fields["outcome_category"].empty_label = None


class OutcomeCategoryForm(BaseForm):
    name = forms.CharField(label="Name", max_length=100,
                           error_messages={"required": "Enter the outcome’s name",
                                           "max_length": "The name must be 100 characters or fewer"})


class ReopenForm(VersionedForm):
    reason = _text("Why does it need reopening?", "Enter why it needs reopening")


class WithdrawForm(VersionedForm):
    reason = _text("Why is it being withdrawn?", "Enter why it is being withdrawn")


class NoteForm(OnceFormMixin, BaseForm):
    text = _text("Note", "Enter the note")

    def __init__(self, *args, case: Case, user, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class AttachmentForm(BaseForm):
    upload = forms.FileField(label="Upload a file", help_text="PDF, JPEG, PNG or Word document, up to 10 MB",
                             error_messages={"required": "Select a file", "empty": "The selected file is empty"})

    def __init__(self, *args, case: Case, user, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            attachment_check(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None
        return upload


class CaseIdsField(forms.TypedMultipleChoiceField):
    """Ticked case ids. Which of them may be assigned is the service's business, not the form's."""

    def valid_value(self, value):
        return str(value).isdigit()


class BulkAssignForm(BaseForm):
    cases = CaseIdsField(coerce=int, label="Cases",
                         error_messages={"required": "Select at least one case to assign",
                                         "invalid_choice": "Select cases from the list"})
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), label="Assign selected cases to",
                                      error_messages={"required": "Choose who to assign them to",
                                                      "invalid_choice": "Choose someone from the team"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = team_members()


class CategoryTargetsForm(BaseForm):
    """Working days for each stage; urgent cases get their own, shorter targets."""

    def __init__(self, *args, category: Category, **kwargs):
        self.category = category
        from .calendar_admin import TARGET_FIELDS

        kwargs.setdefault("initial", {}).update({name: getattr(category, name) for name in TARGET_FIELDS})
        super().__init__(*args, **kwargs)
        labels = {
            "triage_days": "Triage", "response_days": "A service's answer to a referral",
            "resolution_days": "Resolution", "urgent_triage_days": "Triage, when urgent",
            "urgent_response_days": "A service's answer, when urgent",
            "urgent_resolution_days": "Resolution, when urgent",
        }
        for name in TARGET_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=f"{labels[name]} (working days)", min_value=1, max_value=250,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                error_messages={"required": f"Enter the working days for {labels[name].lower()}",
                                "invalid": "Enter a whole number of working days",
                                "min_value": "Enter at least 1 working day",
                                "max_value": "Enter no more than 250 working days"},
            )


    def clean(self):
        cleaned = super().clean()
        for stage in ("triage", "response", "resolution"):
            normal, urgent = cleaned.get(f"{stage}_days"), cleaned.get(f"urgent_{stage}_days")
            if normal and urgent and urgent > normal:
                self.add_error(f"urgent_{stage}_days", "An urgent target cannot be longer than the usual one")
        return cleaned


class ClosureDayForm(BaseForm):
    date = forms.DateField(label="Date", help_text="For example, 29/12/2026",
                           input_formats=UK_DATE_FORMATS,
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                           error_messages={"required": "Enter the date the council is closed",
                                           "invalid": "Enter a real date, like 29/12/2026"})
    reason = forms.CharField(label="Reason", max_length=100, error_messages={"required": "Enter the reason"})



# --- retention and erasure (issue 13) ---------------------------------------------------------


class RetentionPeriodsForm(BaseForm):
    """Years each kind of case's resident details are kept after the case closes."""

    def __init__(self, *args, years: dict[str, int], **kwargs):
        kwargs.setdefault("initial", {}).update(years)
        super().__init__(*args, **kwargs)
        for kind, label in Case.EnquiryType.choices:
            self.fields[kind] = forms.IntegerField(
                label=f"{label} (years)", min_value=1, max_value=50,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                error_messages={"required": f"Enter the years to keep a {label.lower()}",
                                "invalid": "Enter a whole number of years",
                                "min_value": "Enter at least 1 year", "max_value": "Enter no more than 50 years"})


class LegalHoldForm(BaseForm):
    reason = _text("Reason", "Enter the reason", max_length=500, rows=3,
                   help_text="For example, an Ombudsman investigation or a claim. Do not give the resident’s name.")

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class ErasureForm(BaseForm):
    received_on = forms.DateField(label="When was the request received?", help_text="For example, 27/11/2026",
                                  input_formats=UK_DATE_FORMATS,
                                  widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                                  error_messages={"required": "Enter the date the request was received",
                                                  "invalid": "Enter a real date, like 27/11/2026"})
    reason = _text("Why did the resident ask?", "Enter why the resident asked for their data to be erased",
                   max_length=2000, rows=3, help_text="Do not give the resident’s name: it is kept with the decision.")
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=[("approved", "Approve: erase the resident’s data now"),
                                          ("refused", "Refuse the request")],
                                 error_messages={"required": "Choose whether to approve or refuse the request"})
    decision_reason = _text("Reason for the decision", "Enter the reason for the decision", max_length=2000,
                            rows=3)


class UnmatchedEmailAttachForm(BaseForm):
    """The case an unmatched email belongs to, by its reference."""

    reference = forms.CharField(label="Case reference", max_length=30, help_text="For example, KC-2026-00042",
                                error_messages={"required": "Enter the reference of the case this email is about"},
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                              "spellcheck": "false", "autocomplete": "off"}))

    def clean_reference(self):
        match = REFERENCE.match(self.cleaned_data["reference"])
        if not match:
            raise ValidationError("Enter a case reference like KC-2026-00042")
        return f"KC-{match.group(2)}-{int(match.group(3)):05d}"
