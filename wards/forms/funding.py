"""Ward intelligence forms: validation only (the services re-check what matters and write)."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from kirklees.govuk.forms import BaseForm, date_field

from . import selectors_intel, services_intel
from .models import Briefing, FundingAward, FundingScheme, Place, Priority, Ward, WardFigure

FS = FundingAward.Status
PS = Priority.Status


def _tidy(value: str) -> str:
    return " ".join(value.split())


def _choice_errors(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list", "invalid_pk_value": f"Choose {what} from the list"}


class WardChoiceForm(BaseForm):
    """The first step for someone who works across wards: which ward is it for?"""

    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), empty_label="Choose a ward",
                                  error_messages={"required": "Choose a ward", **_choice_errors("a ward")})

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].label = label
        self.fields["ward"].queryset = selectors_intel.wards_to_choose()


# --- places and profile figures --------------------------------------------------------------------


class PlaceForm(BaseForm):
    name = forms.CharField(label="Name of the place", max_length=100,
                           error_messages={"required": "Enter the name of the place"},
                           help_text="A village, estate, town centre or neighbourhood residents recognise")
    kind = forms.ChoiceField(label="What kind of place is it?", choices=Place.Kind.choices,
                             widget=forms.RadioSelect, initial=Place.Kind.NEIGHBOURHOOD,
                             error_messages={"required": "Choose what kind of place it is",
                                             "invalid_choice": "Choose what kind of place it is"})

    def __init__(self, *args, ward: Ward, place: Place | None = None, **kwargs):
        self.ward, self.place = ward, place
        if place is not None:
            kwargs.setdefault("initial", {}).update(name=place.name, kind=place.kind)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = _tidy(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Enter the name of the place")
        if services_intel.place_name_taken(self.ward, name, exclude=self.place):
            raise ValidationError(services_intel.PLACE_NAME_TAKEN.format(ward=self.ward.name))
        return name


class WardFigureForm(BaseForm):
    name = forms.CharField(label="Figure", max_length=100, help_text="For example, Population or IMD decile",
                           error_messages={"required": "Enter the name of the figure"})
    value = forms.DecimalField(
        label="Value", max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false"}),
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number, like 17250 or 4.5",
                        "max_digits": "Enter a value of less than a million million",
                        "max_whole_digits": "Enter a value of less than a million million",
                        "max_decimal_places": "Enter the value to no more than 2 decimal places"},
    )
    unit = forms.CharField(label="Unit (optional)", required=False, max_length=30,
                           help_text="For example, people, %, decile",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    source = forms.CharField(label="Source", max_length=200,
                             help_text="Where it comes from, for example ONS mid-year estimates 2023",
                             error_messages={"required": "Enter where the figure comes from"})
    as_of = date_field("As of", required=True, example="30/6/2023", hint="The date the figure describes.")

    def __init__(self, *args, ward: Ward, figure: WardFigure | None = None, **kwargs):
        self.ward, self.figure = ward, figure
        if figure is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(figure, name) for name in services_intel.FIGURE_FIELDS}, as_of=figure.as_of)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return _tidy(self.cleaned_data["name"])

    def clean_source(self):
        return _tidy(self.cleaned_data["source"])

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise ValidationError("The date must be today or in the past")
        return as_of

    def clean(self):
        cleaned = super().clean()
        name, as_of = cleaned.get("name"), cleaned.get("as_of")
        if name and as_of and services_intel.figure_taken(self.ward, name, as_of, exclude=self.figure):
            self.add_error("as_of", services_intel.FIGURE_TAKEN.format(ward=self.ward.name, name=name))
        return cleaned


# --- priorities ----------------------------------------------------------------------------------


class PriorityFilterForm(BaseForm):
    q = forms.CharField(label="Words in the title or description", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards", error_messages=_choice_errors("a ward"))
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *PS.choices],
                               error_messages={"invalid_choice": "Choose a status from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors_intel.wards_for_filter()


def _places_in(ward: Ward, keep=None):
    return Place.objects.filter(Q(ward=ward) | Q(pk=keep.pk if keep else None)).order_by("name")


# Active and achieved priorities are on the public ward page as written (kirklees/public_views.py).
PUBLIC_ONCE_ACTIVE = "Shown on the public ward page once work starts. No residents’ personal details."


class PriorityForm(BaseForm):
    title = forms.CharField(label="Title", max_length=150, help_text="For example, “Safer routes to school”",
                            error_messages={"required": "Enter a title for the priority"})
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, label="Place (optional)",
                                   empty_label="The whole ward",
                                   help_text="If the priority is about one part of the ward",
                                   error_messages=_choice_errors("a place"))
    description = forms.CharField(label="What the priority is", max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text=PUBLIC_ONCE_ACTIVE,
                                  error_messages={"required": "Enter what the priority is"})
    outcome_sought = forms.CharField(label="The outcome sought", max_length=1000,
                                     help_text=f"What will be different when it is achieved. {PUBLIC_ONCE_ACTIVE}",
                                     widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label="Has work started?", widget=forms.RadioSelect, initial=PS.PROPOSED,
                               choices=[(PS.PROPOSED, "No, it is proposed"), (PS.ACTIVE, "Yes, it is active")],
                               error_messages={"required": "Choose whether work has started",
                                               "invalid_choice": "Choose whether work has started"})

    def __init__(self, *args, ward: Ward, priority: Priority | None = None, **kwargs):
        self.ward = ward
        if priority is not None:
            kwargs.setdefault("initial", {}).update(title=priority.title, place=priority.place_id,
                                                    description=priority.description,
                                                    outcome_sought=priority.outcome_sought)
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _places_in(ward, priority.place if priority else None)
        if priority is not None:
            del self.fields["status"]  # it moves with progress updates

    def clean_title(self):
        return _tidy(self.cleaned_data["title"])


PRIORITY_CHOICE_LABELS = {
    PS.PROPOSED: "Still proposed",
    PS.ACTIVE: "Active: work is under way",
    PS.ACHIEVED: "Achieved: the outcome has been reached",
    PS.DROPPED: "Dropped: no longer being pursued",
}


class PriorityUpdateForm(BaseForm):
    text = forms.CharField(label="Progress", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="What has happened since the last update",
                           error_messages={"required": "Enter the progress made"})
    status = forms.ChoiceField(label="Status after this update", widget=forms.RadioSelect, choices=PS.choices,
                               error_messages={"required": "Choose the status after this update",
                                               "invalid_choice": "Choose the status after this update"})

    def __init__(self, *args, priority: Priority, **kwargs):
        self.priority = priority
        kwargs.setdefault("initial", {}).setdefault("status", priority.status)
        super().__init__(*args, **kwargs)
        # Any status is accepted by the field, so that a move the rules forbid gets a message that
        # says why; only the moves allowed are offered.
        self.fields["status"].widget.choices = [
            (status, PRIORITY_CHOICE_LABELS[status]) for status in services_intel.PRIORITY_NEXT[priority.status]]

    def clean_status(self):
        status = self.cleaned_data["status"]
        error = services_intel.priority_transition_error(self.priority.status, status)
        if error:
            raise ValidationError(error)
        return status


# --- briefings -----------------------------------------------------------------------------------

BRIEFING_TEXT_MAX = Briefing._meta.get_field("text").max_length


class BriefingFilterForm(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards", error_messages=_choice_errors("a ward"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors_intel.wards_for_filter()


class BriefingForm(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Which ward is it for?",
                                  empty_label="Every ward", error_messages=_choice_errors("a ward"))
    title = forms.CharField(label="Title", max_length=120,
                            error_messages={"required": "Enter a title for the briefing"})
    text = forms.CharField(
        label="Briefing", max_length=BRIEFING_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Bite-size: a few sentences, up to {BRIEFING_TEXT_MAX} characters.",
        error_messages={"required": "Enter the briefing",
                        "max_length": f"The briefing must be {BRIEFING_TEXT_MAX} characters or fewer, to keep it "
                                      "bite-size (it has %(show_value)d): link to the detail instead"},
    )
    link = forms.URLField(label="Link to more detail (optional)", required=False, max_length=200,
                          assume_scheme="https",
                          error_messages={"invalid": "Enter a web address, like https://www.kirklees.gov.uk/"},
                          widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}))
    upload = forms.FileField(label="Attach a file (optional)", required=False,
                             help_text="A PDF, Office document or image, up to "
                                       f"{services_intel.BRIEFING_FILE_MAX_BYTES // (1024 * 1024)} MB",
                             error_messages={"empty": "The selected file is empty",
                                             "invalid": "Select a file"})
    remove_file = forms.BooleanField(label="Remove the attached file", required=False)
    publish_on = date_field("Publish date", required=True, hint="The first day councillors see it.")
    expires_on = date_field("Expiry date", required=True, hint="The last day councillors see it.",
                       example="31/10/2026")
    key_issue = forms.BooleanField(label="This is a key community issue", required=False,
                                   help_text="Key community issues are shown first and marked.")

    def __init__(self, *args, briefing: Briefing | None = None, **kwargs):
        self.briefing = briefing
        initial = kwargs.setdefault("initial", {})
        if briefing is not None:
            initial.update(ward=briefing.ward_id, title=briefing.title, text=briefing.text, link=briefing.link,
                           publish_on=briefing.publish_on, expires_on=briefing.expires_on,
                           key_issue=briefing.key_issue)
        else:
            initial.setdefault("publish_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        keep = [briefing.ward_id] if briefing is not None and briefing.ward_id else []
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=keep)
        if briefing is None or not briefing.file:
            del self.fields["remove_file"]

    def clean_title(self):
        return _tidy(self.cleaned_data["title"])

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            services_intel.briefing_file_check(upload)
        return upload or None

    def clean(self):
        cleaned = super().clean()
        publish_on, expires_on = cleaned.get("publish_on"), cleaned.get("expires_on")
        if publish_on and expires_on and expires_on <= publish_on:
            self.add_error("expires_on", "The expiry date must be after the publish date")
        return cleaned


# --- funding -------------------------------------------------------------------------------------


class MoneyField(forms.DecimalField):
    """Pounds and pence, as people type them: "£1,500", "1500.50"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


def _money(label: str) -> MoneyField:
    return MoneyField(
        label=label, max_digits=10, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false"}),
        error_messages={"required": "Enter the amount", "invalid": "Enter the amount in pounds, like 1500 or 1500.50",
                        "max_digits": "Enter an amount less than £100,000,000",
                        "max_whole_digits": "Enter an amount less than £100,000,000",
                        "max_decimal_places": "Enter the amount to the nearest penny, like 1500.50"},
    )


class FundingSchemeForm(BaseForm):
    name = forms.CharField(label="Name of the scheme", max_length=150,
                           error_messages={"required": "Enter the name of the scheme"},
                           help_text="For example, Ward Members’ Fund or Community Grants")
    description = forms.CharField(label="Description (optional)", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    is_open = forms.BooleanField(label="Open: new awards can be made from it", required=False, initial=True)

    def __init__(self, *args, scheme: FundingScheme | None = None, **kwargs):
        self.scheme = scheme
        if scheme is not None:
            kwargs.setdefault("initial", {}).update(name=scheme.name, description=scheme.description,
                                                    is_open=scheme.is_open)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = _tidy(self.cleaned_data["name"])
        others = FundingScheme.objects.filter(name__iexact=name)
        if self.scheme is not None:
            others = others.exclude(pk=self.scheme.pk)
        if others.exists():
            raise ValidationError("There is already a funding scheme with this name")
        return name


class AwardFilterForm(BaseForm):
    q = forms.CharField(label="Recipient or purpose", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards", error_messages=_choice_errors("a ward"))
    scheme = forms.ModelChoiceField(queryset=FundingScheme.objects.none(), required=False, label="Scheme",
                                    empty_label="All schemes", error_messages=_choice_errors("a scheme"))
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *FS.choices],
                               error_messages={"invalid_choice": "Choose a status from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors_intel.wards_for_filter()
        self.fields["scheme"].queryset = FundingScheme.objects.order_by("name")


class FundingAwardForm(BaseForm):
    scheme = forms.ModelChoiceField(queryset=FundingScheme.objects.none(), label="Funding scheme",
                                    empty_label="Choose a scheme",
                                    error_messages={"required": "Choose the funding scheme",
                                                    **_choice_errors("a scheme")})
    recipient = forms.CharField(label="Recipient organisation", max_length=200,
                                error_messages={"required": "Enter the recipient organisation"})
    purpose = forms.CharField(label="What the money is for", max_length=300,
                              error_messages={"required": "Enter what the money is for"})
    amount = _money("Amount (£)")
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, label="Place (optional)",
                                   empty_label="The whole ward", error_messages=_choice_errors("a place"))
    priority = forms.ModelChoiceField(queryset=Priority.objects.none(), required=False,
                                      label="Ward priority it serves (optional)", empty_label="None",
                                      error_messages=_choice_errors("a priority"))
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect, choices=FS.choices, initial=FS.APPLIED,
                               help_text="For an award made before it was recorded here, choose the stage it "
                                         "has reached.",
                               error_messages={"required": "Choose the award’s status",
                                               "invalid_choice": "Choose the award’s status"})
    applied_on = date_field("Date applied", required=True)
    decided_on = date_field("Date decided (optional)", required=False, hint="Needed once the award is approved.")
    monitoring_due_on = date_field("Monitoring report due (optional)", required=False,
                              hint="Needed once the money is paid.")

    def __init__(self, *args, ward: Ward, award: FundingAward | None = None, **kwargs):
        self.ward, self.award = ward, award
        initial = kwargs.setdefault("initial", {})
        if award is not None:
            initial.update({name: getattr(award, name) for name in ("recipient", "purpose", "amount")})
            initial.update({name: getattr(award, name) for name in
                            ("applied_on", "decided_on", "monitoring_due_on")})
            initial.update(scheme=award.scheme_id, place=award.place_id, priority=award.priority_id)
        else:
            initial.setdefault("applied_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        keep = award or FundingAward()
        self.fields["scheme"].queryset = FundingScheme.objects.filter(
            Q(is_open=True) | Q(pk=keep.scheme_id)).order_by("name")
        self.fields["place"].queryset = _places_in(ward, keep.place)
        self.fields["priority"].queryset = Priority.objects.filter(
            Q(ward=ward) & ~Q(status=PS.DROPPED) | Q(pk=keep.priority_id)).order_by("title")
        if award is not None:
            del self.fields["status"]  # it moves one step at a time, on the award's page

    def clean_recipient(self):
        return _tidy(self.cleaned_data["recipient"])

    def clean_purpose(self):
        return _tidy(self.cleaned_data["purpose"])

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            raise ValidationError("The decision date must be today or in the past")
        return decided_on

    def clean(self):
        cleaned = super().clean()
        status = self.award.status if self.award is not None else cleaned.get("status")
        if status is None:
            return cleaned
        problems = services_intel.award_problems(
            ward=self.ward, place=cleaned.get("place"), priority=cleaned.get("priority"), status=status,
            applied_on=cleaned.get("applied_on"), decided_on=cleaned.get("decided_on"),
            monitoring_due_on=cleaned.get("monitoring_due_on"), amount=cleaned.get("amount"),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class AwardStatusForm(BaseForm):
    status = forms.ChoiceField(label="Move the award on to", widget=forms.RadioSelect, choices=FS.choices,
                               error_messages={"required": "Choose the award’s new status",
                                               "invalid_choice": "Choose the award’s new status"})
    decided_on = date_field("Date decided (optional)", required=False, hint="When approving. Leave empty for today.")
    monitoring_due_on = date_field("Monitoring report due", required=False, hint="Needed when the money is paid.")

    def __init__(self, *args, award: FundingAward, **kwargs):
        self.award = award
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("monitoring_due_on", award.monitoring_due_on)
        following = services_intel.FUNDING_NEXT[award.status]
        if len(following) == 1:
            initial.setdefault("status", following[0])
        super().__init__(*args, **kwargs)
        # Every status is accepted by the field, so that a move the rules forbid is refused with a
        # message that says why; only the allowed moves are offered.
        self.fields["status"].widget.choices = [(s, FS(s).label) for s in following]

    def clean_status(self):
        status = self.cleaned_data["status"]
        error = services_intel.funding_transition_error(self.award.status, status)
        if error:
            raise ValidationError(error)
        return status

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            raise ValidationError("The decision date must be today or in the past")
        if decided_on and decided_on < self.award.applied_on:
            raise ValidationError("The decision date must be on or after the date applied")
        return decided_on

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if (status in services_intel.NEEDS_MONITORING_DATE and not cleaned.get("monitoring_due_on")
                and not self.award.monitoring_due_on and "monitoring_due_on" not in self.errors):
            self.add_error("monitoring_due_on", services_intel.MONITORING_DATE_NEEDED)
        return cleaned


def parse_year(value: str | None, today: datetime.date) -> datetime.date:
    """`?year=2025` means the financial year 2025–26; anything else, this one. Returns a day in it."""
    try:
        year = int(value or "")
    except ValueError:
        return today
    if not 2000 <= year <= today.year + 1:
        return today
    return datetime.date(year, 4, 1)

