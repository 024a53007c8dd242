from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from kirklees.audit.tracking import tracked


@tracked()
class SubjectAccessRequest(models.Model):
    """A resident asked for everything held about them (UK GDPR Article 15).

    Who answers it decides what it covers (`councillor`): a liaison manager's request covers
    everything the service holds about the resident; a councillor's covers the cases that
    councillor holds, as the controller of those, and the bundle says so.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Sent to the resident"

    resident = models.ForeignKey("casework.Resident", on_delete=models.PROTECT, related_name="+")
    councillor = models.ForeignKey(
        "councillors.Councillor", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty: everything the service holds. Set: only the cases this councillor holds as controller.")
    received_on = models.DateField(help_text="The day the request reached the service: the clock starts then.")
    first_due_on = models.DateField(help_text="One calendar month after it was received.")
    due_on = models.DateField(help_text="The due date now: the first, or the extended one.")
    how_received = models.CharField("how the request came in", max_length=500, blank=True)
    extension_reason = models.TextField(max_length=2000, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(status="open"), name="sar_open_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "completed"]), name="sar_status_valid"),
            models.CheckConstraint(condition=Q(first_due_on__gt=F("received_on")), name="sar_due_after_received"),
            models.CheckConstraint(
                condition=(Q(due_on=F("first_due_on")) & Q(extended_at__isnull=True) & Q(extension_reason=""))
                | (Q(due_on__gt=F("first_due_on")) & Q(extended_at__isnull=False) & ~Q(extension_reason="")),
                name="sar_extension_has_reason"),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(completed_at__isnull=True))
                | (Q(status="completed") & Q(completed_at__isnull=False)),
                name="sar_completed_has_date"),
        ]

    def __str__(self):
        return f"Subject access request {self.pk}"

    def get_absolute_url(self):
        return reverse("sar:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.days_left < 0

    @property
    def scope_description(self) -> str:
        if self.councillor_id is None:
            return "Everything the service holds about the resident, under every councillor."
        return (f"The cases {self.councillor.user.full_name} holds as the controller of them, and what "
                "goes with them; not cases held by anyone else.")


class SarReminder(models.Model):
    """A reminder about a request's due date that has gone: once per request, kind and due date,
    however often the daily job runs (the unique constraint lets one insert win). A new due date
    (an extension) reminds again."""

    class Kind(models.TextChoices):
        WEEK = "week", "Due within 7 days"
        DAY = "day", "Due tomorrow or today"
        OVERDUE = "overdue", "Overdue"

    sar = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sar", "kind", "due_on"], name="sarreminder_once")]
