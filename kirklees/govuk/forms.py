"""Form behaviour every app shares: GOV.UK style messages, and line breaks counted as users see them."""
from django import forms

# Dates as people in the UK type them into one text box; the first is how a stored date is shown back.
UK_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y"]
# Where a two-digit year cannot be mistaken (meetings, briefings, funding, exercises: recent dates).
UK_DATE_FORMATS_SHORT_YEAR = [*UK_DATE_FORMATS, "%d/%m/%y"]


def uk_date_input(**attrs) -> forms.DateInput:
    """One text box that shows a stored date the way people are asked to type it (25/11/2026)."""
    return forms.DateInput(format=UK_DATE_FORMATS[0], attrs={"class": "govuk-input--width-10", **attrs})


def date_field(label: str, *, required: bool, example: str = "14/10/2026", hint: str = "") -> forms.DateField:
    """A date typed into one text box, with the hint, example and messages the GOV.UK pattern asks for."""
    return forms.DateField(
        label=label, required=required, input_formats=UK_DATE_FORMATS_SHORT_YEAR,
        help_text=f"{hint} For example, {example}".strip(), widget=uk_date_input(autocomplete="off"),
        error_messages={"required": f"Enter the {label[:1].lower()}{label[1:]}".removesuffix(" (optional)"),
                        "invalid": f"Enter a real date, like {example}"},
    )


class GovukFormMixin:
    """Error messages in the GOV.UK style: say which field and what to do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "This").removesuffix(" (optional)")
            max_length = getattr(field, "max_length", None)
            if max_length and "max_length" not in field.error_messages:
                field.error_messages["max_length"] = f"{label} must be {max_length} characters or fewer"
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = f"Enter {label[:1].lower()}{label[1:]}"

    def full_clean(self):
        # Browsers send line breaks as CRLF; store LF, and count lengths as the user sees them.
        if self.is_bound and hasattr(self.data, "lists"):
            data = self.data.copy()
            for key, values in self.data.lists():
                data.setlist(key, [v.replace("\r\n", "\n") if isinstance(v, str) else v for v in values])
            self.data = data
        super().full_clean()


class BaseForm(GovukFormMixin, forms.Form):
    # Radios that reveal further fields when an option is chosen (GOV.UK conditional reveal):
    # {radio field: {option value: [field names]}}. govuk_field renders the revealed fields inside
    # their option; a template looping over every field skips them (see `revealed_fields`).
    conditional_reveals: dict[str, dict[str, list[str]]] = {}

    @property
    def revealed_fields(self) -> set[str]:
        return {name for options in self.conditional_reveals.values() for names in options.values() for name in names}


class BaseModelForm(GovukFormMixin, forms.ModelForm):
    pass


def posted(request):
    """What a form view binds to: the submitted data, or None for a GET (an empty POST is still a
    submission to validate)."""
    return request.POST if request.method == "POST" else None


def query_without_page(request) -> str:
    """A list's filters as a query string, for its pagination links to carry (they add their own page)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
