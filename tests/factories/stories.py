"""Factories for stories of joint working."""
import factory
from django.utils import timezone

from engagement.stories.models import Story
from kirklees.users.models import User

from .kirklees import UserFactory


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
