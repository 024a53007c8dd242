"""Forms for wards and places: validation only."""
from django import forms
from django.core.exceptions import ValidationError

from kirklees.govuk.forms import BaseForm

from ..models import Place, Ward
from ..selectors.wards import wards_to_choose
from ..services.wards import tidy


def choice_errors(what: str) -> dict:
    """The messages of a choice from a list, for a value that is not in it."""
    return {"invalid_choice": f"Choose {what} from the list", "invalid_pk_value": f"Choose {what} from the list"}


class WardChoiceForm(BaseForm):
    """The first step for someone who works across wards: which ward is it for? (A new priority,
    funding award or ward solution meeting; `label` asks the question, `required` says what to
    do when no ward is chosen.)"""

    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), empty_label="Choose a ward",
                                  error_messages={"required": "Choose a ward", **choice_errors("a ward")})

    def __init__(self, *args, label: str, required: str = "Choose a ward", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].label = label
        self.fields["ward"].error_messages["required"] = required
        self.fields["ward"].queryset = wards_to_choose()



class PlaceForm(BaseForm):
    name = forms.CharField(label="Name of the place", max_length=100,
                           error_messages={"required": "Enter the name of the place"},
                           help_text="A village, estate, town centre or neighbourhood residents recognise")
    kind = forms.ChoiceField(label="What kind of place is it?", choices=Place.Kind.choices,
                             widget=forms.RadioSelect, initial=Place.Kind.NEIGHBOURHOOD,
                             error_messages={"required": "Choose what kind of place it is",
                                             "invalid_choice": "Choose what kind of place it is"})

    def __init__(self, *args, ward: Ward, place: Place | None = None, **kwargs):
        self.ward, self.place = ward, place
        if place is not None:
            kwargs.setdefault("initial", {}).update(name=place.name, kind=place.kind)
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = tidy(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Enter the name of the place")
        return name  # a name already used in the ward is refused by services.wards.place_create
