from django import forms

from kirklees.govuk.forms import BaseForm

MARKUP_HINT = (
    "Leave a blank line between paragraphs. Start a line with ## for a heading (### for a smaller "
    "one), and with - for each item of a list. Write a link as [the words](https://the-address). "
    "Anything else, HTML included, is shown exactly as typed."
)


class NoticeForm(BaseForm):
    body = forms.CharField(
        label="Text",
        max_length=50000,
        help_text=MARKUP_HINT,
        widget=forms.Textarea(attrs={"rows": 30}),
        error_messages={"required": "Enter the text of the notice"},
    )
