"""Made-up cases for the demo and for benchmarks: realistic shapes, fictional people.

Rows are written with bulk inserts (a few statements per thousand cases), each case already in
a consistent state with its referrals and timeline, as if it had lived through the services.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import ACTIVE_STATUSES as ACTIVE
from .models import Case, CaseEvent, OutcomeCategory, Referral, Resident, Status
from .services import cases_search_refresh, references_allocate
from .sla import BANK_HOLIDAYS_ONLY

working_days_from = BANK_HOLIDAYS_ONLY.add

FIRST = ["Amira", "Ben", "Chloe", "Darren", "Eleanor", "Farah", "Gareth", "Hannah", "Imran", "Jade",
         "Kieran", "Leanne", "Mohammed", "Nadia", "Owen", "Priya", "Rachel", "Sajid", "Tom", "Yasmin"]
LAST = ["Ahmed", "Barker", "Crowther", "Dyson", "Ellis", "Firth", "Haigh", "Hussain", "Kaur", "Lodge",
        "Mellor", "Patel", "Quarmby", "Sykes", "Taylor", "Walker"]
STREETS = ["Station Road", "Church Street", "Manchester Road", "Halifax Road", "Bradford Road",
           "Wakefield Road", "Park Avenue", "Mill Lane", "Chapel Hill", "Victoria Street"]
TOWNS = [("Huddersfield", "HD"), ("Dewsbury", "WF13"), ("Batley", "WF17"), ("Holmfirth", "HD9"),
         ("Mirfield", "WF14"), ("Cleckheaton", "BD19"), ("Heckmondwike", "WF16")]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
SUMMARIES = {
    "Bins and recycling": ["Bins not collected for three weeks", "Assisted bin collection not happening",
                           "Recycling bin damaged and not replaced"],
    "Roads and pavements": ["Pothole outside the school", "Street light out on a dark footpath",
                            "Pavement blocked by overgrown hedge"],
    "Housing": ["Damp and mould in council flat", "Repair to broken boiler not booked",
                "Housing register application stuck"],
    "Benefits and council tax": ["Council tax reduction not applied", "Housing benefit payment delayed"],
    "Anti-social behaviour": ["Repeated noise from neighbouring property", "Fly-tipping on the back lane"],
    "Parks and open spaces": ["Play area equipment broken", "Overflowing litter bins in the park"],
    "Social care": ["Care assessment not arranged", "Adaptations for disabled resident delayed"],
    "Planning": ["Building work without permission", "Concern about a planning application"],
}

# How the states are spread over a caseload; about one in five active cases ends up overdue.
STATE_WEIGHTS = [
    (Status.OPEN, 12), (Status.TRIAGE, 14), (Status.IN_PROGRESS, 20), (Status.AWAITING_SERVICE, 16),
    (Status.AWAITING_RESIDENT, 6), (Status.RESOLVED, 10), (Status.CLOSED, 17), (Status.WITHDRAWN, 5),
]
TEAM_ONLY = {Status.TRIAGE, Status.IN_PROGRESS, Status.AWAITING_RESIDENT}


@dataclass
class Cast:
    councillors: list  # Councillor objects, owners in proportion to their weight
    weights: list
    team: list  # liaison users
    services: list
    categories: list


def _postcode(rng: random.Random, prefix: str) -> str:
    district = prefix if any(ch.isdigit() for ch in prefix) else f"{prefix}{rng.randint(1, 8)}"
    return f"{district} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _resident(rng: random.Random, created_by, created_at) -> Resident:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    town, prefix = rng.choice(TOWNS)
    prefers = rng.choice(["phone", "email", "post"])
    return Resident(
        full_name=f"{first} {last}", address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}\n{town}",
        postcode=_postcode(rng, prefix), email=f"{first}.{last}{rng.randint(1, 99)}@example.com".lower(),
        phone=f"07700 900{rng.randint(0, 999):03d}", preferred_contact=prefers,
        lawful_basis=rng.choice(["consent", "consent", "public_task"]), basis_recorded_on=created_at.date(),
        created_by=created_by, created_at=created_at,
    )


@transaction.atomic
def demo_cases_create(*, count: int, cast: Cast, seed: int = 2026, max_age_days: int = 120) -> int:
    """Make `count` cases spread over every state; returns how many were made."""
    rng = random.Random(seed)
    now = timezone.now()
    year = timezone.localdate().year
    states = [s for s, _ in STATE_WEIGHTS]
    weights = [w for _, w in STATE_WEIGHTS]
    made = 0
    batch = 5000
    outcomes = list(OutcomeCategory.objects.filter(retired=False)) or [None]
    while made < count:
        size = min(batch, count - made)
        owners = rng.choices(cast.councillors, weights=cast.weights, k=size)
        statuses = rng.choices(states, weights=weights, k=size)
        # Open work is mostly recent and finished work older, as in a real caseload.
        created = [now - datetime.timedelta(days=rng.uniform(0, 32) if status in ACTIVE
                                            else rng.uniform(5, max_age_days)) for status in statuses]
        residents = Resident.objects.bulk_create(
            [_resident(rng, owner.user, at) for owner, at in zip(owners, created)], batch_size=batch
        )
        references = references_allocate(year=year, count=size)
        cases, plans = [], []
        for owner, status, at, resident, reference in zip(owners, statuses, created, residents, references):
            case, plan = _case(rng, cast, owner, status, at, resident, reference)
            _stage_outcomes(case, outcomes)
            cases.append(case)
            plans.append(plan)
        Case.objects.bulk_create(cases, batch_size=batch)
        referrals, events = [], []
        for case, plan in zip(cases, plans):
            case_referrals, case_events = _history(rng, cast, case, plan)
            for referral in case_referrals:
                if referral.responded_at:
                    referral.response_met, referral.response_margin, _ = _stage(
                        referral.due_date, referral.responded_at, 0)
                    referral.response_days = BANK_HOLIDAYS_ONLY.between(
                        timezone.localdate(referral.sent_at), timezone.localdate(referral.responded_at))
            referrals += case_referrals
            events += case_events
        Referral.objects.bulk_create(referrals, batch_size=batch)
        for event in events:
            if event.referral is not None:
                event.referral_id = event.referral.pk
        CaseEvent.objects.bulk_create(events, batch_size=batch)
        cases_search_refresh(case_ids=[c.pk for c in cases])
        made += size
    return made


def _stage(due, end, target):
    end = timezone.localdate(end)
    margin = BANK_HOLIDAYS_ONLY.margin(due, end)
    return end <= due, margin, max(target - margin, 0)


def _stage_outcomes(case: Case, outcomes) -> None:
    """What casework.services records when a stage ends, for the reports (no random draws: the rest
    of the demo stays as it was)."""
    number = int(case.reference[-5:])
    if case.resolved_at:
        # Some resolutions take longer, so that the reports show some outside their target.
        later = case.resolved_at + datetime.timedelta(days=[0, 0, 0, 4, 10, 22][number % 6])
        case.resolved_at = max(min(later, timezone.now() - datetime.timedelta(hours=3)), case.resolved_at)
        if case.closed_at:
            case.closed_at = min(case.resolved_at + datetime.timedelta(days=2), timezone.now() - datetime.timedelta(hours=1))
        case.outcome_category = outcomes[number % len(outcomes)]
        case.resolution_met, case.resolution_margin, case.resolution_days = _stage(
            case.resolution_due, case.resolved_at, case.category.resolution_days)
    if case.accepted_at and case.triage_due:
        case.triage_ended_at = case.accepted_at
        case.triage_met, case.triage_margin, case.triage_days = _stage(
            case.triage_due, case.accepted_at, case.category.triage_days)


def _case(rng, cast, owner, status, created_at, resident, reference):
    advocacy = owner.advocacy_enrolled and (status in TEAM_ONLY or status != Status.OPEN and rng.random() < 0.8)
    if not advocacy and status in TEAM_ONLY:
        status = rng.choice([Status.OPEN, Status.AWAITING_SERVICE])
    category = rng.choice(cast.categories)
    priority = rng.choices(["normal", "high", "urgent"], weights=[80, 15, 5])[0]
    day = timezone.localdate(created_at)
    triage_due = working_days_from(day, category.triage_days) if advocacy else None
    resolution_due = working_days_from(day, category.resolution_days)
    step = lambda: created_at + datetime.timedelta(hours=rng.uniform(2, 72))  # noqa: E731
    accepted_at = step() if advocacy and status != Status.TRIAGE else None
    resolved_at = step() + datetime.timedelta(days=3) if status in (Status.RESOLVED, Status.CLOSED) else None
    due_date = {
        Status.OPEN: resolution_due, Status.TRIAGE: triage_due, Status.IN_PROGRESS: resolution_due,
        Status.AWAITING_SERVICE: working_days_from(day, category.response_days),
    }.get(status)
    summary = rng.choice(SUMMARIES.get(category.name, ["Resident needs help with a council service"]))
    case = Case(
        reference=reference, resident=resident, ward=owner.ward, category=category, summary=summary,
        details="Made-up demo case. " + summary + ".", priority=priority,
        enquiry_type=rng.choice(["member_enquiry", "service_request", "complaint"]),
        sensitive=(sensitive := category.name in ("Social care", "Benefits and council tax") and rng.random() < 0.5),
        capacity="advocacy" if advocacy else "ward_councillor", lawful_basis=resident.lawful_basis,
        special_category_condition="elected_representative" if sensitive else "", basis_recorded_at=created_at,
        owner=owner, advocacy=advocacy, status=status, due_date=due_date, triage_due=triage_due,
        resolution_due=resolution_due,
        assigned_to=rng.choice(cast.team) if accepted_at else None, accepted_at=accepted_at,
        resolved_at=resolved_at,
        outcome="The service fixed it and the resident is happy." if resolved_at else "",
        closed_at=resolved_at + datetime.timedelta(days=2) if status == Status.CLOSED else None,
        withdrawn_at=step() if status == Status.WITHDRAWN else None,
        paused_on=timezone.localdate(step()) if status == Status.AWAITING_RESIDENT else None,
        created_by=owner.user, created_at=created_at, updated_at=created_at,
    )
    return case, {"referred": status in (Status.AWAITING_SERVICE, Status.RESOLVED, Status.CLOSED)}


def _history(rng, cast, case: Case, plan) -> tuple[list[Referral], list[CaseEvent]]:
    actor = case.owner.user
    events = [CaseEvent(case=case, kind=CaseEvent.Kind.CREATED, actor=actor, created_at=case.created_at)]
    referrals = []
    status = Status.OPEN

    def event(kind, at, to=None, **fields):
        nonlocal status
        events.append(CaseEvent(case=case, kind=kind, actor=fields.pop("by", actor), created_at=at,
                                from_status=status if to else "", to_status=to or "", **fields))
        if to:
            status = to

    t = case.created_at + datetime.timedelta(minutes=1)
    if case.advocacy:
        event(CaseEvent.Kind.REFERRED_TO_ADVOCACY, t, Status.TRIAGE)
        if case.accepted_at:
            event(CaseEvent.Kind.ACCEPTED, case.accepted_at, Status.IN_PROGRESS, by=case.assigned_to,
                  text=f"Assigned to {case.assigned_to}")
            t = case.accepted_at
    if plan["referred"]:
        t += datetime.timedelta(hours=1)
        service = rng.choice(cast.services)
        responded = case.status != Status.AWAITING_SERVICE
        referral = Referral(
            case=case, service=service, details="Please look into this for the resident.", sent_at=t,
            due_date=working_days_from(timezone.localdate(t), case.category.response_days),
            response="Done: a crew attended and put it right." if responded else "",
            responded_at=t + datetime.timedelta(days=4) if responded else None,
            created_by=case.assigned_to or actor,
            # A case held on the resident's consent is referred only with their agreement, recorded.
            **({"resident_agreed": True, "consent_recorded_at": t, "consent_recorded_by": case.assigned_to or actor}
               if case.needs_consent_to_share else {}),
        )
        referrals.append(referral)
        event(CaseEvent.Kind.REFERRED_TO_SERVICE, t, Status.AWAITING_SERVICE, referral=referral,
              by=case.assigned_to or actor, text=f"To {service}")
        if responded:
            event(CaseEvent.Kind.RESPONSE_RECORDED, referral.responded_at,
                  Status.IN_PROGRESS if case.advocacy else Status.OPEN, referral=referral,
                  by=case.assigned_to or actor, text=f"From {service}: {referral.response}")
    if case.status == Status.AWAITING_RESIDENT:
        event(CaseEvent.Kind.INFO_REQUESTED, t + datetime.timedelta(hours=2), Status.AWAITING_RESIDENT,
              by=case.assigned_to, text="Please send a photo of the problem.")
    if case.resolved_at:
        event(CaseEvent.Kind.RESOLVED, case.resolved_at, Status.RESOLVED, by=case.assigned_to or actor,
              text=case.outcome)
    if case.closed_at:
        event(CaseEvent.Kind.CLOSED, case.closed_at, Status.CLOSED)
    if case.withdrawn_at:
        event(CaseEvent.Kind.WITHDRAWN, case.withdrawn_at, Status.WITHDRAWN,
              text="The resident sorted it out themselves.")
    return referrals, events


def seed_demo_inbound() -> str:
    """Email for the demo: every referral still waiting gets a reply address (the generated ones were
    made without one), and one message nobody could match waits in the team's list. Idempotent.
    Returns a reply address to try (the local SMTP server takes mail for it)."""
    from kirklees.mailin.services import inbound_message_receive

    from .referral_emails import reply_address, reply_token_new

    for referral in Referral.objects.filter(reply_token__isnull=True, responded_at__isnull=True).only("pk"):
        Referral.objects.filter(pk=referral.pk, reply_token__isnull=True).update(reply_token=reply_token_new())
    inbound_message_receive(
        b"From: A resident <resident@example.net>\r\nTo: casework@example.org\r\nSubject: Any news on my bins?\r\n"
        b"Message-ID: <demo-unmatched-1@example.net>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n"
        b"Hello, I reported my bins last month. Is there any news?\r\n\r\nThanks\r\n", via="smtp")
    waiting = (Referral.objects.filter(responded_at__isnull=True, case__status=Status.AWAITING_SERVICE,
                                       reply_token__isnull=False).select_related("case").order_by("pk").first())
    return f"{reply_address(waiting)} (case {waiting.case.reference})" if waiting else ""
def demo_resident_updates_create(*, councillor_email: str = "councillor@example.org") -> str:
    """One demo case whose resident asked for updates by email, with the update on its acceptance
    sent (so the case page shows both). Idempotent: nothing if a case already has updates."""
    from kirklees.notifications.models import Update

    from . import resident_updates

    if Case.objects.exclude(updates_by=Case.Updates.NONE).exists():
        return "Demo resident updates already there"
    case = (Case.objects.filter(owner__user__email=councillor_email, advocacy=True, accepted_at__isnull=False)
            .exclude(resident__email="").select_related("resident").order_by("pk").first())
    if case is None:
        return "No demo case to give resident updates"
    Case.objects.filter(pk=case.pk).update(updates_by=Case.Updates.EMAIL, updates_consent_at=case.created_at)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.UPDATES_CHANGED, actor=case.owner.user,
                             created_at=case.created_at, text="The resident asked for updates by email")
    status = resident_updates.STEPS["accepted"]
    Update.objects.create(channel=Update.Channel.EMAIL, to=case.resident.email, template=resident_updates.TEMPLATE,
                          personalisation={"reference": case.reference, "status": status},
                          topic=resident_updates.TOPIC, topic_id=case.pk, created_at=case.accepted_at,
                          sent_at=case.accepted_at, backend="email")
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.RESIDENT_UPDATED, created_at=case.accepted_at,
                             text=f"By email: “{status}”")
    return f"Demo case {case.reference} sends its resident updates by email"
