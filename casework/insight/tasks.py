"""The roll-up's periodic job (also the run_report_rollup command)."""
from kirklees.jobs.periodic import periodic_job

from . import rollup


# Idempotent: a run recomputes whole days from the cases, so a redelivered message does no harm.
@periodic_job("report-rollup", acks_late=True)
def report_rollup():
    return rollup.rollup_update()
