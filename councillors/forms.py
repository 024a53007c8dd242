
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kirklees.govuk.forms import UK_DATE_FORMATS, BaseForm, BaseModelForm, uk_date_input
from wards.models import Ward

from .models import Councillor, PoliticalGroup, RoleProfileVersion

User = get_user_model()



def date_field(label: str, *, required=False, hint="For example, 5/5/2022", required_message="") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=hint, input_formats=UK_DATE_FORMATS,
        widget=uk_date_input(),
        error_messages={"invalid": "Enter a real date, like 5/5/2022",
                        **({"required": required_message} if required_message else {})},
    )


class PoliticalGroupForm(BaseModelForm):
    class Meta:
        model = PoliticalGroup
        fields = ["name", "short_name"]
        labels = {"name": "Name", "short_name": "Short name (optional)"}
        help_texts = {"short_name": "For example, Lab or LD"}
        error_messages = {"name": {"required": "Enter the group's name",
                                   "unique": "There is already a group with that name"}}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if PoliticalGroup.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError("There is already a group with that name")
        return name

    def clean_short_name(self):
        return " ".join(self.cleaned_data["short_name"].split())


def liaison_team():
    return User.objects.filter(is_active=True, role__in=[User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER]
                               ).order_by("full_name")


class CouncillorForm(BaseModelForm):
    term_start = date_field("Term started on (optional)")
    term_end = date_field("Term ends on (optional)", hint="The day after the last day in office, for example 7/5/2026")
    advocacy_enrolled_on = date_field("Joined the advocacy pilot on (optional)",
                                      hint="Leave blank if they may refer straight away. For example, 1/4/2026")

    class Meta:
        model = Councillor
        fields = ["ward", "group", "term_start", "term_end", "liaison_officer", "advocacy_enrolled",
                  "advocacy_enrolled_on"]
        labels = {"ward": "Ward", "group": "Political group (optional)",
                  "liaison_officer": "Identified liaison officer (optional)",
                  "advocacy_enrolled": "Enrolled in the advocacy pilot"}
        help_texts = {"advocacy_enrolled": "They may refer cases to the Support & Liaison Team, from the date "
                                           "below if one is given."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.to_choose(keep=[self.instance.ward_id])
        self.fields["ward"].empty_label = None
        self.fields["ward"].error_messages["invalid_choice"] = "Choose a ward from the list"
        self.fields["group"].queryset = PoliticalGroup.objects.order_by("name")
        self.fields["group"].empty_label = "None recorded"
        self.fields["group"].error_messages["invalid_choice"] = "Choose a political group from the list"
        self.fields["liaison_officer"].queryset = liaison_team()
        self.fields["liaison_officer"].empty_label = "Nobody yet"
        self.fields["liaison_officer"].error_messages["invalid_choice"] = (
            "Choose a member of the Support & Liaison Team from the list")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", "The end of the term must be after its start")
        if cleaned.get("advocacy_enrolled_on") and not cleaned.get("advocacy_enrolled"):
            self.add_error("advocacy_enrolled_on",
                           "Tick ‘Enrolled in the advocacy pilot’, or leave the date blank")
        return cleaned


class CouncillorCreateForm(CouncillorForm):
    """A new councillor: who they are, then the same details as on the change page."""

    full_name = forms.CharField(label="Full name", max_length=150,
                                help_text="As it should appear to residents, for example Cllr Sarah Haigh")
    email = forms.EmailField(label="Email address", max_length=254,
                             help_text="They are emailed a link to set their password",
                             error_messages={"invalid": "Enter an email address in the correct format, "
                                                        "like name@example.com"})

    field_order = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].empty_label = "Choose a ward"
        self.fields["ward"].error_messages["required"] = "Choose the councillor's ward"
        self.fields["full_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RolloutForm(BaseForm):
    rolled_out_on = date_field("Roll out to every councillor from", required=True,
                               hint="Today or a later day, for example 1/9/2026",
                               required_message="Enter the day advocacy opens to every councillor")

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_rolled_out_on(self):
        day = self.cleaned_data["rolled_out_on"]
        if day < self.today:
            raise ValidationError("The roll-out date must be today or in the future")
        return day


class RoleProfileForm(BaseModelForm):
    class Meta:
        model = RoleProfileVersion
        fields = ["title", "summary_of_changes", "body"]
        labels = {"title": "Title", "summary_of_changes": "What changed in this version (optional)",
                  "body": "Text of the role profile"}
        help_texts = {"summary_of_changes": "A line for the version list, for example ‘Adds the duty to "
                                            "declare interests’",
                      "body": "Plain text. Leave a blank line between paragraphs."}
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}
        error_messages = {"title": {"required": "Enter a title"},
                          "body": {"required": "Enter the text of the role profile"}}

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError("Enter the text of the role profile")
        return body


class AdvanceForm(BaseForm):
    to = forms.ChoiceField(choices=RoleProfileVersion.Status.choices, widget=forms.HiddenInput)
