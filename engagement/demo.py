"""Demo Place Standard data for `manage.py seed_demo`, and the large exercise `manage.py bench` times.

Made-up but plausible: each theme has its own typical score in each exercise, people vary around
it, a few skip a theme, some leave a comment. Safe to run again: an exercise already there (by
title) is left as it is.
"""
import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from kirklees.db import insert_rows
from wards.models import Ward

from .models import SCORE_FIELDS, Exercise, Response, ResponseComment

# Typical score per theme (1–7), theme order; the demo's exercises vary around these.
DALTON_2024 = [4.2, 3.1, 2.6, 3.8, 5.1, 3.9, 4.0, 3.2, 3.7, 4.1, 4.4, 3.0, 2.9, 2.7]
DALTON_2026 = [4.6, 3.4, 2.4, 4.1, 5.3, 4.3, 4.2, 3.5, 3.6, 4.5, 4.6, 3.3, 3.1, 3.2]
ALMONDBURY_2026 = [4.9, 3.0, 3.4, 4.8, 5.8, 4.7, 4.4, 3.9, 4.2, 4.9, 5.4, 4.6, 4.1, 3.6]
OPEN_BATLEY = [4.0, 4.4, 2.8, 3.5, 4.2, 3.6, 4.6, 3.8, 3.4, 4.0, 4.2, 3.1, 2.8, 2.9]

COMMENTS = {
    1: ("The canal towpath is lovely for walking", "Pavements are broken and too narrow for a pushchair"),
    2: ("The bus into town is quick", "No buses after seven in the evening"),
    3: ("Quiet on the estate roads", "Cars speed along the main road and park on the pavements"),
    5: ("Great woods and fields close by", "The park gets waterlogged and the paths are muddy"),
    6: ("The new play area is well used", "Nothing for teenagers to do"),
    9: ("Friendly neighbours", "Hard to find a home young people can afford"),
    12: ("Feels safe in the day", "Poor lighting on the way back from the bus stop"),
    13: ("Volunteers keep the green tidy", "Fly-tipping in the back lanes is not cleared"),
    14: ("The ward councillors listen", "We are never asked before things change"),
}
AGE_WEIGHTS = [("under_16", 2), ("16_24", 8), ("25_34", 14), ("35_44", 17), ("45_54", 17), ("55_64", 16),
               ("65_74", 13), ("75_plus", 6), ("", 7)]
DISTRICTS = {"Dalton": ["HD5", "HD8", ""], "Almondbury": ["HD4", "HD5", ""], "Batley East": ["WF17", "WF13", ""]}


def _answers(typical: list[float], rng: random.Random) -> list[int | None]:
    return [None if rng.random() < 0.05 else max(1, min(7, round(rng.gauss(mean, 1.3)))) for mean in typical]


def _fill(exercise: Exercise, *, count: int, typical: list[float], seed: int, source: str, by=None,
          comment_share: float = 0.15) -> int:
    """Insert `count` responses (and some comments) as plain rows: fast enough for 50,000."""
    rng = random.Random(seed)
    bands = [band for band, _ in AGE_WEIGHTS]
    weights = [weight for _, weight in AGE_WEIGHTS]
    districts = DISTRICTS.get(exercise.ward.name, [""])
    start = datetime.datetime.combine(exercise.starts_on, datetime.time(10), tzinfo=timezone.get_current_timezone())
    span = max(1, (exercise.ends_on - exercise.starts_on).days) * 86400
    rows, wanted_comments = [], []
    for index in range(count):
        scores = _answers(typical, rng)
        rows.append((exercise.pk, source, rng.choices(bands, weights)[0], rng.choice(districts),
                     start + datetime.timedelta(seconds=rng.randrange(span)), by.pk if by else None, *scores))
        if rng.random() < comment_share:
            theme = rng.choice(list(COMMENTS))
            score = scores[theme - 1]
            kind = "good" if score is not None and score >= 5 else "better"
            wanted_comments.append((index, theme, kind, COMMENTS[theme][0 if kind == "good" else 1]))
    ids = insert_rows(Response, ["exercise_id", "source", "age_band", "postcode_district", "submitted_at",
                                 "entered_by_id", *SCORE_FIELDS], rows, returning="id")
    insert_rows(ResponseComment, ["response_id", "exercise_id", "theme_id", "kind", "text"],
                [(ids[index], exercise.pk, theme, kind, text) for index, theme, kind, text in wanted_comments])
    return len(ids)


def _exercise(*, title: str, ward: Ward, starts_on, ends_on, method: str, status: str,
              liaison) -> tuple[Exercise, bool]:
    now = timezone.now()
    stamps = {}
    if status != Exercise.Status.PLANNED:
        stamps["opened_at"] = now
    if status in (Exercise.Status.CLOSED, Exercise.Status.PUBLISHED):
        stamps["closed_at"] = now
    if status == Exercise.Status.PUBLISHED:
        stamps.update(published_at=now, published_by=liaison)
    return Exercise.objects.get_or_create(title=title, defaults=dict(
        ward=ward, starts_on=starts_on, ends_on=ends_on, method=method, status=status, facilitator=liaison,
        created_by=liaison, **stamps))


@transaction.atomic
def demo_place_standard_create(*, liaison) -> str:
    """Dalton's published exercises (this year's and one from 2024 to compare with), Almondbury's for
    comparing wards, and an open one in Batley East with a working public link. Says where that is."""
    wards = {ward.name: ward for ward in Ward.objects.latest_arrangement()}
    if not {"Dalton", "Almondbury", "Batley East"} <= set(wards):
        return "Place Standard demo skipped: the demo wards are not loaded"
    published, open_ = Exercise.Status.PUBLISHED, Exercise.Status.OPEN
    plan = [
        ("Dalton Place Standard 2024", "Dalton", datetime.date(2024, 4, 8), datetime.date(2024, 5, 3), "street_stall",
         published, 140, DALTON_2024),
        ("Dalton Place Standard 2026", "Dalton", datetime.date(2026, 4, 13), datetime.date(2026, 5, 8), "online",
         published, 320, DALTON_2026),
        ("Almondbury Place Standard 2026", "Almondbury", datetime.date(2026, 3, 2), datetime.date(2026, 3, 27),
         "workshop", published, 180, ALMONDBURY_2026),
        ("Batley East: have your say", "Batley East", timezone.localdate() - datetime.timedelta(days=7),
         timezone.localdate() + datetime.timedelta(days=28), "online", open_, 45, OPEN_BATLEY),
    ]
    lines = []
    for seed, (title, ward, starts_on, ends_on, method, status, count, typical) in enumerate(plan, start=1):
        exercise, created = _exercise(title=title, ward=wards[ward], starts_on=starts_on, ends_on=ends_on,
                                      method=method, status=status, liaison=liaison)
        if created:
            _fill(exercise, count=count, typical=typical, seed=seed,
                  source=Response.Source.PAPER if method in ("street_stall", "workshop") else Response.Source.ONLINE,
                  by=liaison if method in ("street_stall", "workshop") else None)
        if status == open_:
            lines.append(f"Place Standard survey open for {ward}: /have-your-say/{exercise.token}/")
    return "\n".join(lines)


BENCH_TITLE = "Benchmark: Place Standard with {count:,} responses"


def bench_exercise(*, responses: int = 50_000, liaison) -> Exercise:
    """A published exercise with `responses` responses (and comments), made once by bulk insert."""
    ward = Ward.objects.latest_arrangement().order_by("name").first()
    exercise, _ = _exercise(title=BENCH_TITLE.format(count=responses), ward=ward,
                            starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 2, 27),
                            method="online", status=Exercise.Status.PUBLISHED, liaison=liaison)
    have = Response.objects.filter(exercise=exercise).count()
    if have < responses:
        with transaction.atomic():
            _fill(exercise, count=responses - have, typical=DALTON_2026, seed=have + 1, source="online",
                  comment_share=0.1)
        # As autovacuum would soon after: planner statistics, and a visibility map for index-only scans.
        with connection.cursor() as cursor:
            for table in ("engagement_response", "engagement_responsecomment", "engagement_scoretally"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    return exercise
