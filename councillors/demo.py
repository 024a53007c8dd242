"""Demo data: political groups, councillors for every seat with current terms, and a role profile
(v1 published, v2 a draft).

Idempotent: running it again finds what it made before.
"""
import datetime

from django.db import transaction
from django.utils import timezone

from .models import Councillor, PoliticalGroup, RoleProfileStep, RoleProfileVersion

GROUPS = [("Labour", "Lab"), ("Conservative", "Con"), ("Liberal Democrats", "LD"), ("Green", "Grn"),
          ("Independent", "Ind")]

# Names for the demo's councillors without a login: first names and surnames paired by index.
# The two lists have coprime lengths (29 and 31), so the first 899 pairs are all different.
FIRST_NAMES = ["Aisha", "Andrew", "Bilal", "Catherine", "Daniel", "Eileen", "Farah", "Gareth", "Helen",
               "Irfan", "Joanne", "Karen", "Liam", "Mohammed", "Nadia", "Owen", "Paula", "Qasim",
               "Rachel", "Samina", "Thomas", "Usma", "Victoria", "Wasim", "Yvonne", "Zahid", "Beverley",
               "Graham", "Shabana"]
SURNAMES = ["Armitage", "Bairstow", "Crossley", "Dyson", "Ellis", "Firth", "Gledhill", "Hirst",
            "Iqbal", "Jagger", "Kaye", "Lockwood", "Mahmood", "North", "Oldroyd", "Pearson", "Quarmby",
            "Ramsden", "Sykes", "Taylor", "Uddin", "Varley", "Walker", "Akhtar", "Brook", "Chaudhry",
            "Dawson", "Hussain", "Mellor", "Shaw", "Whitwam"]


def demo_councillor_name(index: int) -> str:
    return f"Cllr {FIRST_NAMES[index % len(FIRST_NAMES)]} {SURNAMES[index % len(SURNAMES)]}"


def demo_terms(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Three current four-year terms, for the three seats of a ward: Kirklees elects by thirds in
    May, so the seats' terms began this May (or last, before May), one and two years before. A
    term ends on the day four years after it began (the first day out of office)."""
    latest = datetime.date(today.year, 5, 8)
    if latest > today:
        latest = latest.replace(year=today.year - 1)
    return [(latest.replace(year=latest.year - seat), latest.replace(year=latest.year - seat + 4))
            for seat in range(3)]

PROFILE_V1 = """Councillors are elected to represent everyone who lives in their ward, whether or not they voted for them.

A councillor listens to residents, community groups and businesses, and takes their views into the council's decisions.

A councillor helps residents who cannot get a council service to work for them, using the Councillor Support & Liaison Team where that helps.

A councillor works with officers with mutual respect, following the Members' Code of Conduct and the protocol on member and officer relations.

A councillor takes part in the meetings of the council and of the committees they sit on, and prepares for them."""

PROFILE_V2 = PROFILE_V1.replace(
    "using the Councillor Support & Liaison Team where that helps.",
    "using the Councillor Support & Liaison Team and its advocacy service where that helps.",
) + """

A councillor keeps up to date with what is happening in their ward, through ward briefings, ward solution meetings and Place Standard results."""


@transaction.atomic
def seed_demo_councillors(*, wards, users, today: datetime.date | None = None) -> None:
    """Give the wards' councillors a group and, where none is recorded or it has ended, a term
    current on `today` (the day the demo is loaded), so that every page calls them serving."""
    today = today or timezone.localdate()
    groups = [PoliticalGroup.objects.get_or_create(name=name, defaults={"short_name": short})[0]
              for name, short in GROUPS]
    terms = demo_terms(today)
    councillors = Councillor.objects.filter(ward__in=list(wards.values())).order_by("ward__name", "pk")
    seat_in_ward = {}
    for index, councillor in enumerate(councillors):
        seat = seat_in_ward[councillor.ward_id] = seat_in_ward.get(councillor.ward_id, -1) + 1
        changed = []
        if councillor.group_id is None:
            councillor.group = groups[index % len(groups)]
            changed.append("group")
        if councillor.term_start is None or not councillor.is_serving(today):
            councillor.term_start, councillor.term_end = terms[seat % len(terms)]
            changed += ["term_start", "term_end"]
        if councillor.advocacy_enrolled and councillor.advocacy_enrolled_on is None:
            councillor.advocacy_enrolled_on = datetime.date(2025, 10, 1)
            changed.append("advocacy_enrolled_on")
        if changed:
            councillor.save(update_fields=changed)

    manager = users["manager"]
    if RoleProfileVersion.objects.exists():
        return
    now = timezone.now()
    v1 = RoleProfileVersion.objects.create(
        number=1, title="Councillor role profile", body=PROFILE_V1, summary_of_changes="First version",
        status=RoleProfileVersion.Status.PUBLISHED, created_by=manager, created_at=now - datetime.timedelta(days=120))
    for days, status in zip((120, 100, 80, 70, 60), RoleProfileVersion.Status.values):
        RoleProfileStep.objects.create(version=v1, status=status, by=manager, at=now - datetime.timedelta(days=days))
    v2 = RoleProfileVersion.objects.create(
        number=2, title="Councillor role profile", body=PROFILE_V2,
        summary_of_changes="Adds advocacy and ward intelligence", created_by=manager,
        created_at=now - datetime.timedelta(days=3))
    RoleProfileStep.objects.create(version=v2, status=RoleProfileVersion.Status.DRAFT, by=manager, at=v2.created_at)
