"""Demo ward intelligence: places, profile figures, priorities with progress, briefings, funding and
(if the People Finder is empty) a few officers, for Dalton and a couple of other wards.

Idempotent: each record is looked up by its natural key first, so running the demo again adds
nothing. Dates are relative to today, so the demo always has something current, something
expired and an award whose monitoring report falls due in a few days.
"""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import (
    Briefing, FundingAward, FundingScheme, Officer, Place, Priority, PriorityUpdate, Service, Ward, WardFigure,
)
from ..selectors.funding import financial_year

DEMO_WARDS = ["Dalton", "Batley East", "Almondbury"]

PLACES = {
    "Dalton": [("Moldgreen", Place.Kind.NEIGHBOURHOOD), ("Rawthorpe", Place.Kind.ESTATE),
               ("Dalton village", Place.Kind.VILLAGE), ("Kirkheaton", Place.Kind.VILLAGE)],
    "Batley East": [("Batley town centre", Place.Kind.TOWN_CENTRE), ("Mount Pleasant", Place.Kind.NEIGHBOURHOOD),
                    ("Chickenley", Place.Kind.ESTATE)],
    "Almondbury": [("Almondbury village", Place.Kind.VILLAGE), ("Fenay Bridge", Place.Kind.VILLAGE)],
}

# name, unit, source, as_of, values per ward (made up, of a realistic size)
FIGURES = [
    ("Population", "people", "ONS mid-year population estimates", datetime.date(2023, 6, 30),
     {"Dalton": "17842", "Batley East": "19310", "Almondbury": "16955"}),
    ("Population", "people", "ONS Census 2021", datetime.date(2021, 3, 21),
     {"Dalton": "17615", "Batley East": "19024", "Almondbury": "16880"}),
    ("IMD decile (most deprived area in ward)", "decile", "English Indices of Deprivation 2019",
     datetime.date(2019, 9, 26), {"Dalton": "1", "Batley East": "1", "Almondbury": "3"}),
    ("Children in low-income families", "%", "DWP Children in low income families", datetime.date(2023, 3, 31),
     {"Dalton": "27.4", "Batley East": "31.9", "Almondbury": "14.2"}),
    ("Households", "households", "ONS Census 2021", datetime.date(2021, 3, 21),
     {"Dalton": "7610", "Batley East": "7295", "Almondbury": "7122"}),
]

# ward, title, place, status, description, outcome, updates (days ago, status, text), oldest first
PRIORITIES = [
    ("Dalton", "Safer routes to school in Rawthorpe", "Rawthorpe", Priority.Status.ACTIVE,
     "Parents report speeding traffic and no safe crossing on the way to Rawthorpe schools.",
     "A controlled crossing and a 20 mph zone near both schools, and fewer children driven to school.",
     [(120, Priority.Status.PROPOSED, "Raised by parents at the ward surgery; Highways asked for speed data."),
      (60, Priority.Status.ACTIVE, "Speed survey done: 40% over the limit at school times. Crossing design started."),
      (12, Priority.Status.ACTIVE, "Consultation on the 20 mph zone opens next month.")]),
    ("Dalton", "Bring Moldgreen shops back into use", "Moldgreen", Priority.Status.ACTIVE,
     "Five empty shop units on Wakefield Road; owners unresponsive.",
     "At least three units let or in community use within two years.",
     [(90, Priority.Status.ACTIVE, "Business support team contacted owners of all five units."),
      (20, Priority.Status.ACTIVE, "Two units now advertised; a community café has applied to the ward fund.")]),
    ("Dalton", "Tackle fly-tipping on back lanes", None, Priority.Status.PROPOSED,
     "Repeated fly-tipping on unadopted back lanes across the ward.",
     "Fly-tipping reports in the ward halved in a year.",
     []),
    ("Dalton", "Community litter picks", "Kirkheaton", Priority.Status.ACHIEVED,
     "Residents wanted regular litter picks with council support.",
     "A volunteer group with kit and monthly collections.",
     [(300, Priority.Status.ACTIVE, "Kit bought from the ward fund; first pick in April."),
      (200, Priority.Status.ACHIEVED, "Kirkheaton Litter Heroes now run a monthly pick; council collects the bags.")]),
    ("Batley East", "Warm spaces this winter", "Batley town centre", Priority.Status.ACTIVE,
     "Residents struggling with energy costs need warm places to go.",
     "Four warm spaces open weekly from November to March.",
     [(30, Priority.Status.ACTIVE, "Three venues signed up; a fourth in Chickenley being discussed.")]),
    ("Almondbury", "Fenay Bridge flooding", "Fenay Bridge", Priority.Status.PROPOSED,
     "Surface water flooding on Penistone Road after heavy rain.",
     "Drainage improved so the road stays open in a 1-in-30-year storm.",
     []),
]

OFFICERS = [
    # name, job title, service, email, phone, wards
    ("Priya Patel", "Neighbourhood Highways Officer", "Highways", "priya.patel@example.org", "01484 221001",
     ["Dalton", "Almondbury"]),
    ("Gareth Sykes", "Environmental Enforcement Officer", "Environmental Health", "gareth.sykes@example.org",
     "01484 221002", ["Dalton", "Batley East"]),
    ("Hannah Lodge", "Community Plus Officer", "Homes and Neighbourhoods (repairs)", "hannah.lodge@example.org",
     "01484 221003", ["Dalton"]),
    ("Sajid Hussain", "Parks Ranger", "Parks and Greenspace", "sajid.hussain@example.org", "", ["Batley East"]),
    ("Rachel Firth", "Waste Services Supervisor", "Waste and Recycling", "rachel.firth@example.org",
     "01484 221005", []),
]


def _wards() -> dict[str, Ward]:
    return {w.name: w for w in Ward.objects.latest_arrangement().filter(name__in=DEMO_WARDS)}


def _places(wards) -> dict[tuple[str, str], Place]:
    places = {}
    for ward_name, rows in PLACES.items():
        if ward_name not in wards:
            continue
        for name, kind in rows:
            place, _ = Place.objects.get_or_create(ward=wards[ward_name], name=name, defaults={"kind": kind})
            places[ward_name, name] = place
    return places


def _figures(wards) -> None:
    for name, unit, source, as_of, values in FIGURES:
        for ward_name, value in values.items():
            if ward_name in wards:
                WardFigure.objects.get_or_create(ward=wards[ward_name], name=name, as_of=as_of, defaults=dict(
                    value=Decimal(value), unit=unit, source=source))


def _priorities(wards, places, author, now) -> dict[str, Priority]:
    made = {}
    for ward_name, title, place, status, description, outcome, updates in PRIORITIES:
        if ward_name not in wards:
            continue
        first = updates[0][0] if updates else 7
        priority, created = Priority.objects.get_or_create(ward=wards[ward_name], title=title, defaults=dict(
            place=places.get((ward_name, place)) if place else None, status=status, description=description,
            outcome_sought=outcome, created_by=author, created_at=now - datetime.timedelta(days=first + 7)))
        if created:
            PriorityUpdate.objects.bulk_create([
                PriorityUpdate(priority=priority, text=text, status=update_status, by=author,
                               at=now - datetime.timedelta(days=days))
                for days, update_status, text in updates])
        made[title] = priority
    return made


def _briefings(wards, author, today) -> None:
    day = datetime.timedelta(days=1)
    dalton = wards.get("Dalton")
    rows = [
        (None, "Household Support Fund: new round open",
         "Residents struggling with food and energy bills can apply for the new round of the Household Support "
         "Fund until the end of March. Referrals from councillors are welcome.",
         "https://www.kirklees.gov.uk/", False, today - 5 * day, today + 60 * day),
        (dalton, "Rawthorpe: anti-social behaviour around the shops",
         "Police and the council's ASB team have seen a rise in reports around Rawthorpe shops after 8pm. "
         "Extra patrols start this week; a drop-in for residents is planned.",
         "", True, today - 2 * day, today + 30 * day),
        (dalton, "Moldgreen road closure for gas works",
         "Wakefield Road was closed for four weeks for gas main replacement; buses were diverted.",
         "", False, today - 60 * day, today - 10 * day),
        (None, "Winter gritting routes published",
         "The gritting routes for this winter will be on the council website from next week.",
         "", False, today + 7 * day, today + 120 * day),
    ]
    for ward, title, text, link, key_issue, publish_on, expires_on in rows:
        if dalton is None and ward is not None:
            continue
        Briefing.objects.get_or_create(title=title, ward=ward, defaults=dict(
            text=text, link=link, key_issue=key_issue, publish_on=publish_on, expires_on=expires_on, author=author))


def _funding(wards, places, priorities, today) -> None:
    ward_fund, _ = FundingScheme.objects.get_or_create(name="Ward Members’ Fund", defaults={
        "description": "Small grants that each ward's councillors decide together."})
    grants, _ = FundingScheme.objects.get_or_create(name="Community Grants", defaults={
        "description": "Grants for voluntary and community groups, decided by the council's panel."})
    start, _ = financial_year(today)
    day = datetime.timedelta(days=1)
    S = FundingAward.Status
    dalton, batley, almondbury = wards.get("Dalton"), wards.get("Batley East"), wards.get("Almondbury")
    # scheme, ward, place, priority, recipient, purpose, amount, status, applied, decided, monitoring due
    rows = [
        (ward_fund, dalton, ("Dalton", "Moldgreen"), "Bring Moldgreen shops back into use",
         "Moldgreen Community Café CIC", "Fit-out of an empty shop unit as a community café", "4500.00",
         S.APPLIED, today - 10 * day, None, None),
        (ward_fund, dalton, ("Dalton", "Rawthorpe"), "Safer routes to school in Rawthorpe",
         "Rawthorpe Junior School PTA", "Walking bus equipment and high-visibility vests", "850.00",
         S.APPROVED, today - 40 * day, max(start, today - 30 * day), None),
        (grants, dalton, ("Dalton", "Kirkheaton"), "Community litter picks",
         "Kirkheaton Litter Heroes", "Litter-picking kit and skip hire for a year", "1200.00",
         S.PAID, today - 90 * day, max(start, today - 80 * day), today + 3 * day),
        (grants, dalton, None, None, "Dalton Over-60s Lunch Club", "Hall hire and transport for a year",
         "2750.00", S.PAID, today - 70 * day, max(start, today - 60 * day), today + 150 * day),
        (ward_fund, dalton, None, None, "Moldgreen Allotment Society", "New water tank and path repairs",
         "600.00", S.MONITORING_DUE, today - 200 * day, start - 150 * day, today - 2 * day),
        (ward_fund, dalton, None, None, "Rawthorpe Youth Football Club", "Kit and pitch hire",
         "1500.00", S.CLOSED, today - 420 * day, start - 380 * day, start - 20 * day),
        (grants, batley, ("Batley East", "Batley town centre"), "Warm spaces this winter",
         "Batley Methodist Church", "Heating and refreshments for a weekly warm space", "3200.00",
         S.APPROVED, today - 25 * day, max(start, today - 14 * day), None),
        (ward_fund, almondbury, None, None, "Almondbury Village Hall", "Accessible toilet", "5000.00",
         S.PAID, today - 120 * day, max(start, today - 100 * day), today + 45 * day),
    ]
    for scheme, ward, place, priority, recipient, purpose, amount, status, applied, decided, due in rows:
        if ward is None:
            continue
        FundingAward.objects.get_or_create(
            scheme=scheme, ward=ward, recipient=recipient, purpose=purpose, defaults=dict(
                place=places.get(place) if place else None, priority=priorities.get(priority) if priority else None,
                amount=Decimal(amount), status=status, applied_on=min(applied, decided or applied),
                decided_on=decided, monitoring_due_on=due))


def _officers(wards, places) -> None:
    """Only when the People Finder is empty: someone may be keeping a real one."""
    if Officer.objects.exists():
        return
    services = {s.name: s for s in Service.objects.all()}
    today = timezone.localdate()
    for index, (name, title, service, email, phone, ward_names) in enumerate(OFFICERS):
        if service not in services:
            continue
        officer = Officer.objects.create(
            full_name=name, job_title=title, service=services[service], email=email, confirmed_email=email,
            phone=phone,
            # One officer overdue for confirmation, so the People Finder's flag shows.
            last_confirmed=today - datetime.timedelta(days=400 if index == 3 else 30 * index))
        officer.wards.set([wards[w] for w in ward_names if w in wards])
        if name == "Hannah Lodge" and ("Batley East", "Chickenley") in places:
            officer.places.set([places["Batley East", "Chickenley"]])


@transaction.atomic
def demo_ward_intel_create(*, author, today: datetime.date | None = None) -> None:
    """`author` (a liaison officer) is shown as having written the priorities and briefings."""
    today = today or timezone.localdate()
    now = timezone.now()
    wards = _wards()
    if not wards:
        return
    places = _places(wards)
    _figures(wards)
    priorities = _priorities(wards, places, author, now)
    _briefings(wards, author, today)
    _funding(wards, places, priorities, today)
    _officers(wards, places)
