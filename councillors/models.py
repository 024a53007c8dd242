import datetime
import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from kirklees.audit.tracking import tracked
from kirklees.dated import holds_on, in_force_on


@tracked()
class PoliticalGroup(models.Model):
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@tracked()
class AdvocacyRollout(models.Model):
    """One row: whether advocacy has been rolled out from the pilot cohort to every councillor."""

    rolled_out_on = models.DateField(
        null=True, blank=True, help_text="From this day every councillor may refer cases to advocacy."
    )
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="advocacy_rollout_single_row")]

    @classmethod
    def current(cls) -> "AdvocacyRollout":
        """The one row, read in exactly one query; unsaved (not rolled out) until someone sets it.

        Reading never writes, so that pages which ask "may this councillor refer?" run the same
        queries on a fresh database as on an old one.
        """
        return cls.objects.filter(id=1).first() or cls(id=1)

    def is_rolled_out(self, day=None) -> bool:
        return self.rolled_out_on is not None and self.rolled_out_on <= (day or timezone.localdate())


class CouncillorQuerySet(models.QuerySet):
    def for_liaison_officer(self, user):
        return self.filter(liaison_officer=user)

    def serving(self, day=None):
        """In office on `day` (today by default): THE rule for "serving" on every page and email.
        A term ends on its end date (the first day out of office), as a ward's boundaries do."""
        return self.filter(in_force_on(day or timezone.localdate(), start="term_start", end="term_end"))


@tracked()
class Councillor(models.Model):
    """An elected member, linked to the login they use and the ward they represent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="councillor"
    )
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="councillors")
    advocacy_enrolled = models.BooleanField(
        "enrolled in advocacy", default=False,
        help_text="May refer cases to the Support & Liaison Team's advocacy service.",
    )
    advocacy_enrolled_on = models.DateField(
        "joined the advocacy pilot on", null=True, blank=True,
    )
    group = models.ForeignKey(PoliticalGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="councillors", verbose_name="political group")
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="supported_councillors", limit_choices_to={"role__in": ["liaison_officer", "liaison_manager"]},
        help_text="The identified officer in the Support & Liaison Team.",
    )

    objects = CouncillorQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_start__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="councillor_term_end_after_start",
            ),
        ]

    def __str__(self):
        # Councillors' accounts are often named with their title already ("Cllr Sarah Haigh").
        name = self.user.full_name
        return name if name.lower().startswith("cllr ") else f"Cllr {name}"

    @property
    def name(self) -> str:
        return self.user.full_name

    def is_serving(self, day: datetime.date | None = None) -> bool:
        """The same rule as `Councillor.objects.serving`, for one councillor already loaded."""
        return holds_on(day or timezone.localdate(), self.term_start, self.term_end)

    def in_pilot_on(self, day: datetime.date) -> bool:
        """Enrolled in the advocacy pilot, and the enrolment has started by `day`."""
        return self.advocacy_enrolled and (self.advocacy_enrolled_on is None or self.advocacy_enrolled_on <= day)

    def may_refer_to_advocacy(self, rollout: AdvocacyRollout | None = None, day: datetime.date | None = None) -> bool:
        """THE advocacy rule (DESIGN.md §4): the pilot cohort, and everyone once advocacy is rolled out.

        The pilot is checked first so that enrolled councillors cost no query; otherwise the
        roll-out row is read once (pass `rollout` to reuse one already read).
        """
        day = day or timezone.localdate()
        if self.in_pilot_on(day):
            return True
        rollout = rollout if rollout is not None else AdvocacyRollout.current()
        return rollout.is_rolled_out(day)


class RoleProfileVersion(models.Model):
    """One version of the Councillor Role Profile, moving through the council's approval steps."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        NOTED = "noted", "Noted by the independent review panel"
        SHARED = "shared", "Shared with group leaders"
        ISSUED = "issued", "Issued to group business managers"
        PUBLISHED = "published", "Published"

    # Each status's tag colour ({% govuk_tag %}).
    STATUS_COLOURS = {Status.DRAFT: "grey", Status.NOTED: "light-blue", Status.SHARED: "blue",
                      Status.ISSUED: "purple", Status.PUBLISHED: "green"}

    number = models.PositiveIntegerField(unique=True, editable=False)
    title = models.CharField(max_length=150, default="Councillor role profile")
    summary_of_changes = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=50000, help_text="Plain text; a blank line starts a new paragraph.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "noted", "shared", "issued", "published"]),
                name="role_profile_status_valid",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}"

    @classmethod
    def next_status(cls, status: str) -> str | None:
        """The step after `status` in the fixed order, or None once published."""
        order = cls.Status.values
        index = order.index(status)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)


def split_paragraphs(text: str) -> list[str]:
    """A blank line starts a new paragraph; line breaks inside a paragraph are kept."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if p.strip()]


class RoleProfileStep(models.Model):
    """When a version reached a step, and who moved it there."""

    version = models.ForeignKey(RoleProfileVersion, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=10, choices=RoleProfileVersion.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "status"], name="role_profile_step_once"),
        ]
