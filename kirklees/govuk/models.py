from django.db import models


class SubmissionKey(models.Model):
    """A form's one-time key, claimed by the write it made: a second send of the same form (a
    double click, Back and send again, two tabs) finds the key taken and makes nothing."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Where the first send's result is, to take a second send there.
    result_url = models.CharField(max_length=500, blank=True, default="")

    def __str__(self):
        return self.key
