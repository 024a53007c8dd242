"""Timed work on cases: reminders before due dates, the escalation ladder after them, and the
councillors' daily digest.

Every job here is set-based and idempotent. Each step is one INSERT ... SELECT into SlaAction
(or DigestSent) with ON CONFLICT DO NOTHING RETURNING: the rows it returns are exactly the
reminders or escalations that had not happened yet, whoever else is running the same job. Then a
fixed number of queries write their timeline events and notifications. Running a job twice, or
late after an outage, does what one on-time run would have done; the number of queries does not
grow with the number of cases.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from kirklees.db import insert_rows
from kirklees.notifications.models import Preference
from kirklees.notifications.services import Message, notify_many, outbound_emails_queue

from .models import (Case, CaseEvent, DigestSent, EscalationStep, MissingAddressNotice, Referral, SlaAction, Status,
                     notice_text)
from .permissions import councillors_reading_cases
from .referral_emails import recipients
from .sla import WorkingCalendar

User = get_user_model()
Kind = CaseEvent.Kind


REMINDER_WORKING_DAYS = 1
# Stages whose due date is the case's own (triage, resolution); a referral's due date has its own ladder.
CASE_LADDER_STATUSES = [Status.TRIAGE, Status.IN_PROGRESS]
REMINDER_STATUSES = [Status.OPEN, Status.TRIAGE, Status.IN_PROGRESS, Status.AWAITING_SERVICE]


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: dict = field(default_factory=dict)

    def __str__(self):
        steps = ", ".join(f"{label}: {n}" for label, n in self.escalations.items()) or "no escalations"
        return f"{self.reminders} reminders; {steps}"


def _insert_returning(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_INSERT = f"""INSERT INTO {SlaAction._meta.db_table} (case_id, referral_id, kind, step_id, due_date, created_at)"""


def sla_sweep(*, today: datetime.date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    calendar = WorkingCalendar.load()
    result = SweepResult()
    with transaction.atomic():
        result.reminders = _reminders(today, calendar)
    # Every step in one transaction, then one announcement per case or referral: after an outage
    # several steps fall due at once, and each person hears once, of the highest step reached.
    with transaction.atomic():
        reached = []
        for step in EscalationStep.objects.order_by("applies_to", "number"):
            rows = _escalate(step, today, calendar)
            result.escalations[f"{step.applies_to} step {step.number}"] = len(rows)
            reached += [(step, case_id, referral_id) for case_id, referral_id in rows]
        if reached:
            _announce(reached)
    return result


# --- reminders ----------------------------------------------------------------------------


def _reminders(today, calendar: WorkingCalendar) -> int:
    rows = _insert_returning(
        _INSERT + f"""
        SELECT c.id, NULL, 'reminder', NULL, c.due_date, %(now)s FROM {Case._meta.db_table} c
        WHERE c.status = ANY(%(statuses)s) AND c.due_date BETWEEN %(today)s AND %(horizon)s
        ON CONFLICT DO NOTHING RETURNING case_id""",
        {"now": timezone.now(), "statuses": [str(s) for s in REMINDER_STATUSES], "today": today,
         "horizon": calendar.add(today, REMINDER_WORKING_DAYS)},
    )
    if not rows:
        return 0
    cases = _case_rows([case_id for (case_id,) in rows])
    people = _people_for(cases.values())
    now = timezone.now()
    events, messages = [], []
    for case in cases.values():
        told = _who_must_act(case, people)
        when = "today" if case.due_date == today else f"on {case.due_date:%A %-d %B}"
        title = f"{case.reference} is due {when}"
        events.append((case.pk, Kind.REMINDER_SENT, now, f"{title}. Reminded: {_names(told)}.", None))
        body = notice_text(sensitive=case.sensitive, text=case.summary)
        messages += [Message(user.pk, "reminder", title, body, case.url) for user in told]
    _insert_events(events)
    notify_many(messages)
    return len(rows)


# --- the escalation ladder ----------------------------------------------------------------


def _escalate(step: EscalationStep, today, calendar: WorkingCalendar) -> list[tuple]:
    """Record the step for whatever has reached it and not had it: (case id, referral id) rows."""
    params = {"now": timezone.now(), "step": step.pk, "cutoff": calendar.subtract(today, step.wait_days)}
    # In id order, so that racing sweeps take the unique index's locks in the same order.
    if step.applies_to == EscalationStep.AppliesTo.CASE:
        params["statuses"] = [str(s) for s in CASE_LADDER_STATUSES]
        return _insert_returning(_INSERT + f"""
            SELECT c.id, NULL, 'escalation', %(step)s, c.due_date, %(now)s FROM {Case._meta.db_table} c
            WHERE c.advocacy AND c.status = ANY(%(statuses)s) AND c.due_date <= %(cutoff)s ORDER BY c.id
            ON CONFLICT DO NOTHING RETURNING case_id, referral_id""", params)
    return _insert_returning(_INSERT + f"""
        SELECT r.case_id, r.id, 'escalation', %(step)s, r.due_date, %(now)s
        FROM {Referral._meta.db_table} r JOIN {Case._meta.db_table} c ON c.id = r.case_id
        WHERE c.advocacy AND c.status = 'awaiting_service' AND r.responded_at IS NULL
          AND r.due_date <= %(cutoff)s ORDER BY r.id
        ON CONFLICT DO NOTHING RETURNING case_id, referral_id""", params)


@dataclass(frozen=True)
class ReferralRow:
    pk: int
    due_date: datetime.date
    sent_at: datetime.datetime
    details: str
    officer_name: str
    service_id: int
    service: str
    service_email: str  # the confirmed addresses (see referral_emails.recipients)
    head_email: str
    officer_email: str | None  # the People Finder officer the referral names, if any
    officer_active: bool | None  # an officer who has since left gets no more residents' details


def _announce(reached: list[tuple]) -> None:
    """Timeline events, notifications and emails for the escalations just recorded: an event for
    each step, but one message to each person (and one email to each address) per case or
    referral, naming the highest step it reached."""
    cases = _case_rows({case_id for _, case_id, _ in reached})
    referral_ids = {referral_id for _, _, referral_id in reached if referral_id}
    referrals = {r[0]: ReferralRow(*r) for r in Referral.objects.filter(pk__in=referral_ids).values_list(
        "pk", "due_date", "sent_at", "details", "officer_name", "service_id", "service__name",
        "service__confirmed_email", "service__confirmed_head_of_service_email", "officer__confirmed_email",
        "officer__is_active")} if referral_ids else {}
    people = _people_for(cases.values())
    steps_of = defaultdict(list)  # (case id, referral id) -> the steps it reached in this sweep
    for step, case_id, referral_id in reached:
        steps_of[case_id, referral_id].append(step)
    now = timezone.now()
    events, messages, emails, missing_head = [], [], [], {}
    chased = []
    for (case_id, referral_id), steps in steps_of.items():
        case, referral = cases[case_id], referrals.get(referral_id)
        steps.sort(key=lambda step: step.number)
        highest = steps[-1]
        if referral:
            title = f"Overdue: {referral.service}'s answer to the referral for {case.reference}, due " \
                    f"{referral.due_date:%-d %B}"
        else:
            title = f"Overdue: {case.reference} ({STATUS_LABELS[case.status].lower()}), due {case.due_date:%-d %B}"
        owner = people.by_id[case.owner_user_id]
        caught_up = f" (one message for {len(steps)} steps reached at once)" if len(steps) > 1 else ""
        told_by_anyone, addressed = {}, {}  # user id -> user; address -> (subject, body)
        for step in steps:
            told = _who_must_act(case, people) if step.notify_assigned else []
            if step.notify_managers:
                told += [m for m in people.managers if m not in told]
            told = [u for u in told if u.pk != owner.pk] + [owner]  # every step tells the councillor
            told_by_anyone.update((u.pk, u) for u in told)
            lines = [f"{step.label}.", f"Told: {_names(told)}{caught_up}."]
            if referral and step.chase_service:
                # The named officer is the one who can answer; the service's inbox keeps the record.
                for address, _ in recipients(service=referral.service, service_email=referral.service_email,
                                             officer_email=referral.officer_email or "",
                                             officer_active=bool(referral.officer_active)):
                    addressed[address] = (f"Chaser: referral for case {case.reference}", _chaser_text(case, referral))
                    whom = referral.service if address == referral.service_email else \
                        referral.officer_name or "the named officer"
                    lines.append(f"Chased {whom} at {address}.")
            if referral and step.notify_head_of_service:
                if referral.head_email:
                    addressed[referral.head_email] = (f"Escalation: overdue referral for case {case.reference}",
                                                      _chaser_text(case, referral))
                    lines.append(f"Told the head of service at {referral.head_email}.")
                else:
                    lines.append(f"No head of service address for {referral.service}: nobody at that level was told.")
                    missing_head.setdefault(referral.service_id, (referral.service, case.reference))
            kind = Kind.SERVICE_CHASED if referral and step.chase_service else Kind.ESCALATED
            events.append((case.pk, kind, now, " ".join(lines), referral_id))
        for user in told_by_anyone.values():
            if user.pk == owner.pk:
                body = f"The Support & Liaison Team has been alerted: {highest.label.lower()}."
            else:
                body = f"{highest.label}. {notice_text(sensitive=case.sensitive, text=case.summary)}"
            messages.append(Message(user.pk, "escalation", title, body, case.url))
        emails += [(to, subject, body) for to, (subject, body) in addressed.items()]
        if referral and any(step.chase_service for step in steps):
            chased.append(referral.pk)
    _insert_events(events)
    if missing_head:
        messages += _tell_managers_once_of_missing_head(missing_head, people)
    notify_many(messages)
    outbound_emails_queue(emails)
    if chased:
        Referral.objects.filter(pk__in=chased).update(chased_at=now)


def _tell_managers_once_of_missing_head(missing: dict[int, tuple[str, str]], people: "People") -> list[Message]:
    """Messages to the liaison managers about services the ladder found without a head of service
    address: once per service ever, whichever sweep (or racing worker) meets the gap first."""
    noticed = _insert_returning(
        f"""INSERT INTO {MissingAddressNotice._meta.db_table} (service_id, address, created_at)
            SELECT unnest(%(services)s::bigint[]), %(address)s, %(now)s
            ON CONFLICT DO NOTHING RETURNING service_id""",
        {"services": list(missing), "address": MissingAddressNotice.Address.HEAD_OF_SERVICE, "now": timezone.now()})
    messages = []
    for (service_id,) in noticed:
        service, reference = missing[service_id]
        url = reverse("wards:service-edit", args=[service_id])
        messages += [Message(manager.pk, "escalation", f"No head of service address for {service}",
                             f"A referral to {service} ({reference}) reached the step that tells the head of "
                             "service, and there is no address to tell. A ward data admin can add it in the "
                             "People Finder.", url) for manager in people.managers]
    return messages


def _chaser_text(case, referral: ReferralRow) -> str:
    return (
        f"On {referral.sent_at:%-d %B %Y} the Councillor Support & Liaison Team referred case {case.reference} "
        f"to {referral.service}{' (for ' + referral.officer_name + ')' if referral.officer_name else ''}.\n\n"
        f"What was asked:\n{referral.details}\n\n"
        f"An answer was due by {referral.due_date:%-d %B %Y} and we have not had one. Please reply to this "
        "email with the service's response, quoting the case reference.\n\nCouncillor Support & Liaison Team"
    )


# --- shared -------------------------------------------------------------------------------

STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class CaseRow:
    """What the timed jobs need of a case: read as plain values, tens of thousands at a time."""

    pk: int
    reference: str
    summary: str
    sensitive: bool
    status: str
    due_date: datetime.date | None
    advocacy: bool
    owner_user_id: int
    assigned_to_id: int | None
    liaison_officer_id: int | None
    url: str


def _case_rows(ids) -> dict[int, CaseRow]:
    # One reverse() for all: the case URL differs only by its reference.
    url = reverse("casework:case-detail", kwargs={"reference": "KC-0000-00000"})
    rows = Case.objects.filter(pk__in=ids).values_list(
        "pk", "reference", "summary", "sensitive", "status", "due_date", "advocacy", "owner__user_id", "assigned_to_id",
        "owner__liaison_officer_id")
    return {row[0]: CaseRow(*row, url=url.replace("KC-0000-00000", row[1])) for row in rows}


@dataclass
class People:
    by_id: dict
    managers: list


def _people_for(cases) -> People:
    """The users these cases involve, and the managers: one query."""
    ids = {i for c in cases for i in (c.owner_user_id, c.assigned_to_id, c.liaison_officer_id) if i}
    users = User.objects.filter(Q(pk__in=ids) | Q(role=User.Role.LIAISON_MANAGER, is_active=True)).only(
        "id", "full_name", "is_active", "role")
    by_id = {u.pk: u for u in users}
    managers = [u for u in by_id.values() if u.role == User.Role.LIAISON_MANAGER and u.is_active]
    return People(by_id, sorted(managers, key=lambda u: u.full_name))


def _who_must_act(case: CaseRow, people: People) -> list:
    """Whoever holds the next move: the officer working it, else the councillor's liaison officer,
    else the managers; on a case the councillor works alone, the councillor."""
    if not case.advocacy:
        return [people.by_id[case.owner_user_id]]
    for pk in (case.assigned_to_id, case.liaison_officer_id):
        person = people.by_id.get(pk)
        if person is not None and person.is_active:
            return [person]
    return list(people.managers)


def _names(people) -> str:
    return ", ".join(p.full_name for p in people) or "nobody"


def _insert_events(events: list[tuple]) -> None:
    """(case id, kind, time, text, referral id) rows onto the timelines, as the system."""
    insert_rows(CaseEvent, ["case_id", "kind", "created_at", "text", "from_status", "to_status", "referral_id"],
                [(case_id, kind, at, text, "", "", referral_id) for case_id, kind, at, text, referral_id in events])


# --- the daily digest ---------------------------------------------------------------------


def digests_send(*, today: datetime.date | None = None) -> int:
    """Tell each councillor what others changed on their cases yesterday (once a day each)."""
    today = today or timezone.localdate()
    day = today - datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    changes = (
        CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(kind__in=[Kind.VIEWED_SENSITIVE, Kind.CREATED])
        .exclude(actor_id=F("case__owner__user_id"))  # their own changes they know about
        .filter(councillors_reading_cases(today, prefix="case__owner"))  # not once their term has ended
        .values_list("case__owner__user_id", "case__reference", "kind")
        .order_by("case__reference", "id")
    )
    by_owner = defaultdict(list)
    for owner_id, reference, kind in changes:
        by_owner[owner_id].append((reference, Kind(kind).label))
    opted_out = set(Preference.objects.filter(user_id__in=list(by_owner), daily_digest=False)
                    .values_list("user_id", flat=True))
    wanted = {owner: lines for owner, lines in by_owner.items() if owner not in opted_out}
    if not wanted:
        return 0
    with transaction.atomic():
        rows = _insert_returning(
            f"""INSERT INTO {DigestSent._meta.db_table} (user_id, day, changes)
                SELECT * FROM unnest(%(users)s::bigint[], %(days)s::date[], %(counts)s::int[])
                ON CONFLICT DO NOTHING RETURNING user_id""",
            {"users": list(wanted), "days": [day] * len(wanted), "counts": [len(v) for v in wanted.values()]},
        )
        messages = []
        for (user_id,) in rows:
            lines = wanted[user_id]
            body = "\n".join(f"{reference}: {label}" for reference, label in lines)
            messages.append(Message(user_id, "digest", f"Changes to your cases on {day:%A %-d %B}: {len(lines)}",
                                    body, reverse("casework:my-cases")))
        notify_many(messages)
    return len(rows)
