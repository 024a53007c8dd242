"""Every change to a story of joint working: write a draft, edit it, publish, unpublish."""
from django.db import transaction
from django.utils import timezone

from kirklees.notifications.services import notify
from kirklees.permissions import require
from kirklees.refusals import InvalidTransition

from . import permissions
from .models import Story

STORY_FIELDS = ["title", "what_happened", "outcome", "others_involved", "ward", "service", "tags"]


class InvalidStoryChange(InvalidTransition):
    """The story is no longer in a state that allows this (someone else got there first)."""


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().defer("search").get(pk=story.pk)


def _clean(value):
    return value.strip() if isinstance(value, str) else value


@transaction.atomic
def story_create(*, by, title: str, what_happened: str, outcome: str, councillors=(), officers=(),
                 others_involved: str = "", ward=None, service=None, tags=()) -> Story:
    """A new draft, which only its author and the liaison team see until it is published."""
    require(permissions.can_use(by))
    now = timezone.now()
    story = Story.objects.create(
        title=title.strip(), what_happened=what_happened.strip(), outcome=outcome.strip(),
        others_involved=others_involved.strip(), ward=ward, service=service, tags=list(tags), author=by,
        created_at=now, updated_at=now,
    )
    story.councillors.set(councillors)
    story.officers.set(officers)
    return story


@transaction.atomic
def story_update(*, story: Story, by, councillors=None, officers=None, **changes) -> Story:
    """The author edits their draft. Once published it is the team's: unpublish it to change it."""
    require(story.author_id == by.pk)
    unknown = set(changes) - set(STORY_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    story = _locked(story)
    if not story.is_draft:
        raise InvalidStoryChange("This story has been published, so it can no longer be edited. "
                                 "Ask a liaison manager to unpublish it if it needs changing.")
    for name, value in changes.items():
        setattr(story, name, list(value) if name == "tags" else _clean(value))
    story.updated_at = timezone.now()
    story.save(update_fields=[*changes, "updated_at"])
    if councillors is not None:
        story.councillors.set(councillors)
    if officers is not None:
        story.officers.set(officers)
    return story


@transaction.atomic
def story_publish(*, story: Story, by) -> Story:
    """The liaison team publishes a draft: from now on every member of staff can read it."""
    require(permissions.is_team(by))
    story = _locked(story)
    if not story.is_draft:
        raise InvalidStoryChange("This story has already been published.")
    now = timezone.now()
    story.status, story.published_at, story.published_by, story.updated_at = Story.Status.PUBLISHED, now, by, now
    story.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    if story.author_id != by.pk:
        notify(user=story.author, kind="story_published", title=f"Your story “{story.title}” has been published",
               body="Every member of staff can now read it.", url=story.get_absolute_url())
    return story


@transaction.atomic
def story_unpublish(*, story: Story, by) -> Story:
    """A liaison manager takes a published story down: it becomes its author's draft again."""
    require(by.is_authenticated and by.is_liaison_manager)
    story = _locked(story)
    if story.is_draft:
        raise InvalidStoryChange("This story is not published.")
    story.status, story.published_at, story.published_by = Story.Status.DRAFT, None, None
    story.updated_at = timezone.now()
    story.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    if story.author_id != by.pk:
        notify(user=story.author, kind="story_unpublished", title=f"Your story “{story.title}” has been unpublished",
               body=f"{by.full_name} took it down. It is a draft again: you can edit it, and the "
                    "Support & Liaison Team can publish it again.", url=story.get_absolute_url())
    return story
