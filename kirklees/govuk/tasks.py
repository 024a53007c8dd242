from celery import shared_task

from kirklees.jobs.services import job_run

from .submissions import submission_keys_delete_old

JOB_SUBMISSION_KEYS = "delete-old-submission-keys"  # its name in settings.SCHEDULED_JOBS


@shared_task
def delete_old_submission_keys():
    with job_run(JOB_SUBMISSION_KEYS) as run:
        deleted = submission_keys_delete_old()
        run.summary = f"{deleted} deleted"
    return deleted
