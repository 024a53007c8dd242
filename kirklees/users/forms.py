"""The People and access page's form: shape only (kirklees.users.services says who may change what)."""
from django import forms

from kirklees.govuk.forms import BaseForm

from .models import User

NO_ROLE = "none"  # a radio needs a value: "" would read the same as choosing nothing


class AccessForm(BaseForm):
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect,
        choices=[*User.Role.choices, (NO_ROLE, "No role (cannot use any staff or councillor page)")],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )
    is_active = forms.ChoiceField(
        label="Can they sign in?", widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No, the account is switched off and signed out everywhere")],
        error_messages={"required": "Choose whether they can sign in",
                        "invalid_choice": "Choose whether they can sign in"},
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "AccessForm":
        return cls(data, initial={"role": user.role or NO_ROLE, "is_active": "yes" if user.is_active else "no"})

    def access(self) -> dict:
        """What the form asks for, as the service's keywords."""
        role = self.cleaned_data["role"]
        return {"role": "" if role == NO_ROLE else role, "is_active": self.cleaned_data["is_active"] == "yes"}
