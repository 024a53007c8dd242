"""Stories of councillor–officer joint working: written by anyone on the staff, published by the
Support & Liaison Team, read by every member of staff. Never residents' personal data (a published
story is shown to all staff; see forms.py for the check on postcodes, emails and phone numbers)."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kirklees.tagging import TAG_MAX_LENGTH

# The full-text document: the title counts for more than the body when ranking.
SEARCH_CONFIG = "english"
SEARCH_DOCUMENT = (SearchVector("title", weight="A", config=SEARCH_CONFIG)
                   + SearchVector("what_happened", "outcome", weight="B", config=SEARCH_CONFIG))


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Story.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Story.Status.DRAFT)


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=150)
    what_happened = models.TextField(max_length=5000)
    outcome = models.TextField(max_length=2000)
    councillors = models.ManyToManyField("councillors.Councillor", blank=True, related_name="joint_working_stories")
    officers = models.ManyToManyField("wards.Officer", blank=True, related_name="joint_working_stories")
    others_involved = models.CharField(max_length=300, blank=True,
                                       help_text="Partners and colleagues not in the People Finder.")
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    service = models.ForeignKey("wards.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tags = ArrayField(models.CharField(max_length=TAG_MAX_LENGTH), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # Kept up to date by Postgres itself, so that no write path can forget to refresh it.
    search = models.GeneratedField(expression=SEARCH_DOCUMENT, output_field=SearchVectorField(), db_persist=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [
            GinIndex(fields=["search"], name="story_search"),
            GinIndex(fields=["tags"], name="story_tags"),
            models.Index(fields=["ward", "-published_at"], condition=Q(status="published"),
                         name="story_published_by_ward"),
            models.Index(fields=["-published_at"], condition=Q(status="published"), name="story_published"),
            models.Index(fields=["author"], condition=Q(status="draft"), name="story_drafts_by_author"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="story_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="story_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
