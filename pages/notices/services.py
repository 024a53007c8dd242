from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from kirklees.refusals import Refused

from . import permissions
from .models import Notice, NoticeVersion
from .selectors import notice_current

UNCHANGED = "You have not changed the text. Change it, or cancel"


def notice_update(*, by, notice: Notice, body: str) -> NoticeVersion:
    """Save a new version of a notice's text, the one the public reads from now on. The older
    versions stay as its history. Two managers saving at once both land, one after the other."""
    if not permissions.can_edit_notices(by):
        raise PermissionDenied("Only a liaison manager changes the public notices.")
    body = body.strip()
    if body == notice_current(notice).body.strip():
        raise Refused(UNCHANGED, field="body")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = NoticeVersion.objects.filter(notice=notice).aggregate(n=Max("number"))["n"] or 0
                return NoticeVersion.objects.create(notice=notice, number=last + 1, body=body, created_by=by)
        except IntegrityError:  # another manager's version took the number first: take the next
            continue
    raise Refused("Someone else is saving this notice at the same time. Try again", field="body")
