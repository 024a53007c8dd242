"""Factories for wards and ward intelligence: wards, services, places, profile figures, priorities,
briefings, funding, the People Finder and ward meetings."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from wards.models import (
    Briefing, FundingAward, FundingScheme, MeetingAction, Officer, Place, Priority, PriorityUpdate, Service, Ward,
    WardFigure, WardMeeting,
)

from .kirklees import UserFactory


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    name = factory.Sequence(lambda n: f"Ward {n}")
    valid_from = datetime.date(2004, 6, 10)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    email = factory.Sequence(lambda n: f"service{n}@example.org")
    head_of_service_email = ""
    # A service made for a test is one whose addresses were confirmed long ago, as after the migration.
    confirmed_email = factory.LazyAttribute(lambda service: service.email)
    confirmed_head_of_service_email = factory.LazyAttribute(lambda service: service.head_of_service_email)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Place {n}")


class WardFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardFigure

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Figure {n}")
    value = Decimal("100")
    unit = "people"
    source = "ONS"
    as_of = datetime.date(2023, 6, 30)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    ward = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    description = "Something the ward wants to change"
    outcome_sought = "It has changed"
    created_by = factory.SubFactory(UserFactory)


class PriorityUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityUpdate

    priority = factory.SubFactory(PriorityFactory)
    text = factory.Sequence(lambda n: f"Progress {n}")
    status = factory.SelfAttribute("priority.status")
    by = factory.SubFactory(UserFactory)


class BriefingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Briefing

    ward = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"Briefing {n}")
    text = "Something councillors should know"
    publish_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    author = factory.SubFactory(UserFactory)


class FundingSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingScheme

    name = factory.Sequence(lambda n: f"Scheme {n}")


class FundingAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingAward

    scheme = factory.SubFactory(FundingSchemeFactory)
    ward = factory.SubFactory(WardFactory)
    recipient = factory.Sequence(lambda n: f"Community group {n}")
    purpose = "Equipment"
    amount = Decimal("1000.00")
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Officer {n}")
    job_title = "Neighbourhood officer"
    service = factory.SubFactory(ServiceFactory)
    email = factory.Sequence(lambda n: f"officer{n}@example.org")
    confirmed_email = factory.LazyAttribute(lambda officer: officer.email)
    last_confirmed = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def wards(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.wards.set(extracted)

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.places.set(extracted)


class WardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardMeeting

    ward = factory.SubFactory(WardFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    title = factory.Sequence(lambda n: f"Ward solution meeting {n}")
    created_by = factory.SubFactory(UserFactory)


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(WardMeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner_name = "Somebody"
