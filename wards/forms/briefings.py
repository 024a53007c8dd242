"""Briefing forms: validation only."""
from django import forms
from django.utils import timezone

from kirklees.govuk.forms import BaseForm, date_field

from ..models import Briefing, Ward
from ..selectors.wards import wards_for_filter
from ..services import briefings as services
from ..services.wards import tidy
from .wards import choice_errors

BRIEFING_TEXT_MAX = Briefing._meta.get_field("text").max_length


class BriefingFilterForm(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards", error_messages=choice_errors("a ward"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards_for_filter()


class BriefingForm(BaseForm):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Which ward is it for?",
                                  empty_label="Every ward", error_messages=choice_errors("a ward"))
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
                                       f"{services.BRIEFING_FILE_MAX_BYTES // (1024 * 1024)} MB",
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
        return tidy(self.cleaned_data["title"])

    def clean_upload(self):
        # Its type and size are the service's rules (services.briefings.briefing_file_check).
        return self.cleaned_data.get("upload") or None
