"""Place Standard engagement: exercises in a ward or place, residents' responses, and results.

A response is one row with a small-integer column per theme (`score_1` … `score_14`), not a row
per score. The theme list is fixed by the Place Standard tool, so fixing it in the schema costs
nothing; the `Theme` table holds the names and our wording, and its numbers are the column suffixes.

Results are read from `ScoreTally`: how many responses gave each score to each theme, per exercise
and age band, kept by database triggers on the responses table, so that every way of writing a
response (the survey, paper entry, imports, bulk loads) counts and nothing can forget to. Reading
an exercise's results is then a sum over at most 14 × 7 rows per age band, whatever the number of
responses: aggregating 50,000 raw rows on every page view costs more than the page's whole budget.
"""
import secrets

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

THEME_COUNT = 14
SCORE_MIN, SCORE_MAX = 1, 7
SCORES = range(SCORE_MIN, SCORE_MAX + 1)


AGE_BANDS = ["under_16", "16_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"]


def score_field(number: int) -> str:
    return f"score_{number}"


SCORE_FIELDS = [score_field(n) for n in range(1, THEME_COUNT + 1)]


def new_survey_token() -> str:
    """The public survey link's secret part: unguessable, so an exercise cannot be found by counting."""
    return secrets.token_urlsafe(18)


class Theme(models.Model):
    """One of the 14 Place Standard themes; `number` is the suffix of its score column."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    question = models.CharField(max_length=300, help_text="What residents are asked, in our own words.")
    hint = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=THEME_COUNT), name="theme_number_1_to_14"),
        ]

    def __str__(self):
        return self.name

    @property
    def field(self) -> str:
        return score_field(self.number)


class Exercise(models.Model):
    """A round of Place Standard engagement in a ward, or a place in it."""

    class Method(models.TextChoices):
        ONLINE = "online", "Online"
        STREET_STALL = "street_stall", "Street stall"
        WORKSHOP = "workshop", "Workshop"
        PAPER = "paper", "Paper forms"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    # Each status's tag colour ({% govuk_tag %}).
    STATUS_COLOURS = {Status.PLANNED: "grey", Status.OPEN: "blue", Status.CLOSED: "yellow",
                      Status.PUBLISHED: "green"}

    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="place_standard_exercises")
    place = models.ForeignKey("wards.Place", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="place_standard_exercises")
    title = models.CharField(max_length=150)
    starts_on = models.DateField()
    ends_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=new_survey_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["ward", "status", "-ends_on"], name="exercise_ward_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="exercise_ends_on_or_after_start"),
            models.CheckConstraint(condition=Q(status__in=["planned", "open", "closed", "published"]),
                                   name="exercise_status_valid"),
            models.CheckConstraint(condition=Q(method__in=["online", "street_stall", "workshop", "paper"]),
                                   name="exercise_method_valid"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="exercise_published_has_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def takes_responses(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    @property
    def area_name(self) -> str:
        return f"{self.place.name}, {self.ward.name}" if self.place_id else self.ward.name


class ResponseImport(models.Model):
    """A CSV of responses between its preview and its confirmation; kept afterwards as a record."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=255)
    content = models.TextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]


# Each response's scores as (theme, score) rows: the "unpivot" the tally triggers count from.
_UNPIVOT = "CROSS JOIN LATERAL (VALUES " + ", ".join(
    f"({n}, r.{score_field(n)})" for n in range(1, THEME_COUNT + 1)) + ") AS s(theme, score)"
_COUNT_ROWS = ("SELECT r.exercise_id, r.age_band, s.theme, s.score, count(*) AS n FROM {rows} AS r " + _UNPIVOT
               + " WHERE s.score IS NOT NULL GROUP BY r.exercise_id, r.age_band, s.theme, s.score")
_ADD = ("INSERT INTO engagement_scoretally (exercise_id, age_band, theme, score, responses) "
        "SELECT exercise_id, age_band, theme, score, n FROM (" + _COUNT_ROWS + ") AS c "
        # In key order, so that two submissions at once lock the rows they share in the same order.
        "ORDER BY exercise_id, age_band, theme, score "
        "ON CONFLICT (exercise_id, age_band, theme, score) "
        "DO UPDATE SET responses = engagement_scoretally.responses + EXCLUDED.responses;")
_TAKE = ("UPDATE engagement_scoretally AS t SET responses = t.responses - c.n FROM (" + _COUNT_ROWS + ") AS c "
         "WHERE t.exercise_id = c.exercise_id AND t.age_band = c.age_band AND t.theme = c.theme "
         "AND t.score = c.score;")


def _tally_sql(change: str, rows: str) -> str:
    return (_ADD if change == "add" else _TAKE).format(rows=rows)


SCORE_CONSTRAINTS = [
    models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": SCORE_MIN, f"{name}__lte": SCORE_MAX}),
        name=f"response_{name}_1_to_7")
    for name in SCORE_FIELDS
]


class Response(models.Model):
    """One completed questionnaire. Anonymous: no name, no address, no IP address."""

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper form"
        IMPORT = "import", "Imported"

    class AgeBand(models.TextChoices):
        UNDER_16 = "under_16", "Under 16"
        FROM_16 = "16_24", "16 to 24"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_74", "65 to 74"
        FROM_75 = "75_plus", "75 or over"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(max_length=10, choices=Source.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True, help_text="The first half of a postcode, e.g. HD8.")
    submitted_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text="Who typed in or imported a paper or CSV response.")
    import_batch = models.ForeignKey(ResponseImport, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="responses")
    score_1 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_2 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_3 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_4 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_5 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_6 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_7 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_8 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_9 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_10 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_11 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_12 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_13 = models.PositiveSmallIntegerField(null=True, blank=True)
    score_14 = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Results filter by exercise and, optionally, age band.
            models.Index(fields=["exercise", "age_band"], name="response_exercise_age_band"),
        ]
        constraints = [
            *SCORE_CONSTRAINTS,
            models.CheckConstraint(condition=Q(source__in=["online", "paper", "import"]), name="response_source_valid"),
            models.CheckConstraint(condition=Q(age_band__in=["", *AGE_BANDS]),
                                   name="response_age_band_valid"),
            models.CheckConstraint(condition=Q(postcode_district="")
                                   | Q(postcode_district__regex=r"^[A-Z]{1,2}[0-9][0-9A-Z]?$"),
                                   name="response_postcode_district_format"),
        ]
        # Keep ScoreTally in step, once per statement (a bulk insert of 50,000 is one trigger run).
        triggers = [
            pgtrigger.Trigger(name="response_tally_insert", level=pgtrigger.Statement, when=pgtrigger.After,
                              operation=pgtrigger.Insert, referencing=pgtrigger.Referencing(new="new_rows"),
                              func=f"{_tally_sql('add', 'new_rows')} RETURN NULL;"),
            pgtrigger.Trigger(name="response_tally_update", level=pgtrigger.Statement, when=pgtrigger.After,
                              operation=pgtrigger.Update,
                              referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
                              func=f"{_tally_sql('take', 'old_rows')} {_tally_sql('add', 'new_rows')} RETURN NULL;"),
            pgtrigger.Trigger(name="response_tally_delete", level=pgtrigger.Statement, when=pgtrigger.After,
                              operation=pgtrigger.Delete, referencing=pgtrigger.Referencing(old="old_rows"),
                              func=f"{_tally_sql('take', 'old_rows')} RETURN NULL;"),
        ]

    def scores(self) -> list[int | None]:
        return [getattr(self, name) for name in SCORE_FIELDS]




class ScoreTally(models.Model):
    """How many responses to an exercise, in an age band, gave `theme` the score `score`.

    Written only by the triggers on Response (see the module docstring); never by the app.
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    age_band = models.CharField(max_length=10, blank=True)
    theme = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    responses = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "age_band", "theme", "score"], name="score_tally_key"),
            models.CheckConstraint(condition=Q(responses__gte=0), name="score_tally_not_negative"),
        ]


class ResponseComment(models.Model):
    """A resident's words about one theme: what is good now, or what could be better."""

    class Kind(models.TextChoices):
        GOOD = "good", "What is good now"
        BETTER = "better", "What could be better"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    # Copied from the response so that a theme's comments are read by index without a join.
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["theme", "kind", "id"]
        indexes = [models.Index(fields=["exercise", "theme", "kind"], name="comment_exercise_theme")]
        constraints = [
            models.UniqueConstraint(fields=["response", "theme", "kind"], name="comment_one_per_theme_and_kind"),
            models.CheckConstraint(condition=Q(kind__in=["good", "better"]), name="comment_kind_valid"),
        ]


class PrioritySeed(models.Model):
    """A ward priority proposed from a low-scoring theme, so the results page can show it was done."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="priority_seeds")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    priority = models.OneToOneField("wards.Priority", on_delete=models.CASCADE, related_name="place_standard_seed")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "theme"], name="priority_seed_once_per_theme"),
        ]
