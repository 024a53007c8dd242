"""Reads for the Pending email changes page: a fixed number of queries however many changes."""
from ..models import EmailChange

RECENT_SHOWN = 50


def _with_records(changes):
    return changes.select_related("service", "officer__service", "requested_by", "decided_by")


def email_changes_pending():
    return _with_records(EmailChange.objects.pending()).order_by("requested_at", "id")


def email_changes_decided(limit: int = RECENT_SHOWN):
    """The latest outcomes, newest first: the record of who changed what, and who agreed."""
    return _with_records(EmailChange.objects.exclude(status=EmailChange.Status.PENDING)).order_by(
        "-decided_at", "-id")[:limit]


def email_changes_pending_count() -> int:
    return EmailChange.objects.pending().count()
