"""Uploaded files, checked the one way every app checks them: by their content, never by their name
or the browser's say-so, with the GOV.UK file upload pattern's error messages."""
import posixpath
import zipfile
import zlib
from collections.abc import Container

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction

SNIFF_BYTES = 8192

# Office documents (docx, xlsx, pptx, odt...) are zip archives. A real one inflates to a few times
# its size; one that inflates past either limit is a zip bomb aimed at whatever opens it next.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_INFLATION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 10_000
ZIP_BOMB = "The selected file cannot be accepted: it unpacks to far more than its size"


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
    if zipfile.is_zipfile(upload):
        _archive_check(upload, wrong_type)
    upload.seek(0)
    return mime


def _archive_check(upload, wrong_type: str) -> None:
    """Refuse an archive that inflates too far. The members are inflated (and thrown away) up to the
    limit rather than trusting the sizes the archive declares, which an attacker writes."""
    upload.seek(0)
    limit = min(MAX_INFLATED_BYTES, max(upload.size, 1) * MAX_INFLATION_RATIO)
    inflated = 0
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > limit:
                raise ValidationError(ZIP_BOMB)
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise ValidationError(ZIP_BOMB)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError,
            ValueError, OSError):  # damaged, encrypted or of a compression we do not read
        raise ValidationError(wrong_type) from None
    finally:
        upload.seek(0)


def extension_for(mime: str) -> str:
    """The file-name extension of a detected type (`.pdf`), or "" if it is not one we know."""
    kind = filetype.get_type(mime=mime)
    return f".{kind.extension}" if kind is not None else ""


def download_name(name: str, mime: str, default: str = "file") -> str:
    """The uploader's file name with the extension of the type the file really is: `invoice.html`
    that is a PDF is offered as `invoice.pdf`, so no browser or desktop opens it as something else."""
    name = (name or "").replace("/", "_").replace("\\", "_").strip() or default
    extension = extension_for(mime)
    if not extension:
        return name
    stem, current = posixpath.splitext(name)
    if current.lower() == extension or (extension == ".jpg" and current.lower() == ".jpeg"):
        return name
    return f"{stem or default}{extension}"


def delete_on_commit(storage, name: str) -> None:
    """Remove a stored file once the change that replaced or removed it has committed (never before:
    a rolled-back change must still find its file)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class UploadSizeLimit(FileUploadHandler):
    """Stops keeping an uploaded file once it passes `limit` bytes, and remembers that it did.

    Put first in request.upload_handlers, it drops the file (SkipFile) at the chunk that crosses
    the limit: the rest of the request is read past and thrown away, never held in memory or on
    disk, and the other form fields still arrive, so the view can answer with a proper page
    saying the file is too big (instead of a 400 or a reset connection).
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
