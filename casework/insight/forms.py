import datetime

from django import forms

from kirklees.govuk.forms import UK_DATE_FORMATS, BaseForm, uk_date_input

from .selectors import PRESETS, Period, preset_period

LONGEST = 3 * 366  # days: the roll-up is kept from the first case, but a page of more is hard to read


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=UK_DATE_FORMATS,
                           help_text="For example, 1/10/2026", widget=uk_date_input(autocomplete="off"),
                           error_messages={"invalid": "Enter a real date, like 1/10/2026"})


class PeriodForm(BaseForm):
    """The report's period: a preset, or from and to dates (which win when both are given)."""

    preset = forms.ChoiceField(label="Period", required=False, choices=[("", "Choose dates below"),
                                                                        *PRESETS.items()])
    start = _date("From")
    end = _date("To")

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                self.add_error("start" if not start else "end", "Enter both dates, or choose a period")
                return data
            if end < start:
                self.add_error("end", "The ‘to’ date must be the same as or after the ‘from’ date")
            elif end > self.today:
                self.add_error("end", "The ‘to’ date must be today or in the past")
            elif (end - start).days + 1 > LONGEST:
                self.add_error("start", "Choose a period of 3 years or less")
            else:
                data["period"] = Period(start, end)
            return data
        data["period"] = preset_period(data.get("preset") or "last_month", self.today)
        return data
