"""Funding forms: validation only."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from kirklees.govuk.forms import BaseForm, date_field

from ..models import FundingAward, FundingScheme, Place, Priority, Ward
from ..selectors.wards import places_to_choose, wards_for_filter
from ..services import funding as services
from ..services.wards import tidy
from .wards import choice_errors

FS = FundingAward.Status
PS = Priority.Status


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
        name = tidy(self.cleaned_data["name"])
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
                                  empty_label="All wards", error_messages=choice_errors("a ward"))
    scheme = forms.ModelChoiceField(queryset=FundingScheme.objects.none(), required=False, label="Scheme",
                                    empty_label="All schemes", error_messages=choice_errors("a scheme"))
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *FS.choices],
                               error_messages={"invalid_choice": "Choose a status from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards_for_filter()
        self.fields["scheme"].queryset = FundingScheme.objects.order_by("name")


class FundingAwardForm(BaseForm):
    scheme = forms.ModelChoiceField(queryset=FundingScheme.objects.none(), label="Funding scheme",
                                    empty_label="Choose a scheme",
                                    error_messages={"required": "Choose the funding scheme",
                                                    **choice_errors("a scheme")})
    recipient = forms.CharField(label="Recipient organisation", max_length=200,
                                error_messages={"required": "Enter the recipient organisation"})
    purpose = forms.CharField(label="What the money is for", max_length=300,
                              error_messages={"required": "Enter what the money is for"})
    amount = _money("Amount (£)")
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, label="Place (optional)",
                                   empty_label="The whole ward", error_messages=choice_errors("a place"))
    priority = forms.ModelChoiceField(queryset=Priority.objects.none(), required=False,
                                      label="Ward priority it serves (optional)", empty_label="None",
                                      error_messages=choice_errors("a priority"))
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
        self.fields["place"].queryset = places_to_choose(ward, keep.place)
        self.fields["priority"].queryset = Priority.objects.filter(
            Q(ward=ward) & ~Q(status=PS.DROPPED) | Q(pk=keep.priority_id)).order_by("title")
        if award is not None:
            del self.fields["status"]  # it moves one step at a time, on the award's page

    def clean_recipient(self):
        return tidy(self.cleaned_data["recipient"])

    def clean_purpose(self):
        return tidy(self.cleaned_data["purpose"])

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
        problems = services.award_problems(
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
        following = services.FUNDING_NEXT[award.status]
        if len(following) == 1:
            initial.setdefault("status", following[0])
        super().__init__(*args, **kwargs)
        # Every status is accepted by the field, so that a move the rules forbid is refused with a
        # message that says why; only the allowed moves are offered.
        self.fields["status"].widget.choices = [(s, FS(s).label) for s in following]

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            raise ValidationError("The decision date must be today or in the past")
        if decided_on and decided_on < self.award.applied_on:
            raise ValidationError("The decision date must be on or after the date applied")
        return decided_on


def parse_year(value: str | None, today: datetime.date) -> datetime.date:
    """`?year=2025` means the financial year 2025–26; anything else, this one. Returns a day in it."""
    try:
        year = int(value or "")
    except ValueError:
        return today
    if not 2000 <= year <= today.year + 1:
        return today
    return datetime.date(year, 4, 1)

