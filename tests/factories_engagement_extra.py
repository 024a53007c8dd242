"""Factories for stories of joint working and for learning events, bookings and resources."""
import datetime
import io
import zipfile

import factory
from django.utils import timezone

from engagement.learning.models import Booking, Event, Resource
from engagement.stories.models import Story
from kirklees.users.models import User

from .factories import UserFactory

# Enough of each format for `filetype` to recognise it by its content.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def docx_bytes() -> bytes:
    """A minimal Word document: a zip whose first entries are the OOXML ones."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


class StoryFactory(factory.django.DjangoModelFactory):
    """A draft; `published=True` (a trait) gives a published one."""

    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Joint working story {n}")
    what_happened = "The ward councillor and the area officer walked the estate together and agreed a plan."
    outcome = "The alleyway was cleared and stays clear."
    author = factory.SubFactory(UserFactory, role=User.Role.COUNCILLOR)

    class Params:
        published = factory.Trait(
            status=Story.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.LUNCHTIME_BRIEFING
    title = factory.Sequence(lambda n: f"Lunchtime briefing {n}")
    description = "Half an hour on how the council budget is set, with time for questions."
    # On the minute, as the event form sets it.
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=1))
    location = "Huddersfield Town Hall, Committee Room 1"
    capacity = 20
    created_by = factory.SubFactory(UserFactory, role=User.Role.LIAISON_OFFICER)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    description = "A template newsletter for a ward."
    kind = Resource.Kind.TEMPLATE
    link = "https://example.org/template"
    created_by = factory.SubFactory(UserFactory, role=User.Role.LIAISON_OFFICER)
