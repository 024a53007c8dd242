"""Uploaded files, checked the one way every app checks them: by their content, never by their name
or the browser's say-so, with the GOV.UK file upload pattern's error messages."""
from collections.abc import Container

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction

SNIFF_BYTES = 8192


def sniffed_type(data: bytes, allowed: Container[str]) -> str | None:
    """The real type of a file from its first bytes, if it is one of `allowed`."""
    kind = filetype.guess(data)
    return kind.mime if kind is not None and kind.mime in allowed else None


def upload_type_check(upload, *, allowed: Container[str], max_bytes: int, wrong_type: str) -> str:
    """The upload's real type, or ValidationError: empty, larger than `max_bytes`, or not `allowed`
    (then `wrong_type` is the message)."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB")
    upload.seek(0)
    mime = sniffed_type(upload.read(SNIFF_BYTES), allowed)
    upload.seek(0)
    if mime is None:
        raise ValidationError(wrong_type)
    return mime


def delete_on_commit(storage, name: str) -> None:
    """Remove a stored file once the change that replaced or removed it has committed (never before:
    a rolled-back change must still find its file)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
