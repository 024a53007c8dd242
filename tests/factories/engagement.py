"""Factories for Place Standard exercises and responses."""
import datetime
import importlib

import factory
from django.apps import apps
from django.utils import timezone

from engagement.models import SCORE_FIELDS, Exercise, Response, ResponseComment, Theme
from kirklees.users.models import User

from .kirklees import UserFactory
from .wards import WardFactory


def ensure_themes() -> list[Theme]:
    """The themes come from a data migration; a transactional test's flush empties the table, so
    the browser tests put them back the way the migration does."""
    if Theme.objects.count() != len(SCORE_FIELDS):
        importlib.import_module("engagement.migrations.0002_place_standard_themes").load_themes(apps, None)
    return list(Theme.objects.order_by("number"))


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    ward = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"Place Standard exercise {n}")
    starts_on = datetime.date(2026, 3, 1)
    ends_on = datetime.date(2026, 3, 31)
    method = Exercise.Method.ONLINE
    status = Exercise.Status.OPEN
    facilitator = factory.SubFactory(UserFactory, role=User.Role.LIAISON_OFFICER)
    created_by = factory.SelfAttribute("facilitator")
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Exercise.Status.PUBLISHED else None)


def scores_row(*scores) -> dict:
    """score_1 … score_n from positional scores; the rest skipped."""
    return {f"score_{n}": score for n, score in enumerate(scores, start=1)}


def add_responses(exercise: Exercise, rows: list[list[int | None]], *, age_band: str = "",
                  source: str = Response.Source.ONLINE) -> list[Response]:
    """One response per row; each row lists scores in theme order (shorter rows skip the rest)."""
    return Response.objects.bulk_create([
        Response(exercise=exercise, source=source, age_band=age_band, **scores_row(*row)) for row in rows
    ])


def add_comment(response: Response, theme: int, text: str, kind: str = ResponseComment.Kind.BETTER):
    return ResponseComment.objects.create(response=response, exercise_id=response.exercise_id, theme_id=theme,
                                          kind=kind, text=text)
