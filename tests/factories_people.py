"""Factories for the People Finder and ward solution meetings."""
import datetime

import factory
from django.utils import timezone

from wards.models import MeetingAction, Officer, Place, WardMeeting

from .factories import ServiceFactory, UserFactory, WardFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Place {n}")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Officer {n:03d}")
    job_title = "Neighbourhood officer"
    service = factory.SubFactory(ServiceFactory)
    email = factory.Sequence(lambda n: f"officer{n}@kirklees.example")
    last_confirmed = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def wards(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.wards.set(extracted)

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.places.set(extracted)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardMeeting

    ward = factory.SubFactory(WardFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    title = factory.Sequence(lambda n: f"Ward solution meeting {n}")
    created_by = factory.SubFactory(UserFactory)


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Clear the fly-tipping on lane {n}")
    owner_name = "Cllr Owner"
