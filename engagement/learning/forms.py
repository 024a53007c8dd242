"""Learning forms: validation only."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from kirklees.tagging import TagsField
from kirklees.govuk.forms import UK_DATE_FORMATS, BaseForm
from wards.models import Ward

from .models import Event, Resource
from .selectors import WHEN_PAST, WHEN_UPCOMING
from .services import RESOURCE_MAX_BYTES, RESOURCE_TYPES_TEXT, resource_file_check

TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I:%M %p", "%I.%M %p", "%I%p", "%I %p"]


class TimeInput(forms.TimeField):
    """A time as people type it: 14:30, 14.30, 2:30pm or 2pm."""

    def __init__(self, label: str, **kwargs):
        super().__init__(label=label, input_formats=TIME_FORMATS, help_text="For example, 12:30 or 1:30pm",
                         widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                         error_messages={"invalid": "Enter a real time, like 12:30 or 1:30pm"}, **kwargs)

    def to_python(self, value):
        return super().to_python(value.strip().replace(" ", "").upper() if isinstance(value, str) else value)


class EventForm(BaseForm):
    kind = forms.ChoiceField(label="What kind of event is it?", choices=Event.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of event it is",
                                             "invalid_choice": "Choose what kind of event it is"})
    title = forms.CharField(label="Title", max_length=150)
    description = forms.CharField(label="Description", max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="What it covers and who it is for.")
    date = forms.DateField(label="Date", help_text="For example, 27/11/2026", input_formats=UK_DATE_FORMATS,
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                           error_messages={"invalid": "Enter a real date, like 27/11/2026"})
    start_time = TimeInput("Start time")
    end_time = TimeInput("End time")
    location = forms.CharField(label="Where", max_length=200, required=False,
                               help_text="For example, Huddersfield Town Hall, Committee Room 1. Leave it empty "
                                         "if the event is only online.")
    online_link = forms.URLField(label="Online link (optional)", max_length=500, required=False,
                                 assume_scheme="https", help_text="For example, a Teams meeting link",
                                 error_messages={"invalid": "Enter a web address, like https://example.org/meeting"})
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward (optional)",
                                  empty_label="Not in one ward", help_text="For a ward walkabout, the ward it walks.",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=10000,
                                  widget=forms.TextInput(attrs={"class": "govuk-input--width-4",
                                                                "inputmode": "numeric"}),
                                  help_text="How many people can book.",
                                  error_messages={"invalid": "Enter the number of places as a whole number, like 20",
                                                  "min_value": "Places must be 1 or more",
                                                  "max_value": "Places must be 10,000 or fewer",
                                                  "required": "Enter the number of places"})
    booking_open = forms.BooleanField(label="Open for booking", required=False, initial=True,
                                      help_text="Untick to stop new bookings. People already booked keep their place.")

    def __init__(self, *args, event: Event | None = None, **kwargs):
        self.event = event
        if event is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("kind", "title", "description", "location", "online_link", "capacity", "booking_open"):
                initial.setdefault(name, getattr(event, name))
            start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
            initial.setdefault("date", start.strftime("%d/%m/%Y"))
            initial.setdefault("start_time", start.strftime("%H:%M"))
            initial.setdefault("end_time", end.strftime("%H:%M"))
            initial.setdefault("ward", event.ward_id)
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter a title"
        self.fields["description"].error_messages["required"] = "Enter a description"
        self.fields["date"].error_messages["required"] = "Enter the date"
        self.fields["start_time"].error_messages["required"] = "Enter the start time"
        self.fields["end_time"].error_messages["required"] = "Enter the end time"
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=[self.initial.get("ward")])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if self.event is None and date < timezone.localdate():
            raise ValidationError("The date must be today or in the future")
        return date

    def clean(self):
        # That it ends after it starts, and is somewhere, are the service's rules (services._check_event).
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if date and start and end:
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, end))
        return cleaned

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_location(self):
        return " ".join(self.cleaned_data["location"].split())

    def event_fields(self) -> dict:
        """What the services take, from a valid form."""
        data = self.cleaned_data
        return {name: data[name] for name in ("kind", "title", "description", "starts_at", "ends_at", "location",
                                              "online_link", "ward", "capacity", "booking_open")}


class EventCancelForm(BaseForm):
    reason = forms.CharField(label="Why is it cancelled?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Everyone booked or waiting is told, with this reason.",
                             error_messages={"required": "Enter why the event is cancelled"})


class EventFilterForm(BaseForm):
    kind = forms.ChoiceField(label="Kind of event", required=False, choices=[("", "All kinds"), *Event.Kind.choices],
                             error_messages={"invalid_choice": "Choose a kind of event from the list"})
    when = forms.ChoiceField(label="When", required=False, widget=forms.RadioSelect, initial=WHEN_UPCOMING,
                             choices=[(WHEN_UPCOMING, "Coming up"), (WHEN_PAST, "Past events")],
                             error_messages={"invalid_choice": "Choose coming up or past events"})


class ResourceForm(BaseForm):
    title = forms.CharField(label="Title", max_length=150)
    description = forms.CharField(label="Description", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="What it is and when it helps.")
    kind = forms.ChoiceField(label="What kind of resource is it?", choices=Resource.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of resource it is",
                                             "invalid_choice": "Choose what kind of resource it is"})
    link = forms.URLField(label="Link (optional)", max_length=500, required=False, assume_scheme="https",
                          help_text="A web page it lives on, if any.",
                          error_messages={"invalid": "Enter a web address, like https://example.org/guide"})
    upload = forms.FileField(label="File (optional)", required=False,
                             help_text=f"{RESOURCE_TYPES_TEXT}, up to {RESOURCE_MAX_BYTES // (1024 * 1024)} MB",
                             error_messages={"empty": "The selected file is empty"})
    remove_file = forms.BooleanField(label="Remove the current file", required=False)
    tags = TagsField(help_text="Separate tags with commas, for example: newsletters, social media")

    def __init__(self, *args, resource: Resource | None = None, **kwargs):
        self.resource = resource
        if resource is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("title", "description", "kind", "link", "tags"):
                initial.setdefault(name, getattr(resource, name))
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter a title"
        self.fields["description"].error_messages["required"] = "Enter a description"
        if resource is None or not resource.file:
            del self.fields["remove_file"]
        else:
            self.fields["upload"].label = "Replace the file (optional)"

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            resource_file_check(upload)
        return upload or None

    def resource_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "description", "kind", "link", "tags", "upload")}
        if "remove_file" in self.fields:
            fields["remove_file"] = data["remove_file"]
        return fields


class ResourceFilterForm(BaseForm):
    q = forms.CharField(label="Words to find", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}))
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *Resource.Kind.choices],
                             error_messages={"invalid_choice": "Choose a kind from the list"})
    tag = forms.ChoiceField(label="Tag", required=False, choices=[],
                            error_messages={"invalid_choice": "Choose a tag from the list"})

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "All tags"), *((tag, tag) for tag in tags)]
