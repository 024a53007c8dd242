"""Factories for councillors."""
import factory

from councillors.models import Councillor
from kirklees.users.models import User

from .kirklees import UserFactory
from .wards import WardFactory


class CouncillorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Councillor

    user = factory.SubFactory(UserFactory, role=User.Role.COUNCILLOR)
    ward = factory.SubFactory(WardFactory)
    advocacy_enrolled = True
