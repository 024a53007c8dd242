"""Story forms: validation only."""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from councillors.models import Councillor
from kirklees.tagging import TagsField
from kirklees.govuk.forms import BaseForm
from wards.models import Officer, Service, Ward

from .models import Story
from .selectors import SHOW_DRAFTS, SHOW_PUBLISHED

NO_PERSONAL_DATA = ("Do not name residents or give their addresses, phone numbers or other personal details: "
                    "a published story is shown to all staff.")

# A published story is read by every member of staff, so the obvious kinds of residents' contact
# details are refused outright. Names cannot be told apart from officers' names; the hint asks.
PERSONAL_DETAILS = [
    ("a postcode", re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)),
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("a phone number", re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)")),
]


def refuse_personal_details(text: str, label: str) -> str:
    for what, pattern in PERSONAL_DETAILS:
        if pattern.search(text):
            raise ValidationError(f"{label} must not include {what}: stories are shown to all staff, so leave out "
                                  "residents’ personal details")
    return text


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


class StoryForm(BaseForm):
    title = forms.CharField(label="Title", max_length=150,
                            help_text="A few words that sum it up, for example: Fly-tipping on Dalton Bank "
                                      "cleared in a week")
    what_happened = forms.CharField(label="What happened", max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 8}),
                                    help_text="How councillors and officers worked together. " + NO_PERSONAL_DATA)
    outcome = forms.CharField(label="Outcome", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What changed because of it.")
    councillors = forms.ModelMultipleChoiceField(
        queryset=Councillor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Councillors involved (optional)", help_text="Select all that apply.",
        error_messages={"invalid_choice": "Choose councillors from the list",
                        "invalid_pk_value": "Choose councillors from the list"},
    )
    officers = forms.ModelMultipleChoiceField(
        queryset=Officer.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Officers involved (optional)", help_text="From the People Finder. Select all that apply.",
        error_messages={"invalid_choice": "Choose officers from the list",
                        "invalid_pk_value": "Choose officers from the list"},
    )
    others_involved = forms.CharField(
        label="Anyone else involved (optional)", max_length=300, required=False,
        help_text="Organisations or colleagues not in the People Finder, for example: the residents’ "
                  "association, West Yorkshire Police. Not residents.")
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward (optional)",
                                  empty_label="Not about one ward",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, label="Service (optional)",
                                     empty_label="Not about one service",
                                     error_messages={"invalid_choice": "Choose a service from the list"})
    tags = TagsField()

    def __init__(self, *args, story: Story | None = None, **kwargs):
        if story is not None:
            initial = kwargs.setdefault("initial", {})
            for name in ("title", "what_happened", "outcome", "others_involved", "tags"):
                initial.setdefault(name, getattr(story, name))
            initial.setdefault("ward", story.ward_id)
            initial.setdefault("service", story.service_id)
            initial.setdefault("councillors", [c.pk for c in story.councillors.all()])
            initial.setdefault("officers", [o.pk for o in story.officers.all()])
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter a title"
        self.fields["what_happened"].error_messages["required"] = "Enter what happened"
        self.fields["outcome"].error_messages["required"] = "Enter the outcome"
        # What a story already points at stays choosable, even a ward or officer since retired.
        keep = self.initial
        self.fields["councillors"].queryset = (
            Councillor.objects.filter(Q(pk__in=Councillor.objects.serving().values("pk"))
                                      | Q(pk__in=keep.get("councillors", [])))
            .select_related("user", "ward").order_by("user__full_name", "pk"))
        self.fields["councillors"].label_from_instance = lambda c: f"{c.user.full_name} ({c.ward.name})"
        self.fields["officers"].queryset = (
            Officer.objects.filter(Q(is_active=True) | Q(pk__in=keep.get("officers", [])))
            .select_related("service").order_by("full_name", "pk"))
        self.fields["officers"].label_from_instance = lambda o: f"{o.full_name}, {o.job_title} ({o.service.name})"
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=[keep.get("ward")])
        self.fields["service"].queryset = Service.objects.filter(
            Q(is_active=True) | Q(pk=keep.get("service"))).order_by("name")

    def clean_title(self):
        return refuse_personal_details(" ".join(self.cleaned_data["title"].split()), "The title")

    def clean_what_happened(self):
        return refuse_personal_details(_tidy(self.cleaned_data["what_happened"]), "What happened")

    def clean_outcome(self):
        return refuse_personal_details(_tidy(self.cleaned_data["outcome"]), "The outcome")

    def clean_others_involved(self):
        return refuse_personal_details(" ".join(self.cleaned_data["others_involved"].split()),
                                       "Anyone else involved")


class StorySearchForm(BaseForm):
    """The search box and filters of the stories list (sent by GET)."""

    q = forms.CharField(label="Words to find", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}))
    show = forms.ChoiceField(label="Show", required=False, widget=forms.RadioSelect, initial=SHOW_PUBLISHED,
                             choices=[(SHOW_PUBLISHED, "Published stories"), (SHOW_DRAFTS, "Drafts")],
                             error_messages={"invalid_choice": "Choose published stories or drafts"})
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})
    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False, label="Service",
                                     empty_label="All services",
                                     error_messages={"invalid_choice": "Choose a service from the list"})
    tag = forms.ChoiceField(label="Tag", required=False, choices=[],
                            error_messages={"invalid_choice": "Choose a tag from the list"})

    def __init__(self, *args, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.latest_arrangement().order_by("name")
        self.fields["service"].queryset = Service.objects.order_by("name")
        self.fields["tag"].choices = [("", "All tags"), *((tag, tag) for tag in tags)]

    def clean_show(self):
        return self.cleaned_data["show"] or SHOW_PUBLISHED
