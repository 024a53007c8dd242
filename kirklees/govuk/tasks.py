from kirklees.jobs.periodic import periodic_job

from .submissions import submission_keys_delete_old


@periodic_job("delete-old-submission-keys", summary="{} deleted".format)
def delete_old_submission_keys():
    return submission_keys_delete_old()
