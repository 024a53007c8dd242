from kirklees.jobs.periodic import periodic_job

from .retention import audit_rows_delete_old


@periodic_job("audit-retention", summary="{} audit rows deleted".format)
def audit_retention():
    return audit_rows_delete_old()
