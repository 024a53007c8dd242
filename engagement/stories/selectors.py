"""Reads of stories of joint working, each a fixed number of queries however many stories there are."""
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Prefetch

from councillors.models import Councillor
from kirklees.tagging import tags_in_use
from wards.models import Officer, Service, Ward

from . import permissions
from .models import SEARCH_CONFIG, Story

SHOW_PUBLISHED, SHOW_DRAFTS = "published", "drafts"


def _listed(queryset):
    # The search document is only for filtering: never fetch it.
    return queryset.select_related("ward", "service", "author").defer("search")


def stories_search(*, user, text: str = "", ward: Ward | None = None, service: Service | None = None,
                   tag: str = "", show: str = SHOW_PUBLISHED):
    """Published stories (or the drafts this user may see), filtered, best match or newest first.

    `text` is matched in the title, what happened and the outcome, with English stemming
    ("walkabouts" finds "walkabout"), and may use quotes and "or" as in a web search.
    """
    if show == SHOW_DRAFTS:
        stories = Story.objects.drafts().filter(permissions.visible_filter(user))
        order = ["-updated_at", "-id"]
    else:
        stories = Story.objects.published()
        order = ["-published_at", "-id"]
    if ward is not None:
        stories = stories.filter(ward=ward)
    if service is not None:
        stories = stories.filter(service=service)
    if tag:
        stories = stories.filter(tags__contains=[tag])
    text = text.strip()
    if text:
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        stories = stories.filter(search=query).annotate(rank=SearchRank(F("search"), query))
        order = ["-rank", *order]
    return _listed(stories).order_by(*order)


def story_tags_for(user) -> list[str]:
    """The tags on the stories this user can see, for the tag filter."""
    return tags_in_use(Story.objects.filter(permissions.visible_filter(user)))


def drafts_count_for(user) -> int:
    return Story.objects.drafts().filter(permissions.visible_filter(user)).count()


def _with_people():
    return _listed(Story.objects.select_related("published_by")).prefetch_related(
        Prefetch("councillors", queryset=Councillor.objects.select_related("user", "ward").order_by("user__full_name")),
        Prefetch("officers", queryset=Officer.objects.select_related("service").order_by("full_name")),
    )


def story_for_page(user, pk: int) -> Story:
    """One story with the people involved, if this user may see it (else Http404/PermissionDenied)."""
    return permissions.get_story_for_user(user, pk, _with_people())


def story_for_editing(user, pk: int) -> Story:
    """One story with the people involved, if it is this user's draft (else Http404/PermissionDenied)."""
    return permissions.get_story_for_author(user, pk, _with_people())


def recent_published_stories(ward: Ward | None = None, limit: int = 3) -> list[Story]:
    """The newest published stories (in `ward`, if given), for the Councillor Account: one query.

    Each has `ward` and `service` loaded; link to it with `story.get_absolute_url()`.
    """
    stories = Story.objects.published()
    if ward is not None:
        stories = stories.filter(ward=ward)
    return list(stories.select_related("ward", "service").defer("search").order_by("-published_at", "-id")[:limit])
