"""The liaison manager's settings for the clock: targets per category, and closure days."""

import datetime

from django.db import IntegrityError, transaction

from kirklees.permissions import require
from kirklees.refusals import Refused

from .models import Category, ClosureDay
from .permissions import can_manage_targets

TARGET_FIELDS = ["triage_days", "response_days", "resolution_days",
                 "urgent_triage_days", "urgent_response_days", "urgent_resolution_days"]


@transaction.atomic
def category_targets_update(*, category: Category, by, **targets) -> Category:
    """New targets apply to due dates set from now on; dates already set are kept."""
    require(can_manage_targets(by))
    for name, value in targets.items():
        if name not in TARGET_FIELDS:
            raise ValueError(name)
        setattr(category, name, value)
    category.save(update_fields=list(targets))
    return category


ALREADY_A_CLOSURE_DAY = "That day is already a closure day"


def closure_day_add(*, by, date: datetime.date, reason: str) -> ClosureDay:
    """Refused if the day is already one (also when another request added it between this check
    and the insert: the unique date decides). Only the insert is in a transaction, so that a
    refused one leaves nothing else undone."""
    require(can_manage_targets(by))
    if ClosureDay.objects.filter(date=date).exists():
        raise Refused(ALREADY_A_CLOSURE_DAY, field="date")
    try:
        with transaction.atomic():
            return ClosureDay.objects.create(date=date, reason=reason.strip())
    except IntegrityError:
        raise Refused(ALREADY_A_CLOSURE_DAY, field="date") from None


@transaction.atomic
def closure_day_remove(*, by, closure: ClosureDay) -> None:
    require(can_manage_targets(by))
    closure.delete()
