"""Factories for learning events, bookings and resources."""
import datetime

import factory
from django.utils import timezone

from engagement.learning.models import Booking, Event, Resource
from kirklees.users.models import User

from .kirklees import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.LUNCHTIME_BRIEFING
    title = factory.Sequence(lambda n: f"Lunchtime briefing {n}")
    description = "Half an hour on how the council budget is set, with time for questions."
    # A week on, at ten in the morning: on the minute, as the event form sets it, and never running
    # past midnight (a test started at 23:30 would otherwise make an event that ends the next day).
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(10, 0))))
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
