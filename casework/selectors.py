"""Every read a casework page lists, already scoped to the user who asks."""

import re

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone

from . import permissions
from .models import ACTIVE_STATUSES, Case, CaseEvent, ClosureDay, Resident, Status
from .validators import POSTCODE

REFERENCE = re.compile(r"^\s*(KC-)?(\d{4})-(\d{1,})\s*$", re.IGNORECASE)
# Part of a reference as it is written: digits, hyphens, perhaps the KC- prefix ("00201", "kc-2026-002").
REFERENCE_PART = re.compile(r"^(K|KC|KC-)?[\d-]*\d[\d-]*$", re.IGNORECASE)
# Postcodes are stored normalised ("HD1 2TA"); the search is typed with or without the space.
POSTCODE_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")


def cases_for_user(user):
    visible = permissions.cases_visible_to(user)
    if visible is None:
        return Case.objects.none()
    return Case.objects.filter(visible)


def cases_owned_by(user):
    """*My cases*: a councillor's own caseload."""
    councillor = getattr(user, "councillor", None)
    if councillor is None or permissions.case_access_for(user) == permissions.CaseAccess.NONE:
        return Case.objects.none()
    # By owner id, not owner__user: the planner then sees the owner's real share of cases.
    return Case.objects.filter(owner_id=councillor.pk).with_list_columns()


def queue_cases(user):
    """The advocacy queue: every case with the advocacy service, for the Support & Liaison Team."""
    if not permissions.can_use_queue(user):
        return Case.objects.none()
    queue = Case.objects.advocacy()
    if not user.is_liaison_manager:  # a former councillor's finished cases are the managers' alone
        queue = queue.exclude(permissions.former_owners_finished_cases())
    return queue.with_list_columns()


def cases_search(queryset, text: str):
    """Filter by a reference, whole or in part (KC-2026-00042, 2026-42, 00042), by the resident's
    postcode (HD1 2TA, hd12ta, or just HD1), or by words in summary or resident's name."""
    text = text.strip()
    if not text:
        return queryset
    query = SearchQuery(text, search_type="websearch", config="simple") | SearchQuery(
        text, search_type="websearch", config="english"
    )
    found = Q(search=query)
    match = REFERENCE.match(text)
    if match:
        found |= Q(reference=f"KC-{match.group(2)}-{int(match.group(3)):05d}")
    if REFERENCE_PART.match(text):
        found |= Q(reference__icontains=text)
    compact = re.sub(r"\s+", "", text).upper()
    if POSTCODE_OUTWARD.match(compact):
        found |= Q(resident__postcode__startswith=f"{compact} ")
    elif POSTCODE.match(compact):
        found |= Q(resident__postcode=f"{compact[:-3]} {compact[-3:]}")
    return queryset.filter(found)


def residents_visible_to(user):
    """Residents this user already holds: on cases they may see, or recorded by them (while they may
    still read cases: a councillor's residents go with their cases when the term ends)."""
    visible = permissions.cases_visible_to(user)
    if visible is None:
        return Resident.objects.none()
    own_cases = Case.objects.filter(visible, resident=OuterRef("pk"))
    return Resident.objects.filter(Exists(own_cases) | Q(created_by=user))


def case_timeline(case: Case):
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("actor", "note", "referral__service", "attachment", "reply")
        .order_by("created_at", "id")
    )


def case_referrals(case: Case):
    return case.referrals.select_related("service").order_by("sent_at", "id")


def caseload_summary(councillor, *, today, soon) -> dict:
    """A councillor's cases at a glance, in one query: how many in each state, due soon, overdue."""
    counts = Case.objects.filter(owner_id=councillor.pk).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        due_soon=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, due_date__gte=today, due_date__lte=soon)),
        overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, due_date__lt=today)),
    )
    return {
        "by_status": [(label, status, counts[status]) for status, label in Status.choices],
        "active": sum(counts[status] for status in ACTIVE_STATUSES),
        "resolved": counts[Status.RESOLVED],
        "due_soon": counts["due_soon"],
        "overdue": counts["overdue"],
    }


def cases_waiting_for_confirmation(councillor, *, user, limit: int):
    """A councillor's resolved cases, waiting for them to confirm the resolution with the resident,
    those waiting longest first: at most `limit`, each carrying `waiting_total`, how many there are
    in all. One query.

    Scoped to `user` as well: a manager may open any councillor's Account, but may read only the
    cases they would see anywhere else.
    """
    return list(
        cases_for_user(user).filter(owner_id=councillor.pk, status=Status.RESOLVED)
        .annotate(waiting_total=Window(Count("pk")))
        .order_by("resolved_at", "id")[:limit]
    )


def case_count_for_priority(priority_id: int) -> int:
    """How many cases bear on a ward priority: the number only, for ward pages (which never show
    residents' details), composed in by pages/, since wards/ cannot ask casework."""
    return Case.objects.filter(ward_priority_id=priority_id).count()


def case_counts_for_meeting_actions(action_ids) -> dict[int, int]:
    """{action id: how many cases were made from or linked to it} for the actions that have any; one query."""
    return dict(Case.objects.filter(meeting_action_id__in=list(action_ids)).order_by().values("meeting_action_id")
                .annotate(n=Count("pk")).values_list("meeting_action_id", "n"))


def case_status_counts(queryset) -> dict:
    """Counts for the summary line, in one query."""
    return queryset.aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, due_date__lt=timezone.localdate())),
        resolved=Count("pk", filter=Q(status=Status.RESOLVED)),
    )


def case_attachments(case: Case):
    return case.attachments.select_related("uploaded_by")


def cases_linked_to_meeting_action(user, action):
    """The cases linked to a ward meeting action that this user may read."""
    return cases_for_user(user).filter(meeting_action=action).order_by("reference")


def closure_days_recent():
    """Closure days from a month ago on, for the targets page."""
    return ClosureDay.objects.filter(date__gte=timezone.localdate() - timezone.timedelta(days=30))
