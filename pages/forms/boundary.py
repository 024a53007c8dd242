from django import forms

from kirklees.govuk.forms import BaseForm
from pages.services.boundary import Mapping
from wards.models import Place


class BoundaryMappingForm(BaseForm):
    """Every old ward → its main new ward and any others it overlaps; each place → a new ward."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, arrangements, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrangements = arrangements
        new = [(ward.pk, ward.name) for ward in arrangements.new]
        by_name = {ward.name.lower(): ward.pk for ward in arrangements.new}
        self.places = list(Place.objects.filter(ward__in=arrangements.old).order_by("name"))
        self.groups = []
        for old in arrangements.old:
            main = f"main_{old.pk}"
            self.fields[main] = forms.TypedChoiceField(
                coerce=int, choices=[("", "Choose a new ward")] + new, label=f"New ward for {old.name}’s open work",
                initial=by_name.get(old.name.lower()),
                error_messages={"required": f"Choose the new ward that {old.name}’s open work goes to"},
            )
            also = f"also_{old.pk}"
            self.fields[also] = forms.TypedMultipleChoiceField(
                coerce=int, choices=new, required=False, widget=forms.CheckboxSelectMultiple,
                label=f"Other new wards that {old.name} now overlaps (if it was split)",
                help_text="Officers who covered it will cover these too; its places may go to them.",
            )
            place_fields = []
            for place in (p for p in self.places if p.ward_id == old.pk):
                name = f"place_{place.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    coerce=int, empty_value=None, required=False, label=f"{place.name} goes to",
                    choices=[("", f"The same ward as {old.name}’s open work")] + new,
                )
                place_fields.append(name)
            self.groups.append({"ward": old, "main": main, "also": also, "places": place_fields})

    def clean(self):
        data = super().clean()
        for group in self.groups:
            allowed = {data.get(group["main"]), *data.get(group["also"], [])}
            for name in group["places"]:
                if data.get(name) and data[name] not in allowed:
                    self.add_error(name, f"Choose {group['ward'].name}’s new ward or one of the others it "
                                         "now overlaps")
        return data

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        return Mapping(
            main={g["ward"].pk: data[g["main"]] for g in self.groups},
            also={g["ward"].pk: [w for w in data[g["also"]] if w != data[g["main"]]] for g in self.groups},
            places={int(name.removeprefix("place_")): data[name]
                    for g in self.groups for name in g["places"] if data.get(name)},
        )
