"""One-time submission keys: a form is accepted once, however many times it is sent.

A form that creates something (a case, a note, a survey response) carries a random key in a
hidden field (`OnceFormMixin`). The service that makes the write claims the key inside the same
transaction (`submission_claim`): the first claim inserts it, any later or concurrent one finds it
taken and raises `AlreadySubmitted`, so nothing is written twice. If the first write fails and
rolls back, its claim goes with it and the form can be sent again.
"""

import re
import secrets
from datetime import timedelta

from django import forms
from django.db import connection, transaction
from django.utils import timezone

from kirklees.refusals import Refused

from .models import SubmissionKey

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_FOR = timedelta(days=2)


class AlreadySubmitted(Refused):
    """This form was sent before; `result_url` is where its first send's result is ("" if unknown)."""

    def __init__(self, result_url: str = ""):
        self.result_url = result_url
        super().__init__("You have already sent this form")


def submission_key_new() -> str:
    return secrets.token_urlsafe(24)


class OnceFormMixin(forms.Form):
    """A hidden one-time key. A page without one (sent by an older page) is still accepted."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", submission_key_new())

    def clean_submission_key(self):
        key = self.cleaned_data["submission_key"]
        if key and not KEY_PATTERN.fullmatch(key):
            raise forms.ValidationError("This page could not be sent. Reload it and try again")
        return key


def submission_check(key: str | None) -> None:
    """Raise AlreadySubmitted if `key` was claimed already: for a view to go straight to the first
    send's result when re-checking the form would only confuse (its own first send now matches).
    A read, not a claim: the write's `submission_claim` still decides a race."""
    if key and KEY_PATTERN.fullmatch(key):
        earlier = SubmissionKey.objects.filter(key=key).values_list("result_url", flat=True).first()
        if earlier is not None:
            raise AlreadySubmitted(earlier)


def submission_claim(key: str | None) -> SubmissionKey | None:
    """Claim `key` for the write being made. Call inside that write's transaction."""
    if not key:
        return None
    if not connection.in_atomic_block:
        raise RuntimeError("Claim a submission key inside the transaction that makes the write")
    table = SubmissionKey._meta.db_table
    with connection.cursor() as cursor:
        # A concurrent claim of the same key waits here for the first to commit or roll back.
        cursor.execute(
            f"INSERT INTO {table} (key, created_at, result_url) VALUES (%s, %s, '') "
            f"ON CONFLICT (key) DO NOTHING RETURNING id", [key, timezone.now()],
        )
        row = cursor.fetchone()
    if row is None:
        earlier = SubmissionKey.objects.filter(key=key).values_list("result_url", flat=True).first()
        raise AlreadySubmitted(earlier or "")
    return SubmissionKey(pk=row[0], key=key)


def submission_record_result(claim: SubmissionKey | None, url: str) -> None:
    """Say where the write's result is, so a second send can be taken there."""
    if claim is not None:
        SubmissionKey.objects.filter(pk=claim.pk).update(result_url=url[:500])


@transaction.atomic
def submission_keys_delete_old(*, now=None) -> int:
    """Keys outlive any Back button by far after two days; older ones are deleted."""
    now = now or timezone.now()
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
