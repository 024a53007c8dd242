"""The figures of a report, read from the daily roll-up: a fixed number of queries whatever the
number of cases (sums over the period's rows, the two end-of-period snapshots, the summed histograms,
and the names of what the rows are broken down by)."""
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from casework.models import Case, Category, EscalationStep
from councillors.models import Councillor
from wards.models import Service, Ward

from .models import AGE_BANDS, DIMENSIONS, DailyFigure, RollupState

CURRENT, PREVIOUS = "current", "previous"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def preset_period(name: str, today: datetime.date) -> Period:
    if name == "last_month":
        start = _month_start(today, 1)
        return Period(start, _month_start(today) - datetime.timedelta(days=1))
    if name == "last_quarter":
        this_quarter = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(_month_start(this_quarter, 3), this_quarter - datetime.timedelta(days=1))
    if name == "last_12_months":
        return Period(_month_start(today, 12), _month_start(today) - datetime.timedelta(days=1))
    raise ValueError(name)


PRESETS = {"last_month": "Last month", "last_quarter": "Last quarter", "last_12_months": "Last 12 months"}


def percentile(histogram: dict[int, int], q: float) -> int | None:
    """Nearest rank: the smallest number of days d such that at least q of the cases took d or fewer."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(math.ceil(q * total), 1), 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None


def share(met: int, n: int) -> float | None:
    return round(100 * met / n, 1) if n else None


@dataclass
class Figures:
    opened: int = 0
    closed: int = 0
    open_end: int = 0
    backlog: list[int] = field(default_factory=lambda: [0] * len(AGE_BANDS))
    triage_n: int = 0
    triage_met: int = 0
    response_n: int = 0
    response_met: int = 0
    resolution_n: int = 0
    resolution_met: int = 0
    response_days: dict = field(default_factory=dict)
    resolution_days: dict = field(default_factory=dict)

    @property
    def triage_share(self):
        return share(self.triage_met, self.triage_n)

    @property
    def response_share(self):
        return share(self.response_met, self.response_n)

    @property
    def resolution_share(self):
        return share(self.resolution_met, self.resolution_n)

    @property
    def response_median(self):
        return percentile(self.response_days, 0.5)

    @property
    def response_p90(self):
        return percentile(self.response_days, 0.9)

    @property
    def resolution_median(self):
        return percentile(self.resolution_days, 0.5)

    @property
    def resolution_p90(self):
        return percentile(self.resolution_days, 0.9)


@dataclass
class Report:
    period: Period
    previous: Period
    # figures[CURRENT or PREVIOUS][dimension][key]; dimension "all" has the one key "".
    figures: dict
    escalations: dict  # [CURRENT or PREVIOUS][step id] = count
    labels: dict  # [dimension][key] = name
    steps: list
    computed_at: datetime.datetime | None

    def get(self, which: str, dimension: str = "all", key: str = "") -> Figures:
        return self.figures[which][dimension].get(key) or Figures()

    def keys(self, dimension: str) -> list[str]:
        present = set(self.figures[CURRENT][dimension]) | set(self.figures[PREVIOUS][dimension])
        names = self.labels[dimension]
        return sorted(present, key=lambda k: (k == "none", names.get(k, k).lower()))


def _scope_filter(scope: int) -> tuple[str, list]:
    """A councillor's report: their own rows, and their "all" row, which is the whole service's row
    for them as a councillor."""
    if scope == 0:
        return "f.scope = 0", []
    return "(f.scope = %s OR (f.scope = 0 AND f.dimension = 'councillor' AND f.key = %s))", [scope, str(scope)]


def _dim_key(scope: int) -> str:
    if scope == 0:
        return "f.dimension AS dim, f.key AS k"
    return ("CASE WHEN f.scope = 0 THEN 'all' ELSE f.dimension END AS dim, "
            "CASE WHEN f.scope = 0 THEN '' ELSE f.key END AS k")


def _labels() -> dict:
    labels = {
        "all": {"": "All cases"},
        "service": {str(pk): name for pk, name in Service.objects.values_list("pk", "name")},
        "ward": {str(pk): name for pk, name in Ward.objects.values_list("pk", "name")},
        "category": {str(pk): name for pk, name in Category.objects.values_list("pk", "name")},
        "councillor": {str(c.pk): c.user.full_name for c in Councillor.objects.select_related("user")},
        "enquiry_type": dict(Case.EnquiryType.choices),
        "priority": dict(Case.Priority.choices),
    }
    labels["service"]["none"] = "Not referred to a service"
    return labels


def report_for(*, scope: int, period: Period) -> Report:
    """`scope`: 0 for the whole service, or a councillor's id for their own cases only."""
    previous = period.previous()
    where, params = _scope_filter(scope)
    dim_key = _dim_key(scope)
    table = DailyFigure._meta.db_table
    which = "CASE WHEN f.day >= %s THEN 'current' ELSE 'previous' END"
    figures = {w: defaultdict(dict) for w in (CURRENT, PREVIOUS)}
    for w in (CURRENT, PREVIOUS):
        figures[w]["all"] = {}
        for dimension in DIMENSIONS:
            figures[w][dimension] = {}

    def figure(w, dimension, key):
        return figures[w][dimension].setdefault(key, Figures())

    with transaction.atomic(), connection.cursor() as cursor:
        # These few-thousand-row sums look costly to the planner (a jsonb function per row), and
        # compiling them with JIT took a second longer than running them.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"""SELECT {which}, {dim_key}, SUM(opened), SUM(closed), SUM(triage_n), SUM(triage_met),
                       SUM(response_n), SUM(response_met), SUM(resolution_n), SUM(resolution_met)
                  FROM {table} f WHERE f.day BETWEEN %s AND %s AND {where} GROUP BY 1, 2, 3""",
            [period.start, previous.start, period.end, *params])
        for w, dimension, key, *sums in cursor.fetchall():
            f = figure(w, dimension, key)
            (f.opened, f.closed, f.triage_n, f.triage_met, f.response_n, f.response_met, f.resolution_n,
             f.resolution_met) = sums
        cursor.execute(
            f"""SELECT {which}, {dim_key}, f.open_end, f.backlog FROM {table} f
                 WHERE f.day IN (%s, %s) AND {where}""",
            [period.start, period.end, previous.end, *params])
        for w, dimension, key, open_end, backlog in cursor.fetchall():
            f = figure(w, dimension, key)
            f.open_end, f.backlog = open_end, list(backlog)
        cursor.execute(
            f"""SELECT w, dim, k, stage, days::int, SUM(cnt::int) FROM (
                    SELECT {which} AS w, {dim_key}, s.stage, e.key AS days, e.value AS cnt
                      FROM {table} f,
                           LATERAL (VALUES ('response', f.response_days), ('resolution', f.resolution_days),
                                           ('escalation', f.escalations)) AS s(stage, hist),
                           LATERAL jsonb_each_text(s.hist) AS e
                     WHERE f.day BETWEEN %s AND %s AND {where} AND s.hist IS NOT NULL) h
                 GROUP BY 1, 2, 3, 4, 5""",
            [period.start, previous.start, period.end, *params])
        escalations = {CURRENT: {}, PREVIOUS: {}}
        for w, dimension, key, stage, days, count in cursor.fetchall():
            if stage == "escalation":
                if dimension == "all":
                    escalations[w][days] = count
                continue
            getattr(figure(w, dimension, key), f"{stage}_days")[days] = count
    state = RollupState.objects.filter(id=1).values_list("last_run_at", flat=True).first()
    return Report(period=period, previous=previous, figures=figures, escalations=escalations, labels=_labels(),
                  steps=list(EscalationStep.objects.all()), computed_at=state)
