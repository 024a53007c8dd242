"""People Finder forms: validation only."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from kirklees.govuk.forms import BaseForm

from ..models import Officer, Place, Service, Ward

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
PHONE = re.compile(r"^\+?[0-9 ()-]+$")


def _email(label: str, *, required: bool = True) -> forms.EmailField:
    return forms.EmailField(
        label=label if required else f"{label} (optional)", required=required, max_length=254,
        error_messages={"invalid": EMAIL_FORMAT, "required": f"Enter the {label[:1].lower()}{label[1:]}"},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class OfficerSearchForm(BaseForm):
    """The People Finder's search box and filters (sent by GET)."""

    q = forms.CharField(label="Name, job title or service", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}))
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, label="Service",
                                     empty_label="All services",
                                     error_messages={"invalid_choice": "Choose a service from the list"})
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})
    unconfirmed = forms.BooleanField(label="Only officers not confirmed for 6 months", required=False)

    def __init__(self, *args, admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        services = Service.objects.order_by("name")
        self.fields["service"].queryset = services if admin else services.filter(is_active=True)
        self.fields["ward"].queryset = Ward.objects.latest_arrangement().order_by("name")
        if not admin:
            del self.fields["unconfirmed"]


class OfficerForm(BaseForm):
    full_name = forms.CharField(label="Full name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    job_title = forms.CharField(label="Job title", max_length=150)
    service = forms.ModelChoiceField(queryset=Service.objects.none(), label="Service",
                                     empty_label="Choose a service",
                                     error_messages={"required": "Choose the officer's service",
                                                     "invalid_choice": "Choose a service from the list"})
    email = _email("Email address")
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off",
                                                          "class": "govuk-input--width-20"}))
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Wards they cover", help_text="Tick every ward they work across. Select all that apply.",
        error_messages={"invalid_choice": "Choose wards from the list",
                        "invalid_pk_value": "Choose wards from the list"},
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Place.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Places they cover", help_text="If they only cover part of a ward, tick the places instead.",
        error_messages={"invalid_choice": "Choose places from the list",
                        "invalid_pk_value": "Choose places from the list"},
    )
    is_active = forms.BooleanField(label="Show them in the People Finder", required=False, initial=True,
                                   help_text="Untick when they leave or change role. Admins still see them.")

    def __init__(self, *args, officer: Officer | None = None, **kwargs):
        self.officer = officer
        if officer is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("full_name", "job_title", "email", "phone", "is_active"):
                initial.setdefault(name, getattr(officer, name))
            initial.setdefault("service", officer.service_id)
            initial.setdefault("wards", [w.pk for w in officer.wards.all()])
            initial.setdefault("places", [p.pk for p in officer.places.all()])
        super().__init__(*args, **kwargs)
        keep_service = [officer.service_id] if officer else []
        self.fields["service"].queryset = Service.objects.filter(
            Q(is_active=True) | Q(pk__in=keep_service)).order_by("name")
        self.fields["wards"].queryset = Ward.objects.to_choose(self.initial.get("wards", []))
        latest = Ward.objects.latest_arrangement().values("pk")
        self.fields["places"].queryset = (
            Place.objects.filter(Q(ward__in=latest) | Q(pk__in=self.initial.get("places", [])))
            .select_related("ward").order_by("ward__name", "name"))
        self.fields["places"].label_from_instance = lambda place: f"{place.name} ({place.ward.name})"

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_job_title(self):
        return " ".join(self.cleaned_data["job_title"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = Officer.objects.filter(email__iexact=email)
        if self.officer is not None:
            others = others.exclude(pk=self.officer.pk)
        if others.exists():
            raise ValidationError("An officer with this email address is already in the People Finder")
        return email

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and (not PHONE.match(phone) or not 10 <= sum(c.isdigit() for c in phone) <= 15):
            raise ValidationError("Enter a phone number, like 01484 221000")
        return phone


class ServiceForm(BaseForm):
    name = forms.CharField(label="Name of the service", max_length=150)
    email = _email("Email address for referrals")
    head_of_service_email = _email("Head of service's email address", required=False)
    is_active = forms.BooleanField(label="Cases can be referred to it", required=False, initial=True,
                                   help_text="Untick if the service has closed or merged into another.")

    def __init__(self, *args, service: Service | None = None, **kwargs):
        self.service = service
        if service is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("name", "email", "head_of_service_email", "is_active"):
                initial.setdefault(name, getattr(service, name))
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = ("Where referrals and chasers go. A new address takes effect once it is "
                                          "confirmed from the email sent to it, or approved by a liaison manager.")
        self.fields["head_of_service_email"].help_text = "Told when a referral is long overdue."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Service.objects.filter(name__iexact=name)
        if self.service is not None:
            others = others.exclude(pk=self.service.pk)
        if others.exists():
            raise ValidationError("There is already a service with this name")
        return name
