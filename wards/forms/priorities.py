"""Ward priority forms: validation only."""
from django import forms

from kirklees.govuk.forms import BaseForm

from ..models import Place, Priority, Ward
from ..selectors.wards import places_to_choose, wards_for_filter
from ..services import priorities as services
from ..services.wards import tidy
from .wards import choice_errors

PS = Priority.Status


class PriorityFilterForm(BaseForm):
    q = forms.CharField(label="Words in the title or description", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), required=False, label="Ward",
                                  empty_label="All wards", error_messages=choice_errors("a ward"))
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *PS.choices],
                               error_messages={"invalid_choice": "Choose a status from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = wards_for_filter()



# Active and achieved priorities are on the public ward page as written (kirklees/public_views.py).
PUBLIC_ONCE_ACTIVE = "Shown on the public ward page once work starts. No residents’ personal details."


class PriorityForm(BaseForm):
    title = forms.CharField(label="Title", max_length=150, help_text="For example, “Safer routes to school”",
                            error_messages={"required": "Enter a title for the priority"})
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, label="Place (optional)",
                                   empty_label="The whole ward",
                                   help_text="If the priority is about one part of the ward",
                                   error_messages=choice_errors("a place"))
    description = forms.CharField(label="What the priority is", max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text=PUBLIC_ONCE_ACTIVE,
                                  error_messages={"required": "Enter what the priority is"})
    outcome_sought = forms.CharField(label="The outcome sought", max_length=1000,
                                     help_text=f"What will be different when it is achieved. {PUBLIC_ONCE_ACTIVE}",
                                     widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label="Has work started?", widget=forms.RadioSelect, initial=PS.PROPOSED,
                               choices=[(PS.PROPOSED, "No, it is proposed"), (PS.ACTIVE, "Yes, it is active")],
                               error_messages={"required": "Choose whether work has started",
                                               "invalid_choice": "Choose whether work has started"})

    def __init__(self, *args, ward: Ward, priority: Priority | None = None, **kwargs):
        self.ward = ward
        if priority is not None:
            kwargs.setdefault("initial", {}).update(title=priority.title, place=priority.place_id,
                                                    description=priority.description,
                                                    outcome_sought=priority.outcome_sought)
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_to_choose(ward, priority.place if priority else None)
        if priority is not None:
            del self.fields["status"]  # it moves with progress updates

    def clean_title(self):
        return tidy(self.cleaned_data["title"])


PRIORITY_CHOICE_LABELS = {
    PS.PROPOSED: "Still proposed",
    PS.ACTIVE: "Active: work is under way",
    PS.ACHIEVED: "Achieved: the outcome has been reached",
    PS.DROPPED: "Dropped: no longer being pursued",
}


class PriorityUpdateForm(BaseForm):
    text = forms.CharField(label="Progress", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="What has happened since the last update",
                           error_messages={"required": "Enter the progress made"})
    status = forms.ChoiceField(label="Status after this update", widget=forms.RadioSelect, choices=PS.choices,
                               error_messages={"required": "Choose the status after this update",
                                               "invalid_choice": "Choose the status after this update"})

    def __init__(self, *args, priority: Priority, **kwargs):
        self.priority = priority
        kwargs.setdefault("initial", {}).setdefault("status", priority.status)
        super().__init__(*args, **kwargs)
        # Any status is accepted by the field, so that a move the rules forbid gets a message that
        # says why; only the moves allowed are offered.
        self.fields["status"].widget.choices = [
            (status, PRIORITY_CHOICE_LABELS[status]) for status in services.PRIORITY_NEXT[priority.status]]
