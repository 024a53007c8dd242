"""Tags for stories of joint working and for learning resources: one kind of label that apps share.

A tag is a short lower-case label kept in a Postgres array on the tagged row, with a GIN index,
rather than a Tag table with a join table. Tags here only label and filter: nobody manages them
as things in their own right. The array keeps a list page at one query with no prefetch, a tag
filter (`tags__contains=[tag]`) uses the GIN index, and the tags in use are one `unnest` query.
Renaming a tag everywhere would be one `array_replace` UPDATE, if it is ever wanted.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Func

TAG_MAX_LENGTH = 40
TAGS_MAX = 10
TAGS_TEXT_MAX = 500


def tags_tidy(tags) -> list[str]:
    """Lower-case, single spaces, no empties, no repeats; order kept."""
    tidy = []
    for raw in tags:
        tag = " ".join(str(raw).split()).lower()
        if tag and tag not in tidy:
            tidy.append(tag)
    return tidy


class TagsField(forms.Field):
    """Tags typed into one box, separated by commas."""

    widget = forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"})

    def __init__(self, *, label="Tags (optional)", help_text="Separate tags with commas, for example: "
                 "housing, young people", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(label=label, help_text=help_text, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = value or ""
        if len(text) > TAGS_TEXT_MAX:
            raise ValidationError(f"Tags must be {TAGS_TEXT_MAX} characters or fewer in all")
        return tags_tidy(text.split(","))

    def validate(self, value):
        super().validate(value)
        too_long = [tag for tag in value if len(tag) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(f"Each tag must be {TAG_MAX_LENGTH} characters or fewer")
        if len(value) > TAGS_MAX:
            raise ValidationError(f"Enter {TAGS_MAX} tags or fewer")


def tags_in_use(queryset) -> list[str]:
    """Every tag on the rows of `queryset`, in alphabetical order: one query."""
    return list(queryset.order_by().annotate(tag=Func(F("tags"), function="unnest"))
                .values_list("tag", flat=True).distinct().order_by("tag"))
