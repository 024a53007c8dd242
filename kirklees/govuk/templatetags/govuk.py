from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

from kirklees.text import with_article as _with_article

register = template.Library()

@register.filter
def with_article(noun) -> str:
    """{{ importer.noun|with_article }}: "an officer", "a ward"."""
    return _with_article(str(noun))


def _kind(field) -> str:
    kind = field.widget_type
    if kind in ("clearablefile", "file"):
        return "file"
    if kind == "checkboxselectmultiple":
        return "checkboxes"
    if kind in ("radioselect", "checkbox", "select", "textarea", "hidden"):
        return kind
    return "input"


@register.inclusion_tag("govuk/field.html")
def govuk_field(field, label_class="govuk-label--s", hint=None, heading=False):
    """One form field with its label, hint and error message, as the GOV.UK Design System shows them."""
    widget = field.field.widget
    attrs = dict(widget.attrs)
    hint = hint if hint is not None else field.help_text
    hint_id = f"{field.auto_id}-hint" if hint else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    kind = _kind(field)
    value = field.value()
    if kind == "input":
        # As the widget writes it (dates as DATE_INPUT_FORMATS[0]), so a form sent back unchanged reads back
        # the same; the template's own rendering would localise a date into a form the field refuses.
        value = widget.format_value(value)
    reveals = getattr(field.form, "conditional_reveals", {}).get(field.name, {}) if kind == "radioselect" else {}
    # Radios with a hint under each option (GOV.UK "radio items with hints"): {field: {value: hint}}.
    option_hints = getattr(field.form, "option_hints", {}).get(field.name, {}) if kind == "radioselect" else {}
    options = [{"radio": radio, "reveals": [field.form[name] for name in reveals.get(str(radio.data["value"]), [])],
                "hint": option_hints.get(str(radio.data["value"]), "")}
               for radio in field] if kind == "radioselect" else []
    return {
        "field": field,
        "kind": kind,
        "options": options,
        "input_type": attrs.pop("type", None) or getattr(widget, "input_type", "text"),
        "extra_class": attrs.pop("class", ""),
        "autocomplete": attrs.pop("autocomplete", None),
        "spellcheck": attrs.pop("spellcheck", None),
        "rows": attrs.pop("rows", 5),
        "value": "" if value is None else value,
        "hint": hint,
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": " ".join(i for i in (hint_id, error_id) if i),
        "label_class": label_class,
        "heading": heading,
        "maxlength": getattr(field.field, "max_length", None),
        # A textarea with a limit shows it, and counts down as it is typed (GOV.UK character count).
        "counted": kind == "textarea" and bool(getattr(field.field, "max_length", None)),
    }


def _has_errors(value) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and bool(value.total_error_count())
    form = getattr(value, "form", None)  # a django-filter FilterSet
    return isinstance(form, BaseForm) and form.is_bound and bool(form.errors)


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """'Error: ' at the start of the page title when any form on the page has errors (the GOV.UK pattern),
    or when a view says so with error_title (errors that are not a form's)."""
    if context.get("error_title"):
        return "Error: "
    values = context.flatten().values()
    return "Error: " if any(_has_errors(value) for value in values) else ""


def field_anchor(field) -> str:
    """Where an error summary link should take the user: the field, or its first option."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms):
    items = []
    for form in forms:
        if form is None or not form.is_bound or not form.errors:
            continue
        items += [{"text": error, "href": ""} for error in form.non_field_errors()]
        for field in form:
            if field.is_hidden:
                items += [{"text": error, "href": ""} for error in field.errors]
                continue
            items += [{"text": error, "href": f"#{field_anchor(field)}"} for error in field.errors]
    return {"items": items}


@register.inclusion_tag("govuk/tag.html")
def govuk_tag(label, colour: str):
    """A GOV.UK tag, `{% govuk_tag case.get_status_display case.status_colour %}`. The colour is
    one of GOV.UK Frontend's ("grey", "light-blue", "green", ...); each app declares its statuses'
    colours beside their choices (casework.models.STATUS_COLOURS, Priority.STATUS_COLOURS, ...)."""
    return {"label": label, "colour": colour}


@register.inclusion_tag("govuk/pagination.html")
def govuk_pagination(page, query=""):
    """Previous/next and numbered links, keeping the filters in the query string."""
    prefix = f"?{query}&" if query else "?"
    numbers = []
    if page.paginator.num_pages > 1:
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            numbers.append({"number": number, "href": f"{prefix}page={number}" if number != "…" else "",
                            "current": number == page.number, "ellipsis": number == "…"})
    return {
        "page": page,
        "numbers": numbers,
        "previous": f"{prefix}page={page.previous_page_number()}" if page.has_previous() else "",
        "next": f"{prefix}page={page.next_page_number()}" if page.has_next() else "",
    }
