from django import forms
from django.core.exceptions import ValidationError

from kirklees.govuk.forms import BaseForm, date_field


class AuditSearchForm(BaseForm):
    reference = forms.CharField(label="Case reference", required=False, max_length=30,
                                help_text="For example, KC-2026-00042: the case, its resident, referrals, notes, "
                                          "files, and who opened them.")
    resident = forms.CharField(label="Resident", required=False, max_length=100,
                               help_text="Part of a resident’s name (as it is now or was), or their postcode.")
    person = forms.CharField(label="Person acting", required=False, max_length=254,
                             help_text="The email address of the person who made the change or opened the record.")
    since = date_field("From", required=False, example="1/11/2026")
    until = date_field("To", required=False, example="30/11/2026", hint="Includes this day.")

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()

    def clean_resident(self):
        return " ".join(self.cleaned_data["resident"].split())

    def clean_person(self):
        return self.cleaned_data["person"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise ValidationError({"until": "The end date must be the same as or after the start date"})
        return cleaned
