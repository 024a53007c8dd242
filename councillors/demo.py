"""Demo data: political groups, terms for the demo councillors, and a role profile (v1 published, v2 a draft).

Idempotent: running it again finds what it made before.
"""
import datetime

from django.db import transaction
from django.utils import timezone

from .models import Councillor, PoliticalGroup, RoleProfileStep, RoleProfileVersion

GROUPS = [("Labour", "Lab"), ("Conservative", "Con"), ("Liberal Democrats", "LD"), ("Green", "Grn"),
          ("Independent", "Ind")]

# Kirklees elects by thirds, so terms of four years end in different years.
TERMS = [(datetime.date(2022, 5, 9), datetime.date(2026, 5, 11)),
         (datetime.date(2023, 5, 8), datetime.date(2027, 5, 10)),
         (datetime.date(2024, 5, 7), datetime.date(2028, 5, 8))]

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
def seed_demo_councillors(*, wards, users) -> None:
    groups = [PoliticalGroup.objects.get_or_create(name=name, defaults={"short_name": short})[0]
              for name, short in GROUPS]
    councillors = Councillor.objects.filter(ward__in=list(wards.values())).order_by("ward__name", "pk")
    for index, councillor in enumerate(councillors):
        changed = []
        if councillor.group_id is None:
            councillor.group = groups[index % len(groups)]
            changed.append("group")
        if councillor.term_start is None and councillor.term_end is None:
            councillor.term_start, councillor.term_end = TERMS[index % len(TERMS)]
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
