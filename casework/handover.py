"""Handover at the end of a term and at a boundary change (issue 13, item 5).

When a councillor's term ends, or a boundary change moves their residents into a ward they do not
represent, their unfinished cases need someone. A liaison manager chooses, per case or for many at
once: pass it to a successor (a councillor serving the case's ward today), to the Support & Liaison
Team (who then hold it in the council's advocacy capacity), or close it with a letter to the
resident (emailed if they prefer email, otherwise a letter to print and post). Each choice is one
timeline event naming from whom to whom. A daily check tells the managers how many cases still
need it, once a day.

Which cases need handing over is the permissions' rule (`permissions.needs_handover`), because who
may read a case follows from it.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from councillors.models import Councillor
from kirklees.notifications.services import Message, OutboundMessage, notify_many, outbound_emails_queue
from kirklees.permissions import require
from kirklees.refusals import Refused, Stale
from kirklees.users.models import User

from . import permissions
from .models import Capacity, Case, CaseEvent, HandoverNotice, Resident, Status
from .sla import WorkingCalendar

Kind = CaseEvent.Kind

TERM_ENDED, BOUNDARY = "term_ended", "boundary"
SUCCESSOR, TEAM, CLOSE = "successor", "team", "close"
TEAM_NAME = "the Support & Liaison Team"
LETTER_TOPIC = "handover_letter"
EMAILED, TO_POST = "Letter emailed to the resident.", "Letter to print and post to the resident."


class HandoverStale(Stale):
    """A case changed (or was handed over by someone else) after the page was loaded: nothing was done."""


# --- reads ------------------------------------------------------------------------------------


def cases_needing_handover(*, day: datetime.date | None = None):
    return Case.objects.filter(permissions.needs_handover(day))


def handover_reason(councillor: Councillor, day: datetime.date | None = None) -> str:
    """Why a councillor's cases need handing over: their term ended, or (serving) a boundary change."""
    return BOUNDARY if councillor.is_serving(day or timezone.localdate()) else TERM_ENDED


def handover_reason_text(councillor: Councillor, day: datetime.date | None = None) -> str:
    if handover_reason(councillor, day) == BOUNDARY:
        return "a boundary change moved the cases out of their ward"
    if councillor.term_end is None:  # not yet begun: nobody files cases then, but say something true
        return "not in office"
    return f"term ended on {councillor.term_end:%-d %B %Y}"


@dataclass
class CouncillorToHandOver:
    councillor: Councillor
    cases: int
    reason: str
    reason_text: str


def handover_councillors(*, day: datetime.date | None = None) -> list[CouncillorToHandOver]:
    """Each councillor with cases needing handover, how many and why: two queries, whatever the numbers."""
    day = day or timezone.localdate()
    counts = dict(cases_needing_handover(day=day).order_by().values("owner_id").annotate(n=Count("pk"))
                  .values_list("owner_id", "n"))
    councillors = Councillor.objects.filter(pk__in=list(counts)).select_related("user", "ward")
    return [CouncillorToHandOver(c, counts[c.pk], handover_reason(c, day), handover_reason_text(c, day))
            for c in sorted(councillors, key=lambda c: c.user.full_name)]


def handover_cases_for(councillor: Councillor, *, day: datetime.date | None = None):
    return (cases_needing_handover(day=day).filter(owner=councillor)
            .select_related("resident", "ward", "category").order_by("ward__name", "reference"))


def successors_by_ward(ward_ids, *, day: datetime.date | None = None, leaving: Councillor | None = None
                       ) -> dict[int, list[Councillor]]:
    """{ward id: the councillors serving it on `day`}, but not the one leaving: one query."""
    serving = Councillor.objects.serving(day).filter(ward_id__in=list(ward_ids)).select_related("user")
    if leaving is not None:
        serving = serving.exclude(pk=leaving.pk)
    found = defaultdict(list)
    for councillor in serving.order_by("user__full_name"):
        found[councillor.ward_id].append(councillor)
    return dict(found)


def handover_count() -> int:
    return cases_needing_handover().count()


def handover_letters_for(councillor: Councillor, *, limit: int = 50):
    """The letters sent when this councillor's cases were closed at handover, newest first."""
    events = list(CaseEvent.objects.filter(case__owner=councillor, kind=Kind.CLOSED_AT_HANDOVER)
                  .select_related("case").order_by("-created_at", "-id")[:limit])
    for event in events:
        event.emailed = event.text.startswith(EMAILED)
    return events


# --- the letter --------------------------------------------------------------------------------


def letter_by_email(resident: Resident) -> bool:
    """Emailed when the resident has an address and prefers email; otherwise a letter to post."""
    return resident.preferred_contact == Resident.PreferredContact.EMAIL and bool(resident.email)


def handover_closure_event(case: Case) -> CaseEvent | None:
    return case.events.filter(kind=Kind.CLOSED_AT_HANDOVER).order_by("-created_at", "-id").first()


def handover_letter(case: Case, event: CaseEvent) -> dict:
    """What the letter says: for the email and the printable page alike. A sensitive case's summary
    stays out of it (the email crosses the internet; the resident knows what they asked)."""
    # The event's first line says how the letter went; the rest is the outcome the manager wrote.
    outcome = event.text.split("\n", 1)[1] if "\n" in event.text else ""
    return {"case": case, "resident": case.resident, "date": timezone.localdate(event.created_at),
            "councillor": case.owner, "outcome": outcome, "summary": "" if case.sensitive else case.summary}


# --- the handover -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What to do with one case: `choice` is SUCCESSOR (with `successor_id`), TEAM or CLOSE; `version`
    is the case's version when the page was loaded."""

    case_id: int
    version: int
    choice: str
    successor_id: int | None = None


@dataclass
class HandoverResult:
    successor: dict[str, int] = field(default_factory=dict)  # successor's name -> cases
    team: int = 0
    emailed: int = 0
    to_post: list[str] = field(default_factory=list)  # references of the letters to print

    @property
    def total(self) -> int:
        return sum(self.successor.values()) + self.team + self.emailed + len(self.to_post)


STALE = ("{ref} was changed or handed over by someone else while you were choosing. Nothing has been "
         "handed over: check the cases, then choose again.")


@transaction.atomic
def cases_hand_over(*, by, councillor: Councillor, decisions: list[Decision], outcome: str = "") -> HandoverResult:
    """Hand over a councillor's cases as decided, all or nothing: a refusal for any one case (a
    successor who does not serve its ward, a case someone else changed meanwhile) leaves every case
    as it was.

    The cases are locked, then each decision's version is compared: of two managers handing over the
    same case at once, the second waits for the first and then finds the version moved on.
    """
    require(permissions.can_hand_over(by))
    if not decisions:
        raise Refused("Choose what to do with at least one case", field="cases")
    outcome = outcome.strip()
    if any(d.choice == CLOSE for d in decisions) and not outcome:
        raise Refused("Say what the letter tells the residents whose cases you close", field="outcome")
    today, now = timezone.localdate(), timezone.now()
    found = {case.pk: case for case in
             cases_needing_handover(day=today).filter(owner=councillor, pk__in=[d.case_id for d in decisions])
             .select_for_update(of=("self",)).select_related("resident", "ward", "category", "owner__user")}
    for decision in decisions:
        case = found.get(decision.case_id)
        if case is None or case.version != decision.version:
            reference = case.reference if case else Case.objects.filter(pk=decision.case_id).values_list(
                "reference", flat=True).first() or "A case"
            raise HandoverStale(STALE.format(ref=reference))
    successors = {c.pk: c for c in Councillor.objects.serving(today).select_related("user").filter(
        pk__in=[d.successor_id for d in decisions if d.choice == SUCCESSOR])}
    reason = handover_reason_text(councillor, today)
    calendar = None
    result, events, letters, told = HandoverResult(), [], [], defaultdict(int)
    for decision in sorted(decisions, key=lambda d: found[d.case_id].reference):
        case = found[decision.case_id]
        if decision.choice == SUCCESSOR:
            successor = successors.get(decision.successor_id)
            if successor is None or successor.ward_id != case.ward_id or successor.pk == councillor.pk:
                raise Refused(f"Choose a councillor who now serves {case.ward.name} for {case.reference}",
                              field=f"choice-{case.pk}")
            _write(case, now, owner=successor)
            events.append(_event_row(case, by, now, Kind.HANDED_OVER,
                                     f"Handed over from {councillor} to {successor} ({reason})"))
            result.successor[str(successor)] = result.successor.get(str(successor), 0) + 1
            told[successor.user_id] += 1
        elif decision.choice == TEAM:
            if case.status == Status.RESOLVED:
                raise Refused(f"{case.reference} is resolved and waits for a councillor to confirm it with the "
                              "resident: pass it to a successor, or close it with a letter",
                              field=f"choice-{case.pk}")
            values = {"advocacy": True, "capacity": Capacity.ADVOCACY, "basis_recorded_at": now}
            to = ""
            if case.status == Status.OPEN:  # as a referral to advocacy would: the team triages it
                calendar = calendar or WorkingCalendar.load()
                triage_due = calendar.add(today, case.category.target_days("triage", case.priority))
                to = Status.TRIAGE
                values |= {"status": to, "triage_due": triage_due, "due_date": triage_due,
                           "resolution_due": calendar.add(today, case.category.target_days("resolution",
                                                                                         case.priority))}
            _write(case, now, **values)
            events.append(_event_row(case, by, now, Kind.HANDED_OVER,
                                     f"Handed over from {councillor} to {TEAM_NAME} ({reason}); now held by: "
                                     f"{Capacity.ADVOCACY.label}", from_status=case.status if to else "",
                                     to_status=to))
            result.team += 1
        elif decision.choice == CLOSE:
            emailed = letter_by_email(case.resident)
            _write(case, now, status=Status.CLOSED, outcome=outcome, resolved_at=case.resolved_at or now,
                   closed_at=now, due_date=None, paused_on=None)
            event = _event_row(case, by, now, Kind.CLOSED_AT_HANDOVER,
                               f"{EMAILED if emailed else TO_POST}\n{outcome}", from_status=case.status,
                               to_status=Status.CLOSED)
            events.append(event)
            if emailed:
                letters.append((case, event))
                result.emailed += 1
            else:
                result.to_post.append(case.reference)
        else:
            raise Refused(f"Choose what to do with {case.reference}", field=f"choice-{case.pk}")
    CaseEvent.objects.bulk_create(events)
    outbound_emails_queue(_letter_email(case, event) for case, event in letters)
    notify_many([Message(user_id, "cases_handed_over",
                         f"{n} case{'s' if n != 1 else ''} handed over to you by {by}",
                         f"They were {councillor}'s ({reason}).", reverse("casework:my-cases"))
                 for user_id, n in told.items()])
    return result


def _write(case: Case, now, **values) -> None:
    """The case's row, if it is still as the manager saw it (the lock makes it so; the check says so)."""
    updated = Case.objects.filter(pk=case.pk, version=case.version, status=case.status).update(
        version=F("version") + 1, updated_at=now, **values)
    if updated != 1:
        raise HandoverStale(STALE.format(ref=case.reference))


def _event_row(case: Case, by, now, kind: str, text: str, *, from_status: str = "", to_status: str = "") -> CaseEvent:
    return CaseEvent(case=case, kind=kind, actor=by, created_at=now, text=text, from_status=from_status,
                     to_status=to_status)


def _letter_email(case: Case, event: CaseEvent) -> OutboundMessage:
    context = handover_letter(case, event)
    return OutboundMessage(to=case.resident.email, subject=f"Your case {case.reference} with Kirklees Council",
                           body=render_to_string("casework/handover/letter.txt", context),
                           topic=LETTER_TOPIC, topic_id=case.pk)


# --- the daily check -----------------------------------------------------------------------------


@dataclass
class CheckResult:
    cases: int
    told: int  # managers told today by this run (0 if told already, or nothing needs handing over)

    def __str__(self):
        return f"{self.cases} cases need handover; {self.told} managers told"


def handover_check(*, today: datetime.date | None = None) -> CheckResult:
    """Count the cases left with nobody and tell the liaison managers, once a day however often it
    runs: the day's notice row is inserted first, and only the run that inserts it sends."""
    today = today or timezone.localdate()
    count = cases_needing_handover(day=today).count()
    if not count:
        return CheckResult(0, 0)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"""INSERT INTO {HandoverNotice._meta.db_table} (day, cases, created_at)
                               VALUES (%s, %s, %s) ON CONFLICT (day) DO NOTHING RETURNING id""",
                           [today, count, timezone.now()])
            if cursor.fetchone() is None:
                return CheckResult(count, 0)
        managers = list(User.objects.filter(role=User.Role.LIAISON_MANAGER, is_active=True)
                        .values_list("pk", flat=True))
        # The handover pages are mounted by config (pages/urls.py), under this name.
        notify_many([Message(pk, "handover_needed",
                             f"{count} case{'s' if count != 1 else ''} need{'s' if count == 1 else ''} handing over",
                             "Their councillor's term has ended, or a boundary change moved them out of the "
                             "councillor's ward.", reverse("handover:list")) for pk in managers])
    return CheckResult(count, len(managers))
