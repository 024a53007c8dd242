from django import forms

from kirklees.govuk.forms import BaseForm

from pages.importers import IMPORTERS
from pages.services.dataimport import MAX_UPLOAD_BYTES, size_limit_message


class UploadForm(BaseForm):
    kind = forms.ChoiceField(
        label="What does the file hold?", widget=forms.RadioSelect,
        choices=[(importer.kind, importer.title) for importer in IMPORTERS.values()],
        error_messages={"required": "Choose what the file holds", "invalid_choice": "Choose what the file holds"},
    )
    # Not required here, so that a file dropped for being too big gets its own message (in clean).
    file = forms.FileField(label="Upload a CSV file", required=False,
                           help_text=f"Saved as ‘CSV UTF-8’, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                           error_messages={"empty": "The file is empty"})

    def __init__(self, *args, too_big: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.too_big or (upload is not None and upload.size > MAX_UPLOAD_BYTES):
            self.add_error("file", size_limit_message())
        elif upload is None and "file" not in self.errors:
            self.add_error("file", "Choose a CSV file to upload")
        return cleaned
