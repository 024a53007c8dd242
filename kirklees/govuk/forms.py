"""Form behaviour every app shares: GOV.UK style messages, and line breaks counted as users see them."""
from django import forms


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
    pass


class BaseModelForm(GovukFormMixin, forms.ModelForm):
    pass
