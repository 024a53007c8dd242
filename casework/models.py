import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from kirklees.audit.tracking import tracked


@tracked()
class Category(models.Model):
    """What a case is about, with its default targets in working days."""

    name = models.CharField(max_length=100, unique=True)
    triage_days = models.PositiveSmallIntegerField(default=2)
    response_days = models.PositiveSmallIntegerField(
        default=10, help_text="Working days a service has to answer a referral."
    )
    resolution_days = models.PositiveSmallIntegerField(default=20)
    urgent_triage_days = models.PositiveSmallIntegerField(default=1)
    urgent_response_days = models.PositiveSmallIntegerField(default=5)
    urgent_resolution_days = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(triage_days__gte=1, response_days__gte=1, resolution_days__gte=1),
                name="category_targets_positive",
            ),
            models.CheckConstraint(
                condition=Q(urgent_triage_days__gte=1, urgent_response_days__gte=1,
                            urgent_resolution_days__gte=1),
                name="category_urgent_targets_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def target_days(self, stage: str, priority: str) -> int:
        """Working days allowed for a stage ("triage", "response", "resolution")."""
        prefix = "urgent_" if priority == "urgent" else ""
        return getattr(self, f"{prefix}{stage}_days")


@tracked()
class OutcomeCategory(models.Model):
    """How a resolution turned out, from a list the liaison manager keeps (resolved as asked, partly…).

    Retired entries stay on the cases that used them but are no longer offered on the resolve form.
    """

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "outcome categories"

    def __str__(self):
        return self.name


@tracked()
class ClosureDay(models.Model):
    """A day the council is closed (e.g. between Christmas and New Year): not a working day."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%-d %B %Y}: {self.reason}"


class LawfulBasis(models.TextChoices):
    """The UK GDPR Article 6 basis for holding a resident's details for a case."""

    PUBLIC_TASK = "public_task", "Public task (the councillor's role as an elected member)"
    CONSENT = "consent", "The resident consented"
    VITAL_INTERESTS = "vital_interests", "Vital interests (someone's safety is at risk)"
    LEGAL_OBLIGATION = "legal_obligation", "A legal obligation"


class Capacity(models.TextChoices):
    """In which capacity a case is held, which says who the controller of its personal data is
    (ICO guidance for elected representatives)."""

    WARD_COUNCILLOR = "ward_councillor", "Ward councillor"
    COUNCIL_MEMBER = "council_member", "Member of the council"
    ADVOCACY = "advocacy", "Advocacy by the council's Support & Liaison Team"


class SpecialCategoryCondition(models.TextChoices):
    """The UK GDPR Article 9 condition (with the DPA 2018 Schedule 1 condition where one is needed)
    for holding a sensitive case's special category details."""

    ELECTED_REPRESENTATIVE = "elected_representative", (
        "Elected representative responding to a request (DPA 2018, Schedule 1, paragraph 23)")
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent (Article 9(2)(a))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (Article 9(2)(c))"
    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk (DPA 2018, Schedule 1, paragraph 18)"
    LEGAL_CLAIMS = "legal_claims", "Legal claims (Article 9(2)(f))"


@tracked()
class Resident(models.Model):
    """A member of the public a case is about. Personal data: seen only through their cases."""

    class PreferredContact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        POST = "post", "Letter"

    # The basis their details were first recorded on; each case carries its own (Case.lawful_basis).
    LawfulBasis = LawfulBasis

    full_name = models.CharField(max_length=150)
    address = models.TextField(max_length=500)
    postcode = models.CharField(max_length=8, help_text="Normalised, e.g. HD1 2TA")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    preferred_contact = models.CharField(max_length=10, choices=PreferredContact.choices)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    basis_recorded_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # A resident may be on several cases: their edit forms carry this, as a case's carry its own.
    version = models.PositiveIntegerField(default=1, editable=False)
    # When their name, contact details and every case's free text went (retention or erasure, issue
    # 13): what is left keeps the reports true, and a later run of the retention job skips them.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(Lower("full_name"), "postcode", name="resident_name_postcode")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(preferred_contact="email") | ~Q(email=""),
                name="resident_email_if_preferred",
            ),
            models.CheckConstraint(
                condition=~Q(preferred_contact="phone") | ~Q(phone=""),
                name="resident_phone_if_preferred",
            ),
            models.CheckConstraint(
                condition=Q(preferred_contact__in=["email", "phone", "post"]),
                name="resident_preferred_contact_valid",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


# What an anonymised resident's record and their cases' free text say instead (casework.retention).
ANONYMISED_NAME = "Anonymised resident"
ANONYMISED_TEXT = "[anonymised]"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    TRIAGE = "triage", "Awaiting triage"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_SERVICE = "awaiting_service", "Awaiting service"
    AWAITING_RESIDENT = "awaiting_resident", "Awaiting resident"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Each status's tag colour ({% govuk_tag %}).
STATUS_COLOURS = {
    Status.OPEN: "grey",
    Status.TRIAGE: "light-blue",
    Status.IN_PROGRESS: "blue",
    Status.AWAITING_SERVICE: "yellow",
    Status.AWAITING_RESIDENT: "orange",
    Status.RESOLVED: "green",
    Status.CLOSED: "grey",
    Status.WITHDRAWN: "red",
}

ACTIVE_STATUSES = [
    Status.OPEN, Status.TRIAGE, Status.IN_PROGRESS, Status.AWAITING_SERVICE, Status.AWAITING_RESIDENT,
]

# Every status change the lifecycle allows (DESIGN.md §4). services.py decides which one an
# action takes; the database refuses any other, whoever writes.
TRANSITIONS = [
    (Status.OPEN, Status.TRIAGE),  # refer to advocacy
    (Status.OPEN, Status.AWAITING_SERVICE),  # councillor refers to a service themselves
    (Status.OPEN, Status.RESOLVED),
    (Status.TRIAGE, Status.IN_PROGRESS),  # accept
    (Status.TRIAGE, Status.OPEN),  # decline
    (Status.TRIAGE, Status.AWAITING_RESIDENT),
    (Status.IN_PROGRESS, Status.AWAITING_SERVICE),
    (Status.IN_PROGRESS, Status.AWAITING_RESIDENT),
    (Status.IN_PROGRESS, Status.RESOLVED),
    (Status.AWAITING_SERVICE, Status.IN_PROGRESS),  # response recorded (advocacy)
    (Status.AWAITING_SERVICE, Status.OPEN),  # response recorded (councillor's own referral)
    (Status.AWAITING_SERVICE, Status.RESOLVED),
    (Status.AWAITING_RESIDENT, Status.IN_PROGRESS),
    (Status.AWAITING_RESIDENT, Status.TRIAGE),  # information came before the case was accepted
    (Status.RESOLVED, Status.CLOSED),  # councillor confirms
    (Status.RESOLVED, Status.IN_PROGRESS),  # reopen
    (Status.RESOLVED, Status.OPEN),
    (Status.CLOSED, Status.IN_PROGRESS),
    (Status.CLOSED, Status.OPEN),
] + [(status, Status.WITHDRAWN) for status in ACTIVE_STATUSES] + [
    # Closed at a handover, with a letter to the resident, when the councillor who held it has gone
    # (casework/handover.py): from whatever state it was left in.
    (status, Status.CLOSED) for status in ACTIVE_STATUSES
]


class CaseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def advocacy(self):
        return self.filter(advocacy=True)

    def overdue(self, today=None):
        return self.filter(due_date__lt=today or timezone.localdate())

    def with_list_columns(self):
        """What a list of cases shows in its rows: a fixed number of queries whatever the page.

        The small lookup tables are prefetched rather than joined: planning a seven-table join
        cost more than running it (measured with `make bench`).
        """
        return self.select_related("resident").prefetch_related("ward", "category", "owner__user",
                                                                 "assigned_to")


# What a notice about a sensitive case says instead of its text: inboxes and their emails name the
# case and what happened to it, never the special category details a summary may hold.
SENSITIVE_NOTICE = "This case is marked sensitive, so what it is about is not sent in notices: sign in to read it."


def notice_text(*, sensitive: bool, text: str) -> str:
    return SENSITIVE_NOTICE if sensitive else text


@tracked(exclude=("search",))
class Case(models.Model):
    class EnquiryType(models.TextChoices):
        MEMBER_ENQUIRY = "member_enquiry", "Member enquiry"
        SERVICE_REQUEST = "service_request", "Service request"
        COMPLAINT = "complaint", "Complaint"

    class Priority(models.TextChoices):
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    Status = Status

    class Updates(models.TextChoices):
        """How the resident asked to hear of the case's progress (their consent, for this case)."""
        NONE = "none", "No updates"
        EMAIL = "email", "By email"
        SMS = "sms", "By text message"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="cases")
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, related_name="cases")
    place = models.ForeignKey("wards.Place", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="cases")
    ward_priority = models.ForeignKey("wards.Priority", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="cases", help_text="The ward priority this case bears on.")
    meeting_action = models.ForeignKey("wards.MeetingAction", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="cases",
                                       help_text="The ward meeting action this case came from.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases")
    summary = models.CharField(max_length=200)
    details = models.TextField(max_length=5000, blank=True)
    enquiry_type = models.CharField(max_length=20, choices=EnquiryType.choices,
                                    default=EnquiryType.MEMBER_ENQUIRY)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    sensitive = models.BooleanField(
        default=False, help_text="Special category data: health, benefits, housing need and the like."
    )
    # Who the controller is and on what basis the case's personal data is held (issue 13).
    capacity = models.CharField("held by", max_length=20, choices=Capacity.choices,
                                default=Capacity.WARD_COUNCILLOR)
    lawful_basis = models.CharField("Article 6 basis", max_length=20, choices=LawfulBasis.choices,
                                    default=LawfulBasis.PUBLIC_TASK)
    special_category_condition = models.CharField(
        "Article 9 condition", max_length=30, choices=SpecialCategoryCondition.choices, blank=True,
        help_text="Required for a sensitive case: what allows its special category details to be held.")
    basis_recorded_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey("councillors.Councillor", on_delete=models.PROTECT, related_name="cases")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    advocacy = models.BooleanField(
        default=False, help_text="Handled by the Support & Liaison Team's advocacy service."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(
        null=True, blank=True, help_text="When whatever the case now waits for is due; empty while paused."
    )
    triage_due = models.DateField(null=True, blank=True)
    resolution_due = models.DateField(null=True, blank=True)
    paused_on = models.DateField(
        null=True, blank=True, help_text="While waiting on the resident the clock stops; set from when."
    )
    outcome = models.TextField(max_length=5000, blank=True)
    outcome_category = models.ForeignKey(OutcomeCategory, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="cases")
    # Stage outcomes, recorded when a stage ends (casework.services): whether it met its target, the
    # working days to spare (+) or late (−) against its due date, and the working days it took, net of
    # any pause while waiting on the resident (the due date had been pushed back by the pause).
    triage_ended_at = models.DateTimeField(null=True, blank=True)
    triage_met = models.BooleanField(null=True, blank=True)
    triage_margin = models.SmallIntegerField(null=True, blank=True)
    triage_days = models.SmallIntegerField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    resolution_margin = models.SmallIntegerField(null=True, blank=True)
    resolution_days = models.SmallIntegerField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    search = SearchVectorField(null=True, editable=False)
    # A legal hold keeps the resident's details past the retention period (a claim, an investigation):
    # set and cleared by a liaison manager with a reason, each a timeline event (casework.retention).
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=500, blank=True)
    legal_hold_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    legal_hold_at = models.DateTimeField(null=True, blank=True)

    # The resident's consent to be told of progress (accepted, referred, resolved) and when they gave
    # it; empty when they gave none or withdrew it (casework.resident_updates).
    updates_by = models.CharField("Updates to the resident", max_length=5, choices=Updates.choices,
                                  default=Updates.NONE, db_default=Updates.NONE)
    updates_consent_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search"], name="case_search"),
            # The advocacy queue: sorted by what is due first.
            models.Index(F("due_date").asc(nulls_last=True), "id", condition=Q(advocacy=True),
                         name="case_queue_due"),
            # Every queue filter in one small index, so that paginating the queue counts from it.
            models.Index(fields=["status", "priority", "assigned_to", "ward", "owner", "category", "due_date"],
                         condition=Q(advocacy=True), name="case_queue_filters"),
            models.Index(fields=["owner", "-created_at"], name="case_owner_recent"),
            models.Index(fields=["owner", "status", "due_date"], name="case_owner_status"),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(priority__in=["normal", "high", "urgent"]),
                                   name="case_priority_valid"),
            models.CheckConstraint(
                condition=Q(enquiry_type__in=["member_enquiry", "service_request", "complaint"]),
                name="case_enquiry_type_valid",
            ),
            models.CheckConstraint(condition=Q(reference__regex=r"^KC-[0-9]{4}-[0-9]{5,}$"),
                                   name="case_reference_format"),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
            models.CheckConstraint(condition=Q(capacity__in=Capacity.values), name="case_capacity_valid"),
            models.CheckConstraint(condition=Q(lawful_basis__in=LawfulBasis.values), name="case_lawful_basis_valid"),
            models.CheckConstraint(condition=Q(special_category_condition__in=["", *SpecialCategoryCondition.values]),
                                   name="case_special_category_condition_valid"),
            # Special category details are never held without a condition that allows it.
            models.CheckConstraint(condition=Q(sensitive=False) | ~Q(special_category_condition=""),
                                   name="case_sensitive_has_condition"),
            # The team's states only exist for cases the team holds.
            models.CheckConstraint(
                condition=~Q(status__in=["triage", "in_progress", "awaiting_resident"]) | Q(advocacy=True),
                name="case_team_states_need_advocacy",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"])
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="case_resolved_has_outcome",
            ),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="case_closed_has_date"),
            models.CheckConstraint(condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                                   name="case_withdrawn_has_date"),
            models.CheckConstraint(condition=Q(status="awaiting_resident") | Q(paused_on__isnull=True),
                                   name="case_paused_only_awaiting_resident"),
            models.CheckConstraint(
                condition=Q(legal_hold=False)
                | (~Q(legal_hold_reason="") & Q(legal_hold_by__isnull=False, legal_hold_at__isnull=False)),
                name="case_legal_hold_has_reason"),
            models.CheckConstraint(condition=Q(updates_by__in=["none", "email", "sms"]), name="case_updates_by_valid"),
            models.CheckConstraint(condition=Q(updates_by="none") | Q(updates_consent_at__isnull=False),
                                   name="case_updates_have_consent_date"),
        ]
        triggers = [
            # Only when the status changes: other updates (bulk search refreshes) skip the check.
            pgtrigger.FSM(name="case_status_transitions", field="status",
                          condition=pgtrigger.AnyChange("status"),
                          transitions=[(a.value, b.value) for a, b in TRANSITIONS]),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("casework:case-detail", kwargs={"reference": self.reference})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def needs_consent_to_share(self) -> bool:
        """Held on the resident's consent: each referral records that they agreed to share with the service."""
        return (self.lawful_basis == LawfulBasis.CONSENT
                or self.special_category_condition == SpecialCategoryCondition.EXPLICIT_CONSENT)

    @property
    def controller(self) -> str:
        """Who decides what happens to the case's personal data, in words for the case page."""
        if self.capacity == Capacity.WARD_COUNCILLOR:
            return f"{self.owner.user.full_name}, as ward councillor"
        return "Kirklees Council"


class CaseReferenceCounter(models.Model):
    """The last reference number given out in a year (KC-2026-00042 is number 42 of 2026)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


@tracked()
class Referral(models.Model):
    """A case handed to a council service, and what the service said.

    The referral is emailed to the service (and the named officer); replies come back to an address
    carrying `reply_token`, an unguessable value that is not the case reference, so that a reply can
    be matched to its referral without trusting anything else the sender writes.
    """

    class Shared(models.TextChoices):
        """The resident's details a referral email may carry: only what the service needs."""

        NAME = "name", "Name"
        CONTACT = "contact", "Email address, phone number and how they prefer to be contacted"
        ADDRESS = "address", "Address and postcode"

    DEFAULT_SHARED = [Shared.NAME.value, Shared.CONTACT.value]

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey("wards.Service", on_delete=models.PROTECT, related_name="referrals")
    officer = models.ForeignKey("wards.Officer", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="referrals", verbose_name="named officer")
    officer_name = models.CharField("named officer", max_length=150, blank=True)
    details = models.TextField("what was asked", max_length=5000)
    sent_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField()
    chased_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(max_length=5000, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Recorded with the response: met its due date?, working days to spare (+) or late (−), days taken.
    response_met = models.BooleanField(null=True, blank=True)
    response_margin = models.SmallIntegerField(null=True, blank=True)
    response_days = models.SmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared = ArrayField(models.CharField(max_length=10, choices=Shared.choices), default=list, blank=True,
                        help_text="Which of the resident's details the referral email shares with the service.")
    # On a case held on the resident's consent: they agreed to share it with this service (issue 13).
    # Empty (null) when the case's basis did not need their consent.
    resident_agreed = models.BooleanField("the resident agreed to share this with the service", null=True,
                                          blank=True)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    # Empty on referrals recorded before referrals were emailed.
    reply_token = models.CharField(max_length=40, unique=True, null=True, editable=False)
    # The referral's email could not be delivered (a bounce came back): the team was told then.
    bounced_at = models.DateTimeField("email bounced", null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(responded_at__isnull=True) & Q(response=""))
                | (Q(responded_at__isnull=False) & ~Q(response="")),
                name="referral_response_with_date",
            ),
            models.CheckConstraint(
                condition=Q(resident_agreed__isnull=True)
                | (Q(consent_recorded_at__isnull=False) & Q(consent_recorded_by__isnull=False)),
                name="referral_consent_recorded_with_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.case} → {self.service}"

    @property
    def is_pending(self) -> bool:
        return self.responded_at is None


@tracked()
class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


def attachment_path(instance, filename):
    # A random name, with the extension of the file's detected type: the uploader's file name is
    # kept in original_name, never used on disk.
    import uuid

    from kirklees.govuk.uploads import extension_for

    return f"cases/{uuid.uuid4().hex}{extension_for(instance.content_type)}"


@tracked()
class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    # Empty for a file that came with an emailed reply (kirklees.mailin).
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name


class CaseEvent(models.Model):
    """One entry on a case's timeline. The history and the audit trail: never edited or deleted
    (a database trigger refuses UPDATE and DELETE, whoever asks)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Case created"
        EDITED = "edited", "Details changed"
        REFERRED_TO_ADVOCACY = "referred_to_advocacy", "Referred to the advocacy service"
        ACCEPTED = "accepted", "Accepted by the advocacy service"
        DECLINED = "declined", "Declined by the advocacy service"
        INFO_REQUESTED = "info_requested", "Information requested from the resident"
        INFO_RECEIVED = "info_received", "Information received from the resident"
        REFERRED_TO_SERVICE = "referred_to_service", "Referred to a council service"
        RESPONSE_RECORDED = "response_recorded", "Service response recorded"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Resolution confirmed and case closed"
        REOPENED = "reopened", "Reopened"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ASSIGNED = "assigned", "Assigned"
        NOTE_ADDED = "note_added", "Note added"
        ATTACHMENT_ADDED = "attachment_added", "File added"
        VIEWED_SENSITIVE = "viewed_sensitive", "Sensitive case viewed"
        REMINDER_SENT = "reminder_sent", "Reminder sent"
        ESCALATED = "escalated", "Escalated"
        SERVICE_CHASED = "service_chased", "Service chased"
        REFERRAL_EMAILED = "referral_emailed", "Referral emailed"
        WARD_CHANGED = "ward_changed", "Ward changed by a boundary change"
        MEETING_ACTION_LINKED = "meeting_action_linked", "Linked to a ward meeting action"
        BASIS_CHANGED = "basis_changed", "How the case is held changed"
        HANDED_OVER = "handed_over", "Handed over"
        CLOSED_AT_HANDOVER = "closed_at_handover", "Closed at handover, with a letter to the resident"
        LEGAL_HOLD_SET = "legal_hold_set", "Legal hold placed"
        LEGAL_HOLD_CLEARED = "legal_hold_cleared", "Legal hold lifted"
        ANONYMISED = "anonymised", "Resident's details anonymised"
        REPLY_RECEIVED = "reply_received", "Reply received by email"
        EMAIL_BOUNCED = "email_bounced", "Referral email bounced"
        UPDATES_CHANGED = "updates_changed", "Updates to the resident changed"
        RESIDENT_UPDATED = "resident_updated", "Update sent to the resident"
        RESIDENT_UPDATE_NOT_SENT = "resident_update_not_sent", "Update to the resident not sent"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              related_name="+", help_text="Empty when the system acted.")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.ForeignKey(Note, on_delete=models.PROTECT, null=True, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_time"),
                   # The reports' roll-up finds the cases changed since its last run (casework.insight).
                   models.Index(fields=["created_at"], name="caseevent_time")]
        triggers = [
            pgtrigger.Protect(name="caseevent_append_only",
                              operation=pgtrigger.Update | pgtrigger.Delete),
            # Row triggers do not fire on TRUNCATE, and the table's owner may truncate. (The runtime
            # role may not: settings.APPEND_ONLY_TABLES, kirklees/dbroles.)
            pgtrigger.Trigger(name="caseevent_no_truncate", level=pgtrigger.Statement, when=pgtrigger.Before,
                              operation=pgtrigger.Truncate,
                              func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the case timeline "
                                   "is append-only', TG_TABLE_NAME;"),
        ]

    def __str__(self):
        return f"{self.case}: {self.get_kind_display()}"


class ReferralReply(models.Model):
    """An emailed reply that landed on a case (kirklees.mailin matched it to the referral, or a
    liaison officer attached it): what the timeline shows, and what "record it as the response"
    records. The words are the reply's trimmed text, redacted with the case's other words."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, related_name="replies")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="replies")
    # No database constraint: nothing may stand between the timeline and its own truncate trigger
    # (tests/kirklees/test_dbroles.py), and a timeline entry is never deleted anyway.
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="reply", db_constraint=False)
    inbound_email_id = models.BigIntegerField(unique=True, help_text="The kirklees.mailin InboundEmail.")
    heading = models.CharField(max_length=300)  # "Reply from Highways (Priya Patel)"
    text = models.TextField(blank=True)
    original = models.ForeignKey(Attachment, on_delete=models.PROTECT, null=True, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self):
        return self.heading


@tracked()
class EscalationStep(models.Model):
    """One rung of the escalation ladder: how long after a due date, and whom to tell.

    The ladder is data, so the liaison manager can change it without a release. Every step also
    tells the case's councillor and is written on the case timeline.
    """

    class AppliesTo(models.TextChoices):
        CASE = "case", "A case's own due date (triage, resolution)"
        REFERRAL = "referral", "A council service's answer to a referral"

    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices)
    number = models.PositiveSmallIntegerField()
    wait_days = models.PositiveSmallIntegerField(help_text="Working days after the due date (0: on the day).")
    label = models.CharField(max_length=100)
    notify_assigned = models.BooleanField("tell the officer working the case", default=False)
    notify_managers = models.BooleanField("tell the liaison managers", default=False)
    chase_service = models.BooleanField("chase the service's contact address", default=False)
    notify_head_of_service = models.BooleanField("tell the head of service", default=False)

    class Meta:
        ordering = ["applies_to", "number"]
        constraints = [
            models.UniqueConstraint(fields=["applies_to", "number"], name="escalationstep_unique_number"),
        ]

    def __str__(self):
        return f"{self.get_applies_to_display()}, step {self.number}: {self.label}"


class SlaAction(models.Model):
    """A reminder or escalation step that has happened, once per case (or referral) and due date.

    The unique constraint is what makes the sweeps safe: two workers racing, or a sweep run twice,
    insert the same row, and only one insert wins (ON CONFLICT DO NOTHING).
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalation"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sla_actions")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, related_name="sla_actions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, null=True, related_name="+")
    due_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "referral", "kind", "step", "due_date"],
                                    nulls_distinct=False, name="slaaction_once_per_due_date"),
        ]


class DigestSent(models.Model):
    """A councillor's daily digest for one day: sent once, however often the job runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digestsent_once_a_day")]


class MissingAddressNotice(models.Model):
    """The liaison managers have been told that a service lacks an address the ladder needs.

    Once per service and address, however many cases and sweeps meet the gap: the unique
    constraint lets only one of two racing sweeps insert it (ON CONFLICT DO NOTHING RETURNING).
    """

    class Address(models.TextChoices):
        HEAD_OF_SERVICE = "head_of_service", "head of service"

    service = models.ForeignKey("wards.Service", on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=20, choices=Address.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "address"], name="missingaddressnotice_once")]


class HandoverNotice(models.Model):
    """The liaison managers have been told, on `day`, how many cases need handing over: once a day,
    however often the daily check runs (the unique day lets one of two racing runs insert it)."""

    day = models.DateField(unique=True)
    cases = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)


@tracked()
class RetentionPeriod(models.Model):
    """How long after a case closes (or is withdrawn) its resident's details are kept, per kind of
    case. No row: the default in settings.CASE_RETENTION_YEARS. A liaison manager edits them."""

    enquiry_type = models.CharField(max_length=20, choices=Case.EnquiryType.choices, unique=True)
    years = models.PositiveSmallIntegerField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enquiry_type"]
        constraints = [
            models.CheckConstraint(condition=Q(years__gte=1, years__lte=50), name="retentionperiod_years_sensible"),
        ]

    def __str__(self):
        return f"{self.get_enquiry_type_display()}: {self.years} years"


class ErasureRequest(models.Model):
    """A resident asked for their data to be erased (UK GDPR Article 17): what they asked, what was
    decided, by whom and when. Approval anonymises them at once (casework.retention)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approve: erase the resident's data now"
        REFUSED = "refused", "Refuse the request"

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="erasure_requests")
    received_on = models.DateField()
    reason = models.TextField("why the resident asked", max_length=2000)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decision_reason = models.TextField("the reason for the decision", max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=["approved", "refused"]),
                                   name="erasurerequest_decision_valid"),
            models.CheckConstraint(condition=~Q(reason="") & ~Q(decision_reason=""),
                                   name="erasurerequest_has_reasons"),
        ]
        triggers = [
            pgtrigger.Protect(name="erasurerequest_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"Erasure request {self.pk}"

    @property
    def audit_reference(self) -> str:
        """What the audit's redaction record (kirklees.audit.AuditRedaction) calls this request."""
        return f"erasure request {self.pk}"
