"""The liaison manager's settings for the clock: targets per category, closure days, and the list of
resolution outcomes."""

import datetime

from django.db import IntegrityError, transaction

from kirklees.permissions import require
from kirklees.refusals import Refused

from .models import Category, ClosureDay, OutcomeCategory
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


DEFAULT_OUTCOMES = ["Resolved as asked", "Partly resolved", "Not possible", "Referred elsewhere", "Withdrawn"]


def outcome_categories_ensure() -> None:
    """The starting list (as migration 0018 seeds it), where there is no list at all: for the demo, and
    for tests whose database was emptied after the migrations ran."""
    if not OutcomeCategory.objects.exists():
        OutcomeCategory.objects.bulk_create(
            [OutcomeCategory(name=name, position=i) for i, name in enumerate(DEFAULT_OUTCOMES, start=1)],
            ignore_conflicts=True)


def _outcome_name_check(name: str, *, exclude_pk=None) -> str:
    name = " ".join(name.split())
    if not name:
        raise Refused("Enter the outcome’s name", field="name")
    if OutcomeCategory.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise Refused(f"There is already an outcome called ‘{name}’", field="name")
    return name


def outcome_category_add(*, by, name: str) -> OutcomeCategory:
    """A new entry at the end of the list offered on the resolve form."""
    require(can_manage_targets(by))
    name = _outcome_name_check(name)
    last = OutcomeCategory.objects.order_by("-position").values_list("position", flat=True).first() or 0
    try:
        with transaction.atomic():
            return OutcomeCategory.objects.create(name=name, position=last + 1)
    except IntegrityError:
        raise Refused(f"There is already an outcome called ‘{name}’", field="name") from None


@transaction.atomic
def outcome_category_rename(*, by, category: OutcomeCategory, name: str) -> OutcomeCategory:
    """Renaming changes the word on every case that used it (they point at the entry, not the word)."""
    require(can_manage_targets(by))
    category.name = _outcome_name_check(name, exclude_pk=category.pk)
    category.save(update_fields=["name"])
    return category


@transaction.atomic
def outcome_category_retire(*, by, category: OutcomeCategory, retired: bool) -> OutcomeCategory:
    """A retired outcome stays on the cases that used it and is no longer offered."""
    require(can_manage_targets(by))
    if retired and not OutcomeCategory.objects.filter(retired=False).exclude(pk=category.pk).exists():
        raise Refused("Keep at least one outcome in use: the resolve form needs one")
    category.retired = retired
    category.save(update_fields=["retired"])
    return category
