"""Demo learning events (one of each kind, coming up, with some bookings and one full) and a few
resources for the library. Idempotent: events and resources are found by title."""
import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kirklees.users.models import User
from wards.models import Ward

from .models import Booking, Event, Resource

# title, kind, days from today, start, end, capacity, where, online link, ward, description
EVENTS = [
    ("Lunchtime briefing: how council housing repairs are prioritised", Event.Kind.LUNCHTIME_BRIEFING, 2,
     (12, 30), (13, 15), 30, "Huddersfield Town Hall, Committee Room 1", "https://teams.example.org/meet/repairs",
     None, "The head of repairs explains how jobs are prioritised, and how to escalate through the Support & "
     "Liaison Team. Questions welcome; join in the room or online."),
    ("Fresher's fair for new councillors", Event.Kind.FRESHERS_FAIR, 9, (10, 0), (14, 0), 80,
     "Huddersfield Town Hall, Reception Room", "", None,
     "Meet the council's services, find out who does what, and pick up the guides you will need in your first "
     "months."),
    ("Working in a political environment", Event.Kind.POLITICAL_ENVIRONMENT, 5, (9, 30), (12, 30), 4,
     "Civic Centre 1, Training Room 3", "", None,
     "Half-day training for officers on working with elected members: roles, the member–officer protocol and "
     "political neutrality."),
    ("Bring your councillor to work day: Highways depot", Event.Kind.COUNCILLOR_TO_WORK, 14, (9, 0), (12, 0), 12,
     "Highways depot, Bradley", "", None,
     "Officers show councillors how pothole reports become repairs, from the control room to the gangs."),
    ("Dalton ward walkabout", Event.Kind.WARD_WALKABOUT, 3, (10, 0), (12, 0), 10,
     "Meet at Rawthorpe shops", "", "Dalton",
     "Walk the ward with its councillors, the area officer and the police community support officer, and note "
     "what needs doing."),
]
FULL_EVENT = "Working in a political environment"

# A minimal one-page PDF, so that the demo library has a file to download.
DEMO_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 68 >> stream
BT /F1 18 Tf 72 770 Td (Ward newsletter template: your news here) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""

# title, kind, link, file name (or None), tags, description
RESOURCES = [
    ("Ward newsletter template", Resource.Kind.TEMPLATE, "", "ward-newsletter-template.pdf",
     ["newsletters", "templates"], "A one-page newsletter layout for telling residents what has happened in the "
     "ward. Replace the text with your own news."),
    ("A good ward update on social media", Resource.Kind.GOOD_EXAMPLE, "https://www.kirklees.gov.uk/", None,
     ["social media"], "An example of a short, clear post about a repaired play area: what was done, who helped, "
     "and where to report problems."),
    ("Member–officer protocol: a short guide", Resource.Kind.GUIDANCE, "https://www.kirklees.gov.uk/", None,
     ["protocol", "working together"], "What councillors and officers can expect of each other, and where to go "
     "when something goes wrong."),
]


def _at(day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


@transaction.atomic
def seed_demo_learning() -> None:
    team = User.objects.filter(email="liaison@example.org").first()
    if team is None:
        return  # the demo logins come first
    today = timezone.localdate()
    wards = {w.name: w for w in Ward.objects.latest_arrangement()}
    existing = set(Event.objects.values_list("title", flat=True))
    # Some people to fill the seats: the demo councillor, then others with a role.
    demo_councillor = User.objects.filter(email="councillor@example.org").first()
    others = list(User.objects.exclude(role="").exclude(email__in=["councillor@example.org", "liaison@example.org"])
                  .order_by("pk")[:12])
    for title, kind, days, start, end, capacity, where, link, ward, description in EVENTS:
        if title in existing:
            continue
        day = today + datetime.timedelta(days=days)
        event = Event.objects.create(
            title=title, kind=kind, description=description, starts_at=_at(day, start), ends_at=_at(day, end),
            capacity=capacity, location=where, online_link=link, ward=wards.get(ward) if ward else None,
            created_by=team,
        )
        seats = capacity if title == FULL_EVENT else min(capacity - 1, 3)
        attendees = others[:seats]
        if demo_councillor is not None and title != FULL_EVENT and kind != Event.Kind.FRESHERS_FAIR:
            attendees = [demo_councillor, *attendees[:seats - 1]]
        Booking.objects.bulk_create([Booking(event=event, user=user) for user in attendees])
    existing = set(Resource.objects.values_list("title", flat=True))
    for title, kind, link, file_name, tags, description in RESOURCES:
        if title not in existing:
            resource = Resource(title=title, kind=kind, link=link, tags=tags, description=description,
                                created_by=team)
            if file_name:
                resource.file.save("upload", ContentFile(DEMO_PDF), save=False)
                resource.file_name, resource.content_type, resource.size = file_name, "application/pdf", len(DEMO_PDF)
            resource.save()
