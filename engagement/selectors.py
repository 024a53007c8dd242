"""Every read of Place Standard data that a page needs, with a fixed number of queries.

Results come from the score tallies (engagement/models.py, kept by triggers), summed by Postgres:
per theme the number of answers, the mean, the median and the count of each score. The median is
the one percentile_cont(0.5) gives over the raw answers (the middle answer, or halfway between the
two middle ones when their number is even), found from the running totals of the distribution:
tests check it against percentile_cont itself. Skipped themes are not tallied, so count in none.
"""
import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse

from wards.models import Ward

from .compass import Compass, build_compass
from .models import SCORES, THEME_COUNT, Exercise, PrioritySeed, Response, ResponseComment, Theme, score_field

LOWEST_CALLED_OUT = 3
COMMENTS_PER_THEME = 3


def theme_list() -> list[Theme]:
    return list(Theme.objects.order_by("number"))


# --- the arithmetic --------------------------------------------------------------------------------

STATS_SQL = """
WITH counts AS (
    SELECT {group} theme, score, SUM(responses) AS n
    FROM engagement_scoretally
    WHERE {where}
    GROUP BY {group} theme, score
    HAVING SUM(responses) > 0
), running AS (
    SELECT {group} theme, score, n,
           SUM(n) OVER (PARTITION BY {group} theme ORDER BY score) AS upto,
           SUM(n) OVER (PARTITION BY {group} theme) AS total
    FROM counts
)
SELECT {group} theme, total,
       SUM(score * n)::float8 / total AS mean,
       -- The answers at positions floor((N+1)/2) and ceil((N+1)/2), in score order, halved.
       (MIN(score) FILTER (WHERE upto >= FLOOR((total + 1) / 2.0))
        + MIN(score) FILTER (WHERE upto >= CEIL((total + 1) / 2.0)))::float8 / 2 AS median,
       {distribution}
FROM running
GROUP BY {group} theme, total
"""
DISTRIBUTION = ", ".join(f"COALESCE(SUM(n) FILTER (WHERE score = {s}), 0)" for s in SCORES)


@dataclass
class ThemeStats:
    n: int
    mean: float | None
    median: float | None
    counts: list[int]


NO_ANSWERS = ThemeStats(0, None, None, [0] * len(SCORES))


def _stats(where: str, params: list, *, by_exercise: bool = False) -> dict:
    """{theme: ThemeStats}, or {(exercise_id, theme): ThemeStats} by exercise. One query."""
    group = "exercise_id," if by_exercise else ""
    with connection.cursor() as cursor:
        cursor.execute(STATS_SQL.format(group=group, where=where, distribution=DISTRIBUTION), params)
        rows = cursor.fetchall()
    stats = {}
    for row in rows:
        key, (total, mean, median, *counts) = (tuple(row[:2]) if by_exercise else row[0]), row[-10:]
        stats[key] = ThemeStats(int(total), mean, median, [int(c) for c in counts])
    return stats


def _exercise_where(exercise_ids: list[int], age_band: str) -> tuple[str, list]:
    where, params = "exercise_id = ANY(%s)", [list(exercise_ids)]
    if age_band:
        where, params = where + " AND age_band = %s", [*params, age_band]
    return where, params


# --- one exercise's results ----------------------------------------------------------------------

@dataclass
class ThemeResult:
    theme: Theme
    n: int
    mean: float | None
    median: float | None
    counts: list[int]  # answers scoring 1 … 7
    compared: float | None = None

    @property
    def percentages(self) -> list[int]:
        return [round(100 * c / self.n) if self.n else 0 for c in self.counts]

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return list(zip(self.counts, self.percentages, strict=True))

    @property
    def difference(self) -> float | None:
        if self.mean is None or self.compared is None:
            return None
        return round(self.mean, 1) - round(self.compared, 1)


@dataclass
class Comparison:
    key: str  # what ?compare= says: "borough", "previous", "ward-<id>"
    label: str  # "the Kirklees average (3 published exercises)", "Dalton 2024 (Dalton, April 2024)"
    short: str  # a column heading: "Kirklees", "April 2024", "Almondbury"
    means: list[float | None]
    exercise: Exercise | None = None


@dataclass
class ExerciseResults:
    exercise: Exercise
    age_band: str
    responses: int
    themes: list[ThemeResult]
    age_bands: list[tuple[str, str, int]] = field(default_factory=list)  # (code, label, responses)
    comparison: Comparison | None = None
    lowest: list[ThemeResult] = field(default_factory=list)

    @property
    def answered(self) -> list[ThemeResult]:
        return [t for t in self.themes if t.n]


def lowest_themes(themes: list[ThemeResult], count: int = LOWEST_CALLED_OUT) -> list[ThemeResult]:
    """The themes with the lowest mean (most room for improvement); ties in theme order."""
    answered = [t for t in themes if t.mean is not None]
    return sorted(answered, key=lambda t: (round(t.mean, 2), t.theme.number))[:count]


def age_band_counts(exercise: Exercise) -> list[tuple[str, str, int]]:
    """(code, label, responses) for each age band, with "not given" last."""
    counts = dict(Response.objects.filter(exercise=exercise).values_list("age_band").annotate(n=Count("pk")))
    bands = [(code, label, counts.get(code, 0)) for code, label in Response.AgeBand.choices]
    return [*bands, ("", "Not given", counts.get("", 0))]


def exercise_results(exercise: Exercise, themes: list[Theme], *, age_band: str = "") -> ExerciseResults:
    """n, mean, median and the 1–7 distribution per theme, and responses by age band: two queries,
    however many responses."""
    bands = age_band_counts(exercise)
    responses = next(n for code, _, n in bands if code == age_band) if age_band else sum(n for *_, n in bands)
    stats = _stats(*_exercise_where([exercise.pk], age_band))
    results = [ThemeResult(theme, **vars(stats.get(theme.number, NO_ANSWERS))) for theme in themes]
    return ExerciseResults(exercise=exercise, age_band=age_band, responses=responses, themes=results,
                           age_bands=bands, lowest=lowest_themes(results))


def theme_summary(exercise: Exercise, theme: Theme) -> ThemeStats:
    return _stats(*_exercise_where([exercise.pk], "")).get(theme.number, NO_ANSWERS)


def previous_exercise(exercise: Exercise) -> Exercise | None:
    """The last published exercise in the same place (or the same whole ward) that started earlier."""
    return (Exercise.objects.filter(ward_id=exercise.ward_id, place_id=exercise.place_id,
                                    status=Exercise.Status.PUBLISHED, starts_on__lt=exercise.starts_on)
            .select_related("ward", "place").order_by("-starts_on", "-id").first())


def latest_published_in_ward(ward_id: int) -> Exercise | None:
    return (Exercise.objects.filter(ward_id=ward_id, status=Exercise.Status.PUBLISHED)
            .select_related("ward", "place").order_by("-ends_on", "-id").first())


def wards_to_compare(exercise: Exercise) -> list[Ward]:
    """Other wards with published results (the latest of which a comparison uses)."""
    published = Exercise.objects.filter(status=Exercise.Status.PUBLISHED).values("ward_id")
    return list(Ward.objects.filter(pk__in=published).exclude(pk=exercise.ward_id).order_by("name", "-valid_from"))


def comparison_for(exercise: Exercise, key: str, *, age_band: str = "") -> Comparison | None:
    """The means to draw beside an exercise's: the borough's, the previous exercise's, another ward's.

    Only published results are compared with: they are final, and every reader may see them.
    """
    if key == "borough":
        published = Exercise.objects.filter(status=Exercise.Status.PUBLISHED)
        where = "exercise_id IN (SELECT id FROM engagement_exercise WHERE status = %s)"
        params = [Exercise.Status.PUBLISHED.value]
        if age_band:
            where, params = where + " AND age_band = %s", [*params, age_band]
        stats = _stats(where, params)
        exercises = published.count()
        return Comparison(key, f"the Kirklees average ({exercises} published exercise{'' if exercises == 1 else 's'})",
                          "Kirklees", _means(stats))
    if key == "previous":
        other = previous_exercise(exercise)
    elif key.startswith("ward-") and key[5:].isdigit():
        other = latest_published_in_ward(int(key[5:]))
    else:
        return None
    if other is None or other.pk == exercise.pk:
        return None
    stats = _stats(*_exercise_where([other.pk], age_band))
    label = f"{other.title} ({other.area_name}, {other.starts_on:%B %Y})"
    short = f"{other.starts_on:%B %Y}" if key == "previous" else other.ward.name
    return Comparison(key, label, short, _means(stats), exercise=other)


def _means(stats: dict) -> list[float | None]:
    return [stats[n].mean if n in stats else None for n in range(1, THEME_COUNT + 1)]


def with_comparison(results: ExerciseResults, comparison: Comparison | None) -> ExerciseResults:
    results.comparison = comparison
    means = comparison.means if comparison else [None] * len(results.themes)
    for theme_result, compared in zip(results.themes, means, strict=True):
        theme_result.compared = compared
    return results


def compass_for(results: ExerciseResults, *, id: str = "compass") -> Compass:
    exercise = results.exercise
    comparison = results.comparison
    return build_compass(
        id=id, title=f"Place Standard compass: {exercise.title}",
        names=[t.theme.name for t in results.themes], values=[t.mean for t in results.themes],
        series_name=exercise.title,
        comparison=comparison.means if comparison else None, comparison_name=comparison.label if comparison else "",
    )


@dataclass
class ThemeComments:
    theme: Theme
    good: list[str]
    better: list[str]
    good_total: int = 0
    better_total: int = 0


def comments_sample(exercise: Exercise, themes: list[Theme], *, age_band: str = "",
                    per_theme: int = COMMENTS_PER_THEME) -> list[ThemeComments]:
    """The newest few comments of each kind for each theme, and how many there are: two queries."""
    comments = ResponseComment.objects.filter(exercise=exercise)
    if age_band:
        comments = comments.filter(response__age_band=age_band)
    totals = {(row["theme_id"], row["kind"]): row["n"]
              for row in comments.values("theme_id", "kind").annotate(n=Count("pk"))}
    newest = (comments.annotate(rank=Window(RowNumber(), partition_by=[F("theme_id"), F("kind")],
                                            order_by=F("id").desc()))
              .filter(rank__lte=per_theme).values_list("theme_id", "kind", "text").order_by("theme_id", "kind", "-id"))
    by_theme = {theme.number: ThemeComments(theme, [], [], totals.get((theme.number, "good"), 0),
                                            totals.get((theme.number, "better"), 0)) for theme in themes}
    for theme_id, kind, text in newest:
        getattr(by_theme[theme_id], kind).append(text)
    return [by_theme[theme.number] for theme in themes]


def theme_comments(exercise: Exercise, theme: Theme, *, age_band: str = "") -> QuerySet:
    comments = ResponseComment.objects.filter(exercise=exercise, theme=theme)
    if age_band:
        comments = comments.filter(response__age_band=age_band)
    return comments.annotate(score=F(f"response__{score_field(theme.number)}")).order_by("kind", "-id")


def priority_seeds(exercise: Exercise) -> dict[int, PrioritySeed]:
    return {seed.theme_id: seed for seed in exercise.priority_seeds.select_related("priority")}


# --- lists ---------------------------------------------------------------------------------------

def exercises_for_user(user, *, ward: Ward | None = None, status: str = "") -> QuerySet:
    """The team sees every exercise; a councillor, published ones. With response counts."""
    from .permissions import can_manage_exercises

    exercises = Exercise.objects.select_related("ward", "place", "facilitator")
    if not can_manage_exercises(user):
        exercises = exercises.filter(status=Exercise.Status.PUBLISHED)
    if ward is not None:
        exercises = exercises.filter(ward=ward)
    if status:
        exercises = exercises.filter(status=status)
    # A correlated count, so Postgres counts only the exercises on the page (by the (exercise, age
    # band) index), not every response of every exercise before the LIMIT.
    responses = (Response.objects.filter(exercise=OuterRef("pk")).order_by().values("exercise")
                 .annotate(n=Count("pk")).values("n"))
    return exercises.annotate(response_count=Coalesce(Subquery(responses), 0)).order_by("-starts_on", "-id")


def wards_with_exercises_for_user(user) -> QuerySet:
    """Only wards with something this person may read: an unpublished exercise is the team's business."""
    from .permissions import can_manage_exercises

    visible = Exercise.objects.all()
    if not can_manage_exercises(user):
        visible = visible.filter(status=Exercise.Status.PUBLISHED)
    return Ward.objects.filter(pk__in=visible.values("ward_id")).order_by("name", "-valid_from")


def response_counts_by_source(exercise: Exercise) -> dict[str, int]:
    return dict(Response.objects.filter(exercise=exercise).values_list("source").annotate(n=Count("pk")))


def response_count(exercise: Exercise) -> int:
    return Response.objects.filter(exercise=exercise).count()


def responses_for_export(exercise: Exercise, themes: list[Theme]):
    """Every response's row in the import format's order of columns, streamed in chunks."""
    fields = ["pk", "source", "submitted_at", "age_band", "postcode_district",
              *[score_field(t.number) for t in themes]]
    return Response.objects.filter(exercise=exercise).order_by("pk").values_list(*fields).iterator(chunk_size=2000)


# --- for other pages: the Councillor Account and the public ward page ---------------------------

@dataclass
class ThemeMean:
    number: int
    slug: str
    name: str
    n: int
    mean: float | None


@dataclass
class PublishedResult:
    exercise: Exercise
    responses: int
    themes: list[ThemeMean]
    lowest: list[ThemeMean]
    compass: Compass
    results_url: str  # the staff results page (for signed-in readers; not for the public)

    @property
    def title(self) -> str:
        return self.exercise.title

    @property
    def area_name(self) -> str:
        return self.exercise.area_name

    @property
    def published_on(self) -> datetime.date:
        return self.exercise.published_at.date()


def published_results_for_ward(ward: Ward, *, limit: int = 3) -> list[PublishedResult]:
    """The latest published exercise for the ward as a whole and for each place in it, newest
    first, at most `limit`, each with per-theme means and a compass. Four queries, however many
    exercises or responses."""
    latest_per_area = (Exercise.objects.filter(ward=ward, status=Exercise.Status.PUBLISHED)
                       .order_by("place_id", "-ends_on", "-id").distinct("place_id").values("pk"))
    exercises = list(Exercise.objects.filter(pk__in=latest_per_area).select_related("ward", "place")
                     .order_by("-ends_on", "-id")[:limit])
    if not exercises:
        return []
    ids = [exercise.pk for exercise in exercises]
    stats = _stats("exercise_id = ANY(%s)", [ids], by_exercise=True)
    responses = dict(Response.objects.filter(exercise__in=ids).values_list("exercise_id").annotate(n=Count("pk")))
    themes = theme_list()
    results = []
    for exercise in exercises:
        means = []
        for t in themes:
            theme_stats = stats.get((exercise.pk, t.number), NO_ANSWERS)
            means.append(ThemeMean(t.number, t.slug, t.name, theme_stats.n, theme_stats.mean))
        answered = sorted((m for m in means if m.mean is not None), key=lambda m: (round(m.mean, 2), m.number))
        results.append(PublishedResult(
            exercise=exercise, responses=responses.get(exercise.pk, 0), themes=means,
            lowest=answered[:LOWEST_CALLED_OUT],
            compass=build_compass(id=f"compass-{exercise.pk}", title=f"Place Standard compass: {exercise.title}",
                                  names=[m.name for m in means], values=[m.mean for m in means],
                                  series_name=exercise.title),
            results_url=reverse("engagement:results", args=[exercise.pk]),
        ))
    return results
