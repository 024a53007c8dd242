"""Who may see and do what with a case: the one place that decides.

Roles come from DESIGN.md §2. A case's relationship to a user is one of:
  owner       the councillor whose case it is
  self_owner  the owner, while the case is not with the advocacy service
  team        a liaison officer or manager, on a case with the advocacy service
  supporter   the councillor's identified liaison officer (or any manager), on a case the
              councillor works without advocacy: may read and add notes
  former_owner  the owner, after their term has ended but within the read-only grace period
              (COUNCILLOR_READ_GRACE_DAYS): may read, and do nothing else
  handover    a liaison manager, on a case that needs handing over (its owner no longer serves, or
              a boundary change moved it out of their ward) or a case of a councillor whose term
              has ended: may read (and hand it over, casework/handover.py)

A councillor's access follows their term (issue 12): in office, they hold their cases; after
the term's end date (the first day out of office) they read them for the grace period, then not
at all; before their term starts, not at all. The Support & Liaison Team's access is unchanged,
except that a former councillor's finished cases (closed or withdrawn, once their read-only days
are over) are kept for their retention period for the liaison managers only (issue 13).

Each rule is written twice, in SQL (`cases_visible_to`, a filter) and for one case in memory
(`relationships`): a change to one is a change to the other (tests/casework/test_handover.py
checks them against each other).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kirklees.dated import holds_on, in_force_on
from kirklees.mailin.models import InboundEmail
from kirklees.permissions import require
from kirklees.refusals import InvalidTransition
from wards import permissions as ward_permissions
from wards.models import MeetingAction

from .models import Attachment, Capacity, Case, CaseEvent, Category, ClosureDay, ErasureRequest, Status


@dataclass(frozen=True)
class Rule:
    relationship: str
    states: frozenset[str]


def _rules(*pairs) -> tuple[Rule, ...]:
    return tuple(Rule(rel, frozenset(states)) for rel, states in pairs)


ACTIVE = {Status.OPEN, Status.TRIAGE, Status.IN_PROGRESS, Status.AWAITING_SERVICE, Status.AWAITING_RESIDENT}
ALL = set(Status.values)

# action -> who (by relationship) may do it, in which states.
RULES: dict[str, tuple[Rule, ...]] = {
    "edit": _rules(("owner", ACTIVE), ("team", ACTIVE)),
    "edit_resident": _rules(("owner", ACTIVE | {Status.RESOLVED}), ("team", ACTIVE | {Status.RESOLVED})),
    # Who holds the case and on what basis: whoever may edit the case (issue 13).
    "change_basis": _rules(("owner", ACTIVE), ("team", ACTIVE)),
    # The resident's consent to updates: whoever may edit the case; withdrawn at any time it is open.
    "change_updates": _rules(("owner", ACTIVE | {Status.RESOLVED}), ("team", ACTIVE | {Status.RESOLVED})),
    "add_note": _rules(("owner", ALL), ("team", ALL), ("supporter", ALL)),
    "add_attachment": _rules(("owner", ACTIVE | {Status.RESOLVED}), ("team", ACTIVE | {Status.RESOLVED})),
    "refer_to_advocacy": _rules(("self_owner", {Status.OPEN})),
    "refer_to_service": _rules(
        ("self_owner", {Status.OPEN, Status.AWAITING_SERVICE}),
        ("team", {Status.IN_PROGRESS, Status.AWAITING_SERVICE}),
    ),
    "record_response": _rules(("self_owner", {Status.AWAITING_SERVICE}), ("team", {Status.AWAITING_SERVICE})),
    "accept": _rules(("team", {Status.TRIAGE})),
    "decline": _rules(("team", {Status.TRIAGE})),
    "request_info": _rules(("team", {Status.TRIAGE, Status.IN_PROGRESS})),
    "info_received": _rules(("team", {Status.AWAITING_RESIDENT}), ("owner", {Status.AWAITING_RESIDENT})),
    "assign": _rules(("team", ACTIVE - {Status.OPEN})),
    "resolve": _rules(
        ("self_owner", {Status.OPEN, Status.AWAITING_SERVICE}),
        ("team", {Status.IN_PROGRESS, Status.AWAITING_SERVICE}),
    ),
    "confirm": _rules(("owner", {Status.RESOLVED})),
    "reopen": _rules(("owner", {Status.RESOLVED, Status.CLOSED}), ("team", {Status.RESOLVED})),
    "withdraw": _rules(("owner", ACTIVE)),
}

ACTION_LABELS = {
    "edit": "Change case details",
    "edit_resident": "Change the resident's details",
    "change_basis": "Change how the case is held",
    "change_updates": "Change updates to the resident",
    "add_note": "Add a note",
    "add_attachment": "Add a file",
    "refer_to_advocacy": "Refer to the advocacy service",
    "refer_to_service": "Refer to a council service",
    "record_response": "Record the service's response",
    "accept": "Accept",
    "decline": "Decline",
    "request_info": "Ask the resident for information",
    "info_received": "Record the resident's information",
    "assign": "Assign",
    "resolve": "Resolve",
    "confirm": "Confirm the resolution and close",
    "reopen": "Reopen",
    "withdraw": "Withdraw",
}


class CaseAccess:
    """What a councillor's term leaves them of their own cases today."""

    HOLDS = "holds"  # in office: read, change, record new ones
    READS = "reads"  # term ended, within the grace period: read only
    NONE = "none"  # not in office (term ended, or not yet begun)


TERM_ENDED_READ_ONLY = ("Your term as a councillor has ended, so you can read your former cases for a "
                        "short time but not change them.")


def case_access_of(councillor, day: datetime.date | None = None) -> str:
    """THE rule for a councillor's own cases: their term (kirklees.dated: the end date is the first
    day out of office), stretched by COUNCILLOR_READ_GRACE_DAYS for reading only."""
    day = day or timezone.localdate()
    if councillor.is_serving(day):
        return CaseAccess.HOLDS
    grace = _read_grace()
    if grace and holds_on(day, councillor.term_start, councillor.term_end, grace):
        return CaseAccess.READS
    return CaseAccess.NONE


def _read_grace() -> datetime.timedelta:
    return datetime.timedelta(days=settings.COUNCILLOR_READ_GRACE_DAYS)


def councillors_reading_cases(day: datetime.date, *, prefix: str) -> Q:
    """The same rule in SQL: rows whose councillor (the lookup `prefix`, such as "case__owner")
    may still read their cases on `day` (in office, or in the grace days)."""
    return in_force_on(day, start=f"{prefix}__term_start", end=f"{prefix}__term_end", grace=_read_grace())


# --- handover (issue 13): cases whose councillor has gone, or whose ward they no longer serve --------

# Not finished: a resolved case still waits for its councillor to confirm it.
HANDOVER_STATUSES = [*ACTIVE, Status.RESOLVED]
# Finished: kept for the retention period, and for a former councillor's, read by the managers only.
FINISHED = [Status.CLOSED, Status.WITHDRAWN]


def owner_serving(day: datetime.date, *, prefix: str = "owner") -> Q:
    return in_force_on(day, start=f"{prefix}__term_start", end=f"{prefix}__term_end")


def moved_out_of_owners_ward() -> Q:
    """Cases a boundary change moved into a ward their (serving) owner does not represent. A case a
    councillor recorded in a neighbouring ward on purpose is not one: only a move makes the need."""
    moved = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.WARD_CHANGED)
    return ~Q(ward_id=F("owner__ward_id")) & Q(Exists(moved))


def needs_handover(day: datetime.date | None = None) -> Q:
    """THE rule for "left with nobody", in SQL: not finished, not already held by the team in its own
    capacity, and the owner no longer serves (term ended), or a boundary change moved the case out of
    their ward."""
    day = day or timezone.localdate()
    held_by_team = Q(advocacy=True, capacity=Capacity.ADVOCACY)
    return (Q(status__in=HANDOVER_STATUSES) & ~held_by_team
            & (~owner_serving(day) | moved_out_of_owners_ward()))


def case_needs_handover(case: Case, day: datetime.date | None = None) -> str:
    """The same rule for one case in memory: "term_ended", "boundary", or "" (no need). A query
    only when a moved case is possible (its ward is not its serving owner's)."""
    day = day or timezone.localdate()
    if case.status not in HANDOVER_STATUSES or (case.advocacy and case.capacity == Capacity.ADVOCACY):
        return ""
    if not case.owner.is_serving(day):
        return "term_ended"
    if case.ward_id != case.owner.ward_id and CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.WARD_CHANGED).exists():
        return "boundary"
    return ""


def former_owners_finished_cases(day: datetime.date | None = None) -> Q:
    """A former councillor's closed or withdrawn cases, once their read-only days are over."""
    day = day or timezone.localdate()
    return Q(status__in=FINISHED) & ~councillors_reading_cases(day, prefix="owner")


def _is_former_owners_finished_case(case: Case, day: datetime.date) -> bool:
    return case.status in FINISHED and case_access_of(case.owner, day) == CaseAccess.NONE


def can_hand_over(user) -> bool:
    """The liaison managers decide what happens to a departed councillor's cases."""
    return user.is_authenticated and user.is_active and user.is_liaison_manager


def case_access_for(user) -> str:
    """A councillor's access to their own cases today (NONE for anyone who is not a councillor).
    `user.councillor` comes with the signed-in user (config.auth_backends), so this costs no query."""
    councillor = getattr(user, "councillor", None) if user.is_authenticated and user.is_councillor else None
    if councillor is None or not user.is_active:
        return CaseAccess.NONE
    return case_access_of(councillor)


def read_only_until(user) -> datetime.date | None:
    """For a councillor in the read-only days after their term: the last day they may read their
    cases; None for anyone else."""
    if case_access_for(user) != CaseAccess.READS:
        return None
    return user.councillor.term_end + datetime.timedelta(days=settings.COUNCILLOR_READ_GRACE_DAYS - 1)


def cases_visible_to(user) -> Q | None:
    """A filter for the cases `user` may read, or None if they may read none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_councillor:
        return Q(owner__user=user) if case_access_for(user) != CaseAccess.NONE else None
    today = timezone.localdate()
    if user.is_liaison_manager:
        # Also every case of a councillor whose term has ended, and any that needs handing over.
        return (Q(advocacy=True) | Q(owner__liaison_officer__isnull=False) | ~owner_serving(today)
                | needs_handover(today))
    if user.is_liaison:
        return (Q(advocacy=True) | Q(owner__liaison_officer=user)) & ~former_owners_finished_cases(today)
    # Ward data admins, superusers browsing and anyone else: no residents' case files.
    return None


def can_view_case(user, case: Case) -> bool:
    return bool(relationships(user, case))


def relationships(user, case: Case) -> set[str]:
    """How `user` stands to `case`; empty if they have no reason to see it."""
    if not user.is_authenticated or not user.is_active:
        return set()
    found = set()
    if user.is_councillor and case.owner.user_id == user.pk:
        access = case_access_of(case.owner)  # the owner is this councillor: no query
        if access == CaseAccess.HOLDS:
            found.add("owner")
            if not case.advocacy:
                found.add("self_owner")
        elif access == CaseAccess.READS:
            found.add("former_owner")
    if user.is_liaison:
        today = timezone.localdate()
        if not user.is_liaison_manager and _is_former_owners_finished_case(case, today):
            return found  # kept for the managers only
        if case.advocacy:
            found.add("team")
        elif user.is_liaison_manager and case.owner.liaison_officer_id is not None:
            found.add("supporter")
        elif case.owner.liaison_officer_id == user.pk:
            found.add("supporter")
        if user.is_liaison_manager and (not case.owner.is_serving(today) or (
                not found and case_needs_handover(case, today))):
            found.add("handover")
    return found


def get_case_for_user(user, reference: str, queryset=None) -> Case:
    """The case, if `user` may see it; otherwise 404, so that guessing references tells nothing."""
    visible = cases_visible_to(user)
    if visible is None:
        raise Http404("No such case")
    queryset = queryset if queryset is not None else Case.objects.all()
    try:
        return queryset.select_related("owner__user", "owner__ward", "ward", "category", "resident",
                                       "assigned_to").get(visible, reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def _extra_condition_holds(user, action: str, case: Case, today: datetime.date) -> bool:
    if action == "refer_to_advocacy":
        return case.owner.may_refer_to_advocacy(day=today)
    if action == "reopen" and case.status == Status.CLOSED:
        window = datetime.timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS)
        return case.closed_at is not None and timezone.localdate(case.closed_at) + window >= today
    return True


def _never_allowed(user, action: str, case: Case) -> PermissionDenied:
    if "former_owner" in relationships(user, case):
        return PermissionDenied(TERM_ENDED_READ_ONLY)
    return PermissionDenied(f"You cannot {ACTION_LABELS[action].lower()} on this case.")


def may(user, action: str, case: Case) -> bool:
    """Whether the user's role and relationship allow `action` on this case in some state."""
    rels = relationships(user, case)
    if not any(rule.relationship in rels for rule in RULES[action]):
        return False
    if action == "refer_to_advocacy":
        return case.owner.may_refer_to_advocacy()
    return True


def may_now(user, action: str, case: Case) -> bool:
    """Whether `action` is open to the user on this case as it stands."""
    rels = relationships(user, case)
    return any(
        rule.relationship in rels and case.status in rule.states for rule in RULES[action]
    ) and _extra_condition_holds(user, action, case, timezone.localdate())


def transition_refused(case: Case, action: str) -> InvalidTransition:
    """The refusal for an action the user may do, but not in the state the case is in now."""
    return InvalidTransition(
        f"This case is now ‘{case.get_status_display()}’, so ‘{ACTION_LABELS.get(action, action)}’ "
        "is not possible. Go back to the case to see what has changed."
    )


def require_may(user, action: str, case: Case) -> None:
    """Raise PermissionDenied if the user may never do this; InvalidTransition if not now."""
    if not may(user, action, case):
        raise _never_allowed(user, action, case)
    if not may_now(user, action, case):
        raise transition_refused(case, action)


def get_case_for_action(user, reference: str, action: str) -> Case:
    """The case, for an action's page: 404 as for reading it, then 403 if the user may never do `action`.

    Whether the action is possible in the case's state now is the service's to say (InvalidTransition).
    """
    case = get_case_for_user(user, reference)
    if not may(user, action, case):
        raise _never_allowed(user, action, case)
    return case


def get_attachment_for_user(user, reference: str, pk: int) -> Attachment:
    """A file on a case the user may read; 404 otherwise, as for the case itself."""
    case = get_case_for_user(user, reference)
    return get_object_or_404(Attachment, pk=pk, case=case)


def case_actions_for(user, case: Case) -> list[str]:
    """The actions the case page offers this user now, in the order it shows them."""
    return [action for action in RULES if may_now(user, action, case)]


def can_use_queue(user) -> bool:
    return user.is_authenticated and user.is_liaison


def can_handle_unmatched_email(user) -> bool:
    """The team's list of email no referral claimed: the liaison team, who work the referrals."""
    return can_use_queue(user)


def get_unmatched_email_for_user(user, pk: int) -> InboundEmail:
    """A message from the unmatched list (or one already dealt with from it); 403 for anyone not on
    the liaison team, who may know the list exists but not read it."""
    if not can_handle_unmatched_email(user):
        raise PermissionDenied("Only the liaison team deals with unmatched email.")
    return get_object_or_404(InboundEmail, pk=pk, outcome__in=InboundEmail.FOR_THE_TEAM)


def can_create_case(user) -> bool:
    """A councillor's role records cases (whether their term lets them today: `may_create_case_now`)."""
    return user.is_authenticated and user.is_councillor and hasattr(user, "councillor")


def may_create_case_now(user) -> bool:
    """Only a councillor in office records a case: not in a grace period, not before the term."""
    return can_create_case(user) and case_access_for(user) == CaseAccess.HOLDS


def term_not_begun(councillor) -> bool:
    return councillor.term_start is not None and councillor.term_start > timezone.localdate()


def out_of_office_reason(councillor) -> str:
    """Why a councillor's role does not let them record a case today, in words for them."""
    if term_not_begun(councillor):
        return (f"Your term as a councillor begins on {councillor.term_start:%-d %B %Y}: "
                "you can record cases from then.")
    return ("Your term as a councillor has ended, so you cannot record new cases. Contact the "
            "Support & Liaison Team about your former cases.")


# --- ward meeting actions ---------------------------------------------------------------------


def get_meeting_action_for_new_case(user, pk: str) -> MeetingAction:
    """The ward meeting action a new case comes from: 404 if there is none, 403 unless the user may
    change that ward's content (a councillor: only their own ward's)."""
    if not pk.isdigit():
        raise Http404("No such action")
    action = get_object_or_404(MeetingAction.objects.select_related("meeting__ward"), pk=pk)
    if not ward_permissions.can_edit_ward_content(user, action.meeting.ward_id):
        raise PermissionDenied("You can only make cases from your own ward's meeting actions.")
    return action


def can_link_cases(user, action: MeetingAction) -> bool:
    """People who hold cases (councillors, the team) and may change the meeting's ward content.
    Never the ward data admin: they see no cases, so they have none to link."""
    return (user.is_councillor or user.is_liaison) and ward_permissions.can_edit_ward_content(
        user, action.meeting.ward_id)


def get_meeting_action_for_linking(user, pk: int) -> MeetingAction:
    action = get_object_or_404(MeetingAction.objects.select_related("meeting__ward"), pk=pk)
    if not can_link_cases(user, action):
        raise PermissionDenied("You cannot link cases to this ward's meeting actions.")
    return action


# --- the liaison manager's targets and calendar -------------------------------------------------


def can_manage_targets(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_liaison_manager


def get_category_for_target_setting(user, pk: int) -> Category:
    require(can_manage_targets(user))
    return get_object_or_404(Category, pk=pk)


def get_outcome_category_for_manager(user, pk: int):
    from .models import OutcomeCategory

    require(can_manage_targets(user))
    return get_object_or_404(OutcomeCategory, pk=pk)


def get_closure_day_for_manager(user, pk: int) -> ClosureDay:
    require(can_manage_targets(user))
    return get_object_or_404(ClosureDay, pk=pk)


# --- handover -------------------------------------------------------------------------------------


def get_handover_letter_for_user(user, reference: str) -> tuple[Case, "CaseEvent"]:
    """A case closed at a handover, and its closing event, for the letter to the resident: the liaison
    managers' (403 for anyone else); 404 if there is no such case or it was not closed at a handover.
    A manager may open it even where the case itself is no longer theirs to read (a boundary change's
    case of a councillor still serving): they wrote the letter, and must be able to print it."""
    require(can_hand_over(user))
    case = get_object_or_404(Case.objects.select_related("resident", "ward", "owner__user"), reference=reference)
    event = case.events.filter(kind=CaseEvent.Kind.CLOSED_AT_HANDOVER).order_by("-created_at", "-id").first()
    if event is None:
        raise Http404("No letter for this case")
    return case, event


# --- retention, legal holds and erasure (issue 13) ----------------------------------------------


def can_manage_retention(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_liaison_manager


def get_case_for_retention(user, reference: str) -> Case:
    """A case whose legal hold or resident's erasure a liaison manager decides: 404 as for reading
    it, then 403 for anyone who is not a liaison manager."""
    case = get_case_for_user(user, reference)
    require(can_manage_retention(user))
    return case


def get_erasure_request_for_user(user, pk: int) -> ErasureRequest:
    require(can_manage_retention(user))
    return get_object_or_404(ErasureRequest.objects.select_related("decided_by"), pk=pk)
