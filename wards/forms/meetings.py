"""Ward solution meeting forms: validation only."""
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kirklees.govuk.forms import BaseForm, date_field

from ..models import MeetingAction, Officer, Priority, Ward, WardMeeting
from ..selectors.people import officers_covering_ward

User = get_user_model()


def _officer_label(officer: Officer) -> str:
    return f"{officer.full_name}, {officer.job_title} ({officer.service.name})"


def _person_label(user) -> str:
    return f"{user.full_name} ({user.get_role_display()})" if user.role else user.full_name


class MeetingFilterForm(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(
            Q(pk__in=Ward.objects.latest_arrangement().values("pk"))
            | Exists(WardMeeting.objects.filter(ward=OuterRef("pk")))
        ).order_by("name", "-valid_from")


class MeetingForm(BaseForm):
    held_on = date_field("Date of the meeting", required=True)
    title = forms.CharField(label="Title", max_length=150,
                            help_text="For example, “Dalton ward solution meeting: autumn”")
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Councillors and liaison team who came", help_text="Select all that apply.",
        error_messages={"invalid_choice": "Choose people from the list",
                        "invalid_pk_value": "Choose people from the list"},
    )
    officers = forms.ModelMultipleChoiceField(
        queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Council officers who came",
        help_text="Officers the People Finder lists for this ward. Select all that apply.",
        error_messages={"invalid_choice": "Choose officers from the list",
                        "invalid_pk_value": "Choose officers from the list"},
    )
    priorities = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Ward priorities discussed", help_text="Select all that apply.",
        error_messages={"invalid_choice": "Choose priorities from the list",
                        "invalid_pk_value": "Choose priorities from the list"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 8}),
                            help_text="Everyone on the staff and every councillor can read these notes. Do not "
                                      "write residents' personal details here: record a case instead.")

    def __init__(self, *args, ward: Ward, meeting: WardMeeting | None = None, **kwargs):
        self.ward = ward
        keep = {"attendees": [], "officers": [], "priorities": []}
        if meeting is not None:
            keep = {"attendees": [u.pk for u in meeting.attendees.all()],
                    "officers": [o.pk for o in meeting.officers.all()],
                    "priorities": [p.pk for p in meeting.priorities.all()]}
            initial = kwargs.setdefault("initial", {})
            for name in ("held_on", "title", "notes"):
                initial.setdefault(name, getattr(meeting, name))
            for name, pks in keep.items():
                initial.setdefault(name, pks)
        super().__init__(*args, **kwargs)
        people = Q(councillor__ward=ward, is_active=True) | Q(
            role__in=[User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER], is_active=True)
        self.fields["attendees"].queryset = User.objects.filter(people | Q(pk__in=keep["attendees"])).order_by(
            "role", "full_name")
        self.fields["attendees"].label_from_instance = _person_label
        covering = officers_covering_ward(ward).values("pk")
        self.fields["officers"].queryset = (Officer.objects.filter(Q(pk__in=covering) | Q(pk__in=keep["officers"]))
                                            .select_related("service").order_by("full_name"))
        self.fields["officers"].label_from_instance = _officer_label
        self.fields["priorities"].queryset = Priority.objects.filter(
            Q(ward=ward) & ~Q(status=Priority.Status.DROPPED) | Q(pk__in=keep["priorities"])).order_by("title")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("The date of the meeting must be today or in the past")
        return held_on

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class ActionForm(BaseForm):
    description = forms.CharField(label="What needs doing", max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="No residents' personal details: make a case for those.",
                                  error_messages={"required": "Enter what needs doing"})
    owner_officer = forms.ModelChoiceField(
        queryset=Officer.objects.none(), required=False, label="Officer who will do it (optional)",
        empty_label="Not an officer in the list",
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )
    owner_name = forms.CharField(label="Or the name of whoever will do it", required=False, max_length=150,
                                 help_text="For example, a councillor or a community group")
    due_on = date_field("Due by (optional)", required=False)

    def __init__(self, *args, meeting: WardMeeting, action: MeetingAction | None = None, **kwargs):
        self.meeting = meeting
        keep = []
        if action is not None:
            keep = [action.owner_officer_id] if action.owner_officer_id else []
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("description", action.description)
            initial.setdefault("owner_officer", action.owner_officer_id)
            initial.setdefault("owner_name", "" if action.owner_officer_id else action.owner_name)
            initial.setdefault("due_on", action.due_on)
        super().__init__(*args, **kwargs)
        covering = officers_covering_ward(meeting.ward).values("pk")
        at_meeting = WardMeeting.officers.through.objects.filter(wardmeeting_id=meeting.pk).values("officer_id")
        self.fields["owner_officer"].queryset = (
            Officer.objects.filter(Q(pk__in=covering) | Q(pk__in=at_meeting) | Q(pk__in=keep))
            .select_related("service").order_by("full_name"))
        self.fields["owner_officer"].label_from_instance = _officer_label

    def clean_description(self):
        return " ".join(self.cleaned_data["description"].split())

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < self.meeting.held_on:
            raise ValidationError(f"The due date must be on or after the meeting, "
                                  f"{self.meeting.held_on:%-d %B %Y}")
        return due_on

    def clean(self):
        cleaned = super().clean()
        officer, name = cleaned.get("owner_officer"), " ".join(cleaned.get("owner_name", "").split())
        if "owner_officer" in self.errors or "owner_name" in self.errors:
            return cleaned
        if officer is not None and name:
            # Which one was meant? Asking beats silently keeping one of them.
            self.add_error("owner_name", "Choose an officer or enter a name, not both")
        elif officer is not None:
            name = officer.full_name
        elif not name:
            self.add_error("owner_name", "Choose an officer, or enter the name of whoever will do it")
        cleaned["owner_name"] = name
        return cleaned


class ActionStatusForm(BaseForm):
    status = forms.ChoiceField(choices=MeetingAction.Status.choices,
                               error_messages={"required": "Choose a status", "invalid_choice": "Choose a status"})

