"""Who may read, write, publish and unpublish stories of joint working: one place.

Any member of staff with a role (councillors, the liaison team, ward data admins) may write a
story and read published ones. A draft is its author's until the Support & Liaison Team
(officer or manager) publishes it; only a liaison manager takes a published story back down.
Stories hold no residents' personal data, so nothing here depends on casework.
"""
from django.db.models import Q
from django.http import Http404

from kirklees.permissions import require

from .models import Story


def can_use(user) -> bool:
    return user.is_authenticated and user.has_staff_role


def is_team(user) -> bool:
    return user.is_authenticated and user.is_liaison


def can_edit(user, story: Story) -> bool:
    return story.is_draft and story.author_id == user.pk


def can_publish(user, story: Story) -> bool:
    return story.is_draft and is_team(user)


def can_unpublish(user, story: Story) -> bool:
    return not story.is_draft and user.is_authenticated and user.is_liaison_manager


def visible_filter(user) -> Q:
    """Published stories, and the drafts this user may see: their own, or all if on the team."""
    if is_team(user):
        return Q()
    return Q(status=Story.Status.PUBLISHED) | Q(author_id=user.pk)


def get_story_for_user(user, pk: int, queryset=None) -> Story:
    """The story, if this user may see it; a draft that is not theirs is 404, as if it did not exist."""
    require(can_use(user))
    queryset = Story.objects.all() if queryset is None else queryset
    try:
        return queryset.filter(visible_filter(user)).get(pk=pk)
    except Story.DoesNotExist:
        raise Http404("No such story") from None


def get_story_for_author(user, pk: int, queryset=None) -> Story:
    """A story to edit: 404 as for reading it, then 403 unless it is this user's own draft."""
    story = get_story_for_user(user, pk, queryset)
    require(can_edit(user, story))
    return story
