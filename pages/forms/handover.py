from django import forms

from casework.handover import CLOSE, SUCCESSOR, TEAM, TEAM_NAME, Decision
from kirklees.govuk.forms import BaseForm


class HandoverForm(BaseForm):
    """A choice per case, and for the ticked cases one choice per ward (successors serve one ward
    each). A case's own choice wins over its ward's; a ticked case needs one or the other."""

    cases = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                                           label="Cases to hand over together")
    outcome = forms.CharField(
        label="What the letter tells residents whose cases you close", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, what was done about their case, and whom to contact if they still need help.")

    def __init__(self, *args, cases, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases_shown = cases
        self.fields["cases"].choices = [(case.pk, case.reference) for case in cases]
        self.wards = sorted({case.ward for case in cases}, key=lambda ward: ward.name)
        self.options = {ward.pk: self._options(successors.get(ward.pk, [])) for ward in self.wards}
        for case in cases:
            self.fields[f"choice-{case.pk}"] = forms.ChoiceField(
                label=f"What to do with {case.reference}", required=False, choices=self.options[case.ward_id])
            self.fields[f"version-{case.pk}"] = forms.IntegerField(widget=forms.HiddenInput, initial=case.version)
        shown = {str(case.pk) for case in cases}
        # Cases the page showed when it was loaded that are no longer to hand over: someone else was quicker.
        self.vanished = bool(self.is_bound and any(
            key.startswith("version-") and key.removeprefix("version-") not in shown for key in self.data))
        for ward in self.wards:
            self.fields[f"bulk-{ward.pk}"] = forms.ChoiceField(
                label=f"The ticked cases in {ward.name}", required=False, choices=self.options[ward.pk])

    @staticmethod
    def _options(successors) -> list[tuple[str, str]]:
        return ([("", "Choose")] + [(f"{SUCCESSOR}:{c.pk}", f"Pass to {c}") for c in successors]
                + [(TEAM, f"Pass to {TEAM_NAME}"), (CLOSE, "Close it with a letter to the resident")])

    def rows(self):
        """Each case with its fields, for the table."""
        return [{"case": case, "choice": self[f"choice-{case.pk}"], "version": self[f"version-{case.pk}"],
                 "ticked": str(case.pk) in [str(v) for v in (self["cases"].value() or [])],
                 "index": index} for index, case in enumerate(self.cases_shown)]

    def bulk_fields(self):
        return [self[f"bulk-{ward.pk}"] for ward in self.wards]

    def clean(self):
        data = super().clean()
        ticked = set(data.get("cases") or [])
        self.chosen = []
        for case in self.cases_shown:
            choice = data.get(f"choice-{case.pk}") or (data.get(f"bulk-{case.ward_id}") if case.pk in ticked else "")
            if not choice:
                if case.pk in ticked:
                    self.add_error(f"choice-{case.pk}", f"Choose what to do with {case.reference}, or untick it")
                continue
            self.chosen.append((case, choice))
        # The service says the same; said here too, every problem shows at once.
        if any(choice == CLOSE for _, choice in self.chosen) and not (data.get("outcome") or "").strip():
            self.add_error("outcome", "Say what the letter tells the residents whose cases you close")
        return data

    def decisions(self) -> list[Decision]:
        decisions = []
        for case, choice in self.chosen:
            kind, _, successor = choice.partition(":")
            decisions.append(Decision(case_id=case.pk, version=self.cleaned_data[f"version-{case.pk}"] or 0,
                                      choice=kind, successor_id=int(successor) if successor else None))
        return decisions
