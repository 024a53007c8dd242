import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notice(models.TextChoices):
    """The public notices, by the slug in their address."""

    PRIVACY = "privacy", "Privacy notice"
    ACCESSIBILITY = "accessibility", "Accessibility statement"


class NoticeVersion(models.Model):
    """One version of a notice's text. The newest is the one the public reads; the older ones are
    its history (who changed it and when), never edited or deleted (a trigger refuses it).

    Until a manager saves a first version, the page shows the default text in `defaults.py`.
    """

    notice = models.CharField(max_length=20, choices=Notice.choices)
    number = models.PositiveIntegerField()
    body = models.TextField(max_length=50000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["notice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="noticeversion_unique_number"),
            models.CheckConstraint(condition=Q(notice__in=Notice.values), name="noticeversion_notice_valid"),
            models.CheckConstraint(condition=Q(number__gte=1), name="noticeversion_number_positive"),
        ]
        triggers = [
            pgtrigger.Protect(name="noticeversion_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_notice_display()}, version {self.number}"
