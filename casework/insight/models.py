"""The daily roll-up the reports read, so that a report page sums a few hundred rows per day of the
period instead of reading every case (casework.insight.rollup keeps it).

One row per day, scope and breakdown value. `scope` is 0 for the whole service, or a councillor's id
for the rows of their own report broken down further (their own "all" row is the whole service's
row for dimension "councillor" and their id: the same cases). `key` is the breakdown value's id or
choice value ("" for dimension "all", "none" for cases never referred to a service).
"""
from django.contrib.postgres.fields import ArrayField
from django.db import models

AGE_BANDS = [(0, 5, "0 to 5 working days"), (6, 10, "6 to 10 working days"), (11, 20, "11 to 20 working days"),
             (21, 40, "21 to 40 working days"), (41, None, "Over 40 working days")]
DIMENSIONS = {
    "service": "Service", "ward": "Ward", "category": "Category", "councillor": "Councillor",
    "enquiry_type": "Enquiry type", "priority": "Priority",
}


class DailyFigure(models.Model):
    pk = models.CompositePrimaryKey("scope", "day", "dimension", "key")
    scope = models.IntegerField()
    day = models.DateField()
    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0, help_text="Resolved or withdrawn that day.")
    open_end = models.IntegerField(default=0, help_text="Cases still open at the end of the day.")
    backlog = ArrayField(models.IntegerField(), size=len(AGE_BANDS),
                         help_text="open_end by age band (AGE_BANDS), in working days since opened.")
    triage_n = models.IntegerField(default=0)
    triage_met = models.IntegerField(default=0)
    response_n = models.IntegerField(default=0)
    response_met = models.IntegerField(default=0)
    resolution_n = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    # {"working days": cases}: percentiles cannot be summed from daily counts, but these can.
    response_days = models.JSONField(null=True)
    resolution_days = models.JSONField(null=True)
    escalations = models.JSONField(null=True, help_text='{"escalation step id": count}')

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(dimension__in=["all", *DIMENSIONS]),
                                   name="dailyfigure_dimension_valid"),
        ]


class RollupState(models.Model):
    """Where the roll-up has got to: one row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    computed_through = models.DateField(null=True, help_text="Every day up to this one has its rows.")
    events_seen_until = models.DateTimeField(null=True, help_text="Case changes up to here are in the rows.")
    last_run_at = models.DateTimeField(null=True)
    last_days = models.IntegerField(default=0, help_text="Days the last run recomputed.")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="rollupstate_one_row")]
