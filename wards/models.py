import datetime

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from kirklees.audit.tracking import tracked
from kirklees.dated import in_force_on


class WardQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(in_force_on(day, start="valid_from", end="valid_to"))

    def current(self):
        return self.valid_on(timezone.localdate())

    def latest_arrangement(self):
        """The newest set of wards loaded (all sharing the latest valid_from).

        New cases are filed against this set. Until an admin loads the arrangement that replaced
        it, that is the newest one the council has given us, even if its end date has passed.
        """
        newest = self.aggregate(newest=Max("valid_from"))["newest"]
        return self.filter(valid_from=newest)

    def to_choose(self, keep=()):
        """The wards a form offers: the newest arrangement, and any older ward the record already
        has, so that saving it unchanged does not lose it."""
        keep = [pk for pk in keep if pk]
        return self.filter(Q(pk__in=self.latest_arrangement().values("pk")) | Q(pk__in=keep)).order_by(
            "name", "-valid_from")


@tracked()
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


@tracked()
class Service(models.Model):
    """A council service that cases are referred to (the People Finder grows from here)."""

    name = models.CharField(max_length=150, unique=True)
    email = models.EmailField(help_text="Where referrals and chasers go, once the address is confirmed.")
    head_of_service_email = models.EmailField(blank=True, help_text="Told when a referral is long overdue.")
    # Where residents' details really go: written only when a change of address is confirmed from
    # the new inbox or approved by a liaison manager (wards/services/email_changes.py). The fields
    # above are what a person typed, and wait for that.
    confirmed_email = models.EmailField(blank=True, editable=False)
    confirmed_head_of_service_email = models.EmailField(blank=True, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def email_pending(self) -> str:
        """The address typed in that is not yet where referrals go ("" if none)."""
        return self.email if self.email != self.confirmed_email else ""

    @property
    def head_of_service_email_pending(self) -> str:
        entered, confirmed = self.head_of_service_email, self.confirmed_head_of_service_email
        return entered if entered and entered != confirmed else ""


@tracked()
class Place(models.Model):
    """A sub-ward area residents recognise: a village, an estate, a town centre."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "Village"
        ESTATE = "estate", "Estate"
        TOWN_CENTRE = "town_centre", "Town centre"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEIGHBOURHOOD)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="place_unique_name_in_ward"),
        ]

    def __str__(self):
        return self.name


@tracked()
class WardFigure(models.Model):
    """One fact in a ward's profile (population, IMD decile…), with where it came from and when."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="figures")
    name = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. people, %, decile")
    source = models.CharField(max_length=200)
    as_of = models.DateField("as of")

    class Meta:
        ordering = ["name", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name", "as_of"], name="ward_figure_unique"),
        ]

    def __str__(self):
        return f"{self.name}: {self.value} {self.unit}".strip()


@tracked()
class Priority(models.Model):
    """Something a ward (or a place in it) has agreed to work on, and the outcome it wants."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    # Each status's tag colour ({% govuk_tag %}).
    STATUS_COLOURS = {Status.PROPOSED: "light-blue", Status.ACTIVE: "blue", Status.ACHIEVED: "green",
                      Status.DROPPED: "grey"}

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="priorities")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities")
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=3000)
    outcome_sought = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ward__name", "title"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["proposed", "active", "achieved", "dropped"]),
                                   name="priority_status_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]


class PriorityUpdate(models.Model):
    """Progress on a priority, in order: the history stays, newest first on the page."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(max_length=2000)
    status = models.CharField("status after this update", max_length=10, choices=Priority.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    @property
    def status_colour(self) -> str:
        return Priority.STATUS_COLOURS[self.status]


class Briefing(models.Model):
    """A bite-size item for one ward or for every ward, shown until it expires."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="briefings",
                             help_text="Leave empty for a briefing to every ward.")
    title = models.CharField(max_length=120)
    text = models.TextField(max_length=1000, help_text="Bite-size: a few sentences.")
    link = models.URLField(blank=True)
    file = models.FileField(upload_to="briefings/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    key_issue = models.BooleanField("key community issue", default=False)
    publish_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-key_issue", "-publish_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("publish_on")),
                                   name="briefing_expires_after_publish"),
        ]

    def __str__(self):
        return self.title


@tracked()
class FundingScheme(models.Model):
    """A pot of money: a ward fund, community grants…"""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    is_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@tracked()
class FundingAward(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        MONITORING_DUE = "monitoring_due", "Monitoring due"
        CLOSED = "closed", "Closed"

    # Each status's tag colour ({% govuk_tag %}).
    STATUS_COLOURS = {Status.APPLIED: "light-blue", Status.APPROVED: "blue", Status.PAID: "green",
                      Status.MONITORING_DUE: "orange", Status.CLOSED: "grey"}

    scheme = models.ForeignKey(FundingScheme, on_delete=models.PROTECT, related_name="awards")
    recipient = models.CharField("recipient organisation", max_length=200)
    purpose = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="funding_awards")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    priority = models.ForeignKey(Priority, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="funding_awards")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(default=timezone.localdate)
    decided_on = models.DateField(null=True, blank=True)
    monitoring_due_on = models.DateField("monitoring report due", null=True, blank=True)
    monitoring_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_award_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["applied", "approved", "paid", "monitoring_due", "closed"]),
                name="funding_award_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: £{self.amount:,.2f}"

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]


class OfficerQuerySet(models.QuerySet):
    def unconfirmed_since(self, day: datetime.date):
        return self.filter(Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=day), is_active=True)


@tracked()
class Officer(models.Model):
    """Somebody in a council service a councillor may need: the People Finder."""

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="officers")
    email = models.EmailField(unique=True)
    # Where a referral naming the officer really goes: as Service.confirmed_email.
    confirmed_email = models.EmailField(blank=True, editable=False)
    phone = models.CharField(max_length=20, blank=True)
    wards = models.ManyToManyField(Ward, blank=True, related_name="officers")
    places = models.ManyToManyField(Place, blank=True, related_name="officers")
    last_confirmed = models.DateField(null=True, blank=True,
                                      help_text="When someone last checked these details were right.")
    is_active = models.BooleanField(default=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.job_title})"

    @property
    def email_pending(self) -> str:
        return self.email if self.email != self.confirmed_email else ""


class WardMeeting(models.Model):
    """A ward solution meeting: councillors and officers solving ward problems together."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=150)
    notes = models.TextField(max_length=10000, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="ward_meetings",
                                       help_text="Councillors and staff who came.")
    officers = models.ManyToManyField(Officer, blank=True, related_name="meetings")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="meetings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%-d %b %Y})"


class MeetingAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    # Each status's tag colour ({% govuk_tag %}).
    STATUS_COLOURS = {Status.OPEN: "blue", Status.DONE: "green", Status.DROPPED: "grey"}

    meeting = models.ForeignKey(WardMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_name = models.CharField("owner", max_length=150)
    owner_officer = models.ForeignKey(Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "done", "dropped"]),
                                   name="meeting_action_status_valid"),
        ]

    def __str__(self):
        return self.description

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]


class BoundaryChange(models.Model):
    """A record of moving open work from one set of wards to the next (see kirklees/boundary.py)."""

    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    effective_on = models.DateField()
    mapping = models.JSONField(help_text="Old ward id → new ward ids, as applied.")
    report = models.JSONField(help_text="What moved, counted by kind and ward.")

    class Meta:
        ordering = ["-made_at"]


class ImportBatch(models.Model):
    """An uploaded CSV between its preview and its confirmation; kept afterwards as a record."""

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    content = models.TextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]


class EmailChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EmailChange.Status.PENDING)


class EmailChange(models.Model):
    """A change of an address that residents' details go to, from its request to its outcome.

    Reference data must not decide where personal data goes: a ward data admin (or an import, or
    the Django admin) only asks; the address takes effect once the new inbox confirms it with a
    one-time link, or a liaison manager approves it. Until then referrals and chasers go to the
    address confirmed before (`old_email`).
    """

    class Address(models.TextChoices):
        SERVICE = "service", "Referrals and chasers"
        HEAD_OF_SERVICE = "head_of_service", "Head of service"
        OFFICER = "officer", "Officer"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed from the new address"
        APPROVED = "approved", "Approved by a liaison manager"
        REJECTED = "rejected", "Rejected by a liaison manager"
        SUPERSEDED = "superseded", "Replaced by a later change"
        REMOVED = "removed", "Address removed"

    STATUS_COLOURS = {Status.PENDING: "yellow", Status.CONFIRMED: "green", Status.APPROVED: "green",
                      Status.REJECTED: "red", Status.SUPERSEDED: "grey", Status.REMOVED: "grey"}

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="email_changes")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="email_changes")
    address = models.CharField(max_length=20, choices=Address.choices)
    old_email = models.EmailField(blank=True, help_text="The confirmed address when the change was asked for.")
    new_email = models.EmailField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    requested_via = models.CharField(max_length=20, help_text="The page, the Django admin or a CSV import.")
    # The link's one-time part, hashed: the link itself is signed and carries the unhashed value.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", help_text="The liaison manager; empty when the link was used.")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = EmailChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(service__isnull=False, officer__isnull=True, address__in=["service", "head_of_service"])
                           | Q(service__isnull=True, officer__isnull=False, address="officer")),
                name="email_change_one_record"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "approved", "rejected", "superseded", "removed"]),
                name="email_change_status_valid"),
            # One live request per address: a later one supersedes it.
            models.UniqueConstraint(fields=["service", "address"], condition=Q(status="pending"),
                                    name="email_change_one_pending_per_service_address"),
            models.UniqueConstraint(fields=["officer"], condition=Q(status="pending"),
                                    name="email_change_one_pending_per_officer"),
        ]

    def __str__(self):
        return f"{self.record}: {self.old_email or 'none'} → {self.new_email or 'none'}"

    @property
    def record(self):
        return self.service if self.service_id else self.officer

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[self.status]

    @property
    def described(self) -> str:
        """What the address is for, in words: "Highways: referrals and chasers"."""
        if self.address == self.Address.OFFICER:
            return f"{self.officer.full_name} ({self.officer.service.name})"
        what = "head of service" if self.address == self.Address.HEAD_OF_SERVICE else "referrals and chasers"
        return f"{self.service.name}: {what}"
