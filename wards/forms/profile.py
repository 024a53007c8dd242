"""Ward profile figure forms: validation only."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from kirklees.govuk.forms import BaseForm, date_field

from ..models import Ward, WardFigure
from ..services import profile as services
from ..services.wards import tidy


class WardFigureForm(BaseForm):
    name = forms.CharField(label="Figure", max_length=100, help_text="For example, Population or IMD decile",
                           error_messages={"required": "Enter the name of the figure"})
    value = forms.DecimalField(
        label="Value", max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false"}),
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number, like 17250 or 4.5",
                        "max_digits": "Enter a value of less than a million million",
                        "max_whole_digits": "Enter a value of less than a million million",
                        "max_decimal_places": "Enter the value to no more than 2 decimal places"},
    )
    unit = forms.CharField(label="Unit (optional)", required=False, max_length=30,
                           help_text="For example, people, %, decile",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    source = forms.CharField(label="Source", max_length=200,
                             help_text="Where it comes from, for example ONS mid-year estimates 2023",
                             error_messages={"required": "Enter where the figure comes from"})
    as_of = date_field("As of", required=True, example="30/6/2023", hint="The date the figure describes.")

    def __init__(self, *args, ward: Ward, figure: WardFigure | None = None, **kwargs):
        self.ward, self.figure = ward, figure
        if figure is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(figure, name) for name in services.FIGURE_FIELDS}, as_of=figure.as_of)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return tidy(self.cleaned_data["name"])

    def clean_source(self):
        return tidy(self.cleaned_data["source"])

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise ValidationError("The date must be today or in the past")
        return as_of

