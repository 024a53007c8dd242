import datetime

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone


class WardQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def current(self):
        return self.valid_on(timezone.localdate())

    def latest_arrangement(self):
        """The newest set of wards loaded (all sharing the latest valid_from).

        New cases are filed against this set. Until an admin loads the arrangement that replaced
        it, that is the newest one the council has given us, even if its end date has passed.
        """
        newest = self.aggregate(newest=Max("valid_from"))["newest"]
        return self.filter(valid_from=newest)


class Ward(models.Model):
    """An electoral ward for a period: boundaries change, and closed cases keep their ward."""

    name = models.CharField(max_length=100)
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, help_text="ONS code, e.g. E05001389. Blank if unknown."
    )
    councillor_seats = models.PositiveSmallIntegerField(default=3)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="ward_unique_name_per_arrangement"),
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="ward_unique_gss_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="ward_valid_to_after_valid_from",
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(gss_code__regex=r"^[EWSN][0-9]{8}$"),
                name="ward_gss_code_format",
            ),
        ]

    def __str__(self):
        return self.name


class Service(models.Model):
    """A council service that cases are referred to (the People Finder grows from here)."""

    name = models.CharField(max_length=150, unique=True)
    email = models.EmailField(help_text="Where referrals and chasers go.")
    head_of_service_email = models.EmailField(blank=True, help_text="Told when a referral is long overdue.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
