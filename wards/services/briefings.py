"""Every change to briefings (the liaison team's) and their attached files."""
import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from kirklees.govuk.uploads import delete_on_commit, sniffed_type, upload_type_check

from .. import permissions
from ..models import Briefing, Ward
from .wards import WardRefused, tidy

BRIEFING_FILE_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
}
BRIEFING_FILE_MAX_BYTES = 10 * 1024 * 1024
BRIEFING_FILE_KINDS = "a PDF, an Office document (Word, Excel, PowerPoint or OpenDocument), or a JPEG or PNG image"


def briefing_file_type(data: bytes) -> str | None:
    """The real type of a briefing's file, read from its first bytes."""
    return sniffed_type(data, BRIEFING_FILE_TYPES)


def briefing_file_check(upload) -> str:
    return upload_type_check(upload, allowed=BRIEFING_FILE_TYPES, max_bytes=BRIEFING_FILE_MAX_BYTES,
                             wrong_type=f"The selected file must be {BRIEFING_FILE_KINDS}")


def _check_briefing_dates(publish_on: datetime.date, expires_on: datetime.date) -> None:
    if expires_on <= publish_on:
        raise WardRefused("The expiry date must be after the publish date", field="expires_on")


def _attach(briefing: Briefing, upload) -> None:
    try:
        briefing_file_check(upload)
    except ValidationError as exc:  # the upload checks on the ground floor say no in Django's words
        raise WardRefused(exc.messages[0], field="upload") from exc
    # A random name on disk; the uploader's name is kept only to offer it back on download.
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][-255:] or "file"
    briefing.file.save(uuid.uuid4().hex, upload, save=False)
    briefing.file_name = name


def _delete_file_on_commit(name: str) -> None:
    delete_on_commit(Briefing._meta.get_field("file").storage, name)


@transaction.atomic
def briefing_create(*, by, title: str, text: str, expires_on: datetime.date, publish_on: datetime.date,
                    ward: Ward | None = None, link: str = "", key_issue: bool = False, upload=None) -> Briefing:
    permissions.require(permissions.can_write_briefings(by))
    _check_briefing_dates(publish_on, expires_on)
    briefing = Briefing(ward=ward, title=tidy(title), text=text.strip(), link=link.strip(), key_issue=key_issue,
                        publish_on=publish_on, expires_on=expires_on, author=by)
    if upload is not None:
        _attach(briefing, upload)
    briefing.save()
    return briefing


@transaction.atomic
def briefing_update(*, briefing: Briefing, by, title: str, text: str, expires_on: datetime.date,
                    publish_on: datetime.date, ward: Ward | None = None, link: str = "", key_issue: bool = False,
                    upload=None, remove_file: bool = False) -> Briefing:
    permissions.require(permissions.can_write_briefings(by))
    _check_briefing_dates(publish_on, expires_on)
    old_file = briefing.file.name
    briefing.ward, briefing.title, briefing.text, briefing.link = ward, tidy(title), text.strip(), link.strip()
    briefing.key_issue, briefing.publish_on, briefing.expires_on = key_issue, publish_on, expires_on
    if upload is not None:
        _attach(briefing, upload)
    elif remove_file:
        briefing.file, briefing.file_name = "", ""
    briefing.save()
    if old_file and old_file != briefing.file.name:
        _delete_file_on_commit(old_file)
    return briefing


@transaction.atomic
def briefing_delete(*, briefing: Briefing, by) -> None:
    permissions.require(permissions.can_write_briefings(by))
    name = briefing.file.name
    briefing.delete()
    _delete_file_on_commit(name)
