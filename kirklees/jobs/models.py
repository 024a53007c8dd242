from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    name = models.CharField(max_length=60)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_latest")]

    def __str__(self):
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}"
