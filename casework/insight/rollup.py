"""The daily roll-up: every figure a report shows, per day, kept by a periodic job.

Set-based and idempotent: a run deletes the rows of the days it recomputes and inserts them again
from the cases in one INSERT ... SELECT, so running it twice, or two workers racing (an advisory
lock lets one through), leaves the same rows.

Which days a run recomputes:
- every day after the last one computed, up to today (so a quiet day still gets its open-case rows);
- every day from the opening day of each case whose timeline has a figure-changing event (resolved,
  reopened, ward changed, …) since the last run, up to today: such a change can move the case's
  open-at-the-end-of-the-day snapshot on any day of its life, and a reopened case's old resolution
  day loses a count. Coarse, but it needs no copy of what the case looked like before.
The last run's window is looked at again with a few minutes' overlap, so that an event committed
by a transaction that started before the last run is not missed (recomputing twice does no harm).

Percentiles cannot be summed from daily counts, so each row keeps a histogram of working days
({days: cases}) for responses and resolutions: a period's median and 90th percentile come from
summing a few hundred small histograms, exactly as they would from the cases (working days are
whole numbers, so nothing is lost to buckets). Chosen over a compact per-case outcome table because
the page's work then grows with the days and breakdown values in the period, never with the cases:
a year's report at a million cases would otherwise sort a few hundred thousand rows per breakdown.

Stage outcomes (met?, working days taken) are the ones casework recorded when each stage ended
(casework.services.stage_outcome), with the working-day clock's bank holidays, closure days and
pauses; a case's age in the backlog is in working days since it was opened, from the same clock.
"""
import datetime

from django.db import connection, transaction
from django.utils import timezone

from casework.models import Case, CaseEvent, Referral, SlaAction
from casework.sla import WorkingCalendar

from .models import AGE_BANDS, DailyFigure, RollupState

OVERLAP = datetime.timedelta(minutes=5)
LOCK_ID = 7315001  # pg_advisory_xact_lock: one roll-up at a time
# Events after which a case's figures may differ (not notes, views, reminders, anonymisation…).
FIGURE_EVENTS = [
    CaseEvent.Kind.CREATED, CaseEvent.Kind.EDITED, CaseEvent.Kind.REFERRED_TO_ADVOCACY, CaseEvent.Kind.ACCEPTED,
    CaseEvent.Kind.DECLINED, CaseEvent.Kind.REFERRED_TO_SERVICE, CaseEvent.Kind.RESPONSE_RECORDED,
    CaseEvent.Kind.RESOLVED, CaseEvent.Kind.CLOSED, CaseEvent.Kind.REOPENED, CaseEvent.Kind.WITHDRAWN,
    CaseEvent.Kind.ESCALATED, CaseEvent.Kind.SERVICE_CHASED, CaseEvent.Kind.WARD_CHANGED,
    CaseEvent.Kind.HANDED_OVER, CaseEvent.Kind.CLOSED_AT_HANDOVER,
]

# GROUPING(owner_id, service_id, ward_id, category_id, enquiry_type, priority): a bit is 1 where the
# column is aggregated away. Each grouping set is one (scope, dimension) of the roll-up.
_SETS = {
    63: ("0", "'all'", "''"),
    47: ("0", "'service'", "COALESCE(service_id::text, 'none')"),
    55: ("0", "'ward'", "ward_id::text"),
    59: ("0", "'category'", "category_id::text"),
    31: ("0", "'councillor'", "owner_id::text"),
    61: ("0", "'enquiry_type'", "enquiry_type"),
    62: ("0", "'priority'", "priority"),
    15: ("owner_id", "'service'", "COALESCE(service_id::text, 'none')"),
    23: ("owner_id", "'ward'", "ward_id::text"),
    27: ("owner_id", "'category'", "category_id::text"),
    29: ("owner_id", "'enquiry_type'", "enquiry_type"),
    30: ("owner_id", "'priority'", "priority"),
}
_GROUPING = "GROUPING(owner_id, service_id, ward_id, category_id, enquiry_type, priority)"


def _case_when(part: int) -> str:
    return "CASE " + " ".join(f"WHEN g = {g} THEN {cols[part]}" for g, cols in _SETS.items()) + " END"


def _band_case(column: str) -> str:
    parts = [f"WHEN {column} <= {hi} THEN {i}" for i, (_, hi, _) in enumerate(AGE_BANDS) if hi is not None]
    return f"CASE {' '.join(parts)} ELSE {len(AGE_BANDS) - 1} END"


def _sql() -> str:
    case, referral, action = Case._meta.db_table, Referral._meta.db_table, SlaAction._meta.db_table
    figure = DailyFigure._meta.db_table
    local = "AT TIME ZONE %(tz)s"
    sets = ", ".join(
        "(" + ", ".join(["day", "kind", "ok", "n"] + [c for bit, c in zip(
            [32, 16, 8, 4, 2, 1], ["owner_id", "service_id", "ward_id", "category_id", "enquiry_type", "priority"],
            strict=True) if not g & bit]) + ")"
        for g in _SETS)
    backlog = ", ".join(f"COALESCE(SUM(cnt) FILTER (WHERE kind = 'open' AND n = {i}), 0)"
                        for i in range(len(AGE_BANDS)))
    return f"""
WITH days AS (SELECT unnest(%(days)s::date[]) AS day),
cal AS (SELECT * FROM unnest(%(cal_days)s::date[], %(cal_idx)s::int[]) AS t(day, idx)),
c AS (
    SELECT c.id, c.owner_id, c.ward_id, c.category_id, c.enquiry_type, c.priority,
           (SELECT r.service_id FROM {referral} r WHERE r.case_id = c.id
             ORDER BY r.sent_at, r.id LIMIT 1) AS service_id,
           (c.created_at {local})::date AS opened_on,
           (COALESCE(c.resolved_at, c.withdrawn_at) {local})::date AS ended_on,
           (c.triage_ended_at {local})::date AS triage_on, c.triage_met,
           (c.resolved_at {local})::date AS resolved_on, c.resolution_met, c.resolution_days
    FROM {case} c
    WHERE c.created_at < %(hi_ts)s AND COALESCE(c.resolved_at, c.withdrawn_at, 'infinity') >= %(lo_ts)s
),
facts AS (
    SELECT opened_on AS day, 'opened' AS kind, NULL::boolean AS ok, NULL::int AS n, c.* FROM c
     WHERE opened_on = ANY(%(days)s)
    UNION ALL
    SELECT ended_on, 'closed', NULL, NULL, c.* FROM c WHERE ended_on = ANY(%(days)s)
    UNION ALL
    SELECT triage_on, 'triage', triage_met, NULL, c.* FROM c WHERE triage_on = ANY(%(days)s)
    UNION ALL
    SELECT resolved_on, 'resolution', resolution_met, NULL, c.* FROM c
     WHERE resolved_on = ANY(%(days)s) AND resolution_met IS NOT NULL
    UNION ALL
    SELECT resolved_on, 'resolution_days', NULL, resolution_days, c.* FROM c
     WHERE resolved_on = ANY(%(days)s) AND resolution_days IS NOT NULL
    UNION ALL
    SELECT d.day, 'open', NULL, {_band_case("cd.idx - co.idx")}, c.*
      FROM c JOIN days d ON c.opened_on <= d.day AND (c.ended_on IS NULL OR c.ended_on > d.day)
      JOIN cal cd ON cd.day = d.day JOIN cal co ON co.day = c.opened_on
    UNION ALL
    SELECT x.day, x.kind, x.ok, x.n, c.id, c.owner_id, c.ward_id, c.category_id, c.enquiry_type, c.priority,
           COALESCE(x.service_id, c.service_id), c.opened_on, c.ended_on, c.triage_on, c.triage_met,
           c.resolved_on, c.resolution_met, c.resolution_days
      FROM c JOIN (
          SELECT r.case_id, (r.responded_at {local})::date AS day, k.kind, r.service_id,
                 CASE WHEN k.kind = 'response' THEN r.response_met END AS ok,
                 CASE WHEN k.kind = 'response_days' THEN r.response_days END AS n
            FROM {referral} r CROSS JOIN (VALUES ('response'), ('response_days')) AS k(kind)
           WHERE (r.responded_at {local})::date = ANY(%(days)s) AND r.response_met IS NOT NULL
          UNION ALL
          SELECT a.case_id, (a.created_at {local})::date, 'escalation', r.service_id, NULL, a.step_id
            FROM {action} a LEFT JOIN {referral} r ON r.id = a.referral_id
           WHERE a.kind = 'escalation' AND (a.created_at {local})::date = ANY(%(days)s)
      ) x ON x.case_id = c.id
),
level1 AS (
    SELECT {_GROUPING} AS g, day, kind, ok, n, owner_id, service_id, ward_id, category_id, enquiry_type,
           priority, count(*) AS cnt
      FROM facts
     GROUP BY GROUPING SETS ({sets})
),
keyed AS (
    SELECT {_case_when(0)} AS scope, {_case_when(1)} AS dimension, {_case_when(2)} AS key, *
      FROM level1
     WHERE g IN ({", ".join(str(g) for g in _SETS)})
),
hist AS (
    SELECT scope, day, dimension, key,
           jsonb_object_agg(n::text, cnt) FILTER (WHERE kind = 'response_days') AS response_days,
           jsonb_object_agg(n::text, cnt) FILTER (WHERE kind = 'resolution_days') AS resolution_days,
           jsonb_object_agg(n::text, cnt) FILTER (WHERE kind = 'escalation') AS escalations
      FROM (SELECT scope, day, dimension, key, kind, n, SUM(cnt) AS cnt FROM keyed
             WHERE kind IN ('response_days', 'resolution_days', 'escalation')
             GROUP BY scope, day, dimension, key, kind, n) h
     GROUP BY scope, day, dimension, key
),
counts AS (
    SELECT scope, day, dimension, key,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'opened'), 0) AS opened,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'closed'), 0) AS closed,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'open'), 0) AS open_end,
           ARRAY[{backlog}] AS backlog,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'triage'), 0) AS triage_n,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'triage' AND ok), 0) AS triage_met,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'response'), 0) AS response_n,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'response' AND ok), 0) AS response_met,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'resolution'), 0) AS resolution_n,
           COALESCE(SUM(cnt) FILTER (WHERE kind = 'resolution' AND ok), 0) AS resolution_met
      FROM keyed
     GROUP BY scope, day, dimension, key
)
INSERT INTO {figure} (scope, day, dimension, key, opened, closed, open_end, backlog, triage_n, triage_met,
                      response_n, response_met, resolution_n, resolution_met, response_days, resolution_days,
                      escalations)
SELECT c.scope, c.day, c.dimension, c.key, c.opened, c.closed, c.open_end, c.backlog, c.triage_n, c.triage_met,
       c.response_n, c.response_met, c.resolution_n, c.resolution_met,
       h.response_days, h.resolution_days, h.escalations
  FROM counts c LEFT JOIN hist h USING (scope, day, dimension, key)
"""


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def days_recompute(days: list[datetime.date], *, calendar: WorkingCalendar | None = None) -> None:
    """Rebuild the roll-up rows of `days` from the cases: delete them, insert them again."""
    if not days:
        return
    calendar = calendar or WorkingCalendar.load()
    lo, hi = min(days), max(days)
    first = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    start = min(timezone.localtime(first).date(), lo) if first else lo
    cal_days, cal_idx, index, day = [], [], 0, start
    while day <= hi:
        index += calendar.is_working_day(day)
        cal_days.append(day)
        cal_idx.append(index)
        day += datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DailyFigure._meta.db_table} WHERE day = ANY(%s)", [days])
        cursor.execute(_sql(), {
            "days": days, "cal_days": cal_days, "cal_idx": cal_idx, "tz": timezone.get_current_timezone_name(),
            "lo_ts": _local_midnight(lo), "hi_ts": _local_midnight(hi + datetime.timedelta(days=1)),
        })


def _days(lo: datetime.date, hi: datetime.date) -> list[datetime.date]:
    return [lo + datetime.timedelta(days=i) for i in range((hi - lo).days + 1)]


@transaction.atomic
def rollup_update(*, full: bool = False) -> str:
    """Bring the roll-up up to date (see the module's docstring for which days). `full`: every day."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        cursor.execute("SET LOCAL jit = off")  # compiling the one big statement cost more than it saved
    now = timezone.now()
    today = timezone.localdate()
    state, _ = RollupState.objects.select_for_update().get_or_create(id=1)
    first = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        days = []
    elif full or state.computed_through is None:
        days = _days(timezone.localtime(first).date(), today)
    else:
        lo = state.computed_through + datetime.timedelta(days=1)
        # An event dated later than now (made-up data) is counted by the first run after its time.
        changed = (Case.objects.filter(events__created_at__gt=state.events_seen_until - OVERLAP,
                                       events__created_at__lte=now, events__kind__in=FIGURE_EVENTS)
                   .order_by("created_at").values_list("created_at", flat=True).first())
        if changed is not None:
            lo = min(lo, timezone.localtime(changed).date())
        days = _days(lo, today) if lo <= today else []
    days_recompute(days)
    RollupState.objects.filter(id=1).update(computed_through=today, events_seen_until=now, last_run_at=now,
                                            last_days=len(days))
    return f"{len(days)} day{'s' if len(days) != 1 else ''} recomputed"
