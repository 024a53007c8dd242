"""The liaison manager's settings for the clock: targets per category, and closure days."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from .models import Category, ClosureDay

TARGET_FIELDS = ["triage_days", "response_days", "resolution_days",
                 "urgent_triage_days", "urgent_response_days", "urgent_resolution_days"]


def can_manage_targets(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_liaison_manager


def _require(user):
    if not can_manage_targets(user):
        raise PermissionDenied("Targets and closure days are set by liaison managers.")


@transaction.atomic
def category_targets_update(*, category: Category, by, **targets) -> Category:
    """New targets apply to due dates set from now on; dates already set are kept."""
    _require(by)
    for name, value in targets.items():
        if name not in TARGET_FIELDS:
            raise ValueError(name)
        setattr(category, name, value)
    category.save(update_fields=list(targets))
    return category


ALREADY_A_CLOSURE_DAY = "That day is already a closure day"


@transaction.atomic
def closure_day_add(*, by, date: datetime.date, reason: str) -> ClosureDay:
    """Raises ValidationError if the day is already one (also when another request added it
    between the form's check and this insert: the unique date decides)."""
    _require(by)
    try:
        with transaction.atomic():
            return ClosureDay.objects.create(date=date, reason=reason.strip())
    except IntegrityError:
        raise ValidationError({"date": ALREADY_A_CLOSURE_DAY}) from None


@transaction.atomic
def closure_day_remove(*, by, closure: ClosureDay) -> None:
    _require(by)
    closure.delete()
