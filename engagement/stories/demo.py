"""Demo stories of joint working: a few published (most in Dalton, where the demo councillor sits)
and a draft waiting for the Support & Liaison Team. Idempotent: stories are found by title."""
import datetime

from django.db import transaction
from django.utils import timezone

from councillors.models import Councillor
from kirklees.users.models import User
from wards.models import Officer, Service, Ward

from .models import Story

# title, ward, service, tags, days since published (None: a draft), what happened, outcome
STORIES = [
    ("Fly-tipping on Dalton Bank cleared in a week", "Dalton", "Waste and Recycling", ["fly-tipping", "walkabouts"], 40,
     "On a ward walkabout the councillor and the area officer found the same lane used for dumping every weekend. "
     "The officer arranged a clearance that week and the councillor asked the residents' association to report "
     "new dumping straight away.",
     "The lane has stayed clear for two months, and enforcement officers now check it on Mondays."),
    ("Street lights back on along Rawthorpe Lane", "Dalton", "Highways", ["lighting", "highways"], 21,
     "Several residents told their councillor about dark stretches on the way to the bus stop. The Support & "
     "Liaison Team found the right highways engineer, who walked the lane with the councillor one evening.",
     "Six lights were repaired in ten days and two more columns are in next year's programme."),
    ("Youth club kept open through the summer", "Dalton", "Parks and Greenspace", ["young people", "funding"], 7,
     "The councillor, the youth service and the parks team met weekly to find a venue when the club's building "
     "closed for repairs.",
     "The club ran in the park pavilion all summer, with numbers up on last year."),
    ("Housing repairs backlog explained at a lunchtime briefing", None, "Homes and Neighbourhoods (repairs)",
     ["housing", "briefings"], 14,
     "After many councillors raised repairs cases, the head of repairs ran a lunchtime briefing on how jobs are "
     "prioritised and how to escalate through the liaison team.",
     "Repeat enquiries about repair timescales fell by a third the following month."),
    ("Gritting routes agreed before the first frost", "Batley East", "Highways", ["highways", "winter"], 60,
     "Ward councillors shared the steep streets residents worry about; the highways team checked each against "
     "the gritting routes before winter.",
     "Two streets were added to the priority route and the rest had grit bins placed."),
    ("Benches for the Almondbury community garden", "Almondbury", "Parks and Greenspace", ["parks"], None,
     "A councillor and the parks officer worked with the garden's volunteers on where benches should go.",
     "Four benches are ordered and will be fitted in spring."),
]


@transaction.atomic
def seed_demo_stories() -> None:
    users = {u.email: u for u in User.objects.filter(email__in=["councillor@example.org", "liaison@example.org"])}
    author = users.get("councillor@example.org")
    team = users.get("liaison@example.org")
    if author is None or team is None:
        return  # the demo logins come first
    wards = {w.name: w for w in Ward.objects.latest_arrangement()}
    services = {s.name: s for s in Service.objects.all()}
    existing = set(Story.objects.values_list("title", flat=True))
    now = timezone.now()
    for title, ward, service, tags, days_ago, what_happened, outcome in STORIES:
        if title in existing:
            continue
        ward = wards.get(ward)
        published_at = None if days_ago is None else now - datetime.timedelta(days=days_ago)
        story = Story.objects.create(
            title=title, what_happened=what_happened, outcome=outcome, ward=ward, service=services.get(service),
            tags=tags, author=author if days_ago is None or days_ago % 2 else team,
            status=Story.Status.DRAFT if published_at is None else Story.Status.PUBLISHED,
            published_at=published_at, published_by=None if published_at is None else team,
            created_at=(published_at or now) - datetime.timedelta(days=2), updated_at=published_at or now,
        )
        if ward is not None:
            story.councillors.set(Councillor.objects.filter(ward=ward).order_by("pk")[:2])
            story.officers.set(Officer.objects.filter(wards=ward, is_active=True).order_by("pk")[:1])
