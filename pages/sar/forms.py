from django import forms

from kirklees.govuk.forms import BaseForm, date_field


class SarStartForm(BaseForm):
    received_on = date_field("Date the request was received", required=True,
                             hint="The clock starts on this day: it may be earlier than today, if the request "
                                  "came by post or to someone else first.")
    how_received = forms.CharField(label="How the request came in (optional)", max_length=500, required=False,
                                   help_text="For example, by letter to the councillor, or by email to the team.",
                                   widget=forms.Textarea(attrs={"rows": 3}))


class SarExtendForm(BaseForm):
    reason = forms.CharField(
        label="Why more time is needed", max_length=2000,
        help_text="The law allows two more months only for a complex request, or several from the same person. "
                  "Tell the resident within the first month, and why.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why more time is needed"})
