"""Stories of joint working: the list with search, a story, writing and editing, publishing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.permissions import require
from kirklees.refusals import add_refusal

from . import permissions, selectors, services
from .forms import StoryForm, StorySearchForm

STORIES_PER_PAGE = 20


@login_required
def story_list(request):
    user = request.user
    require(permissions.can_use(user))
    data = None
    if request.GET:
        data = request.GET.copy()
        data["show"] = data.get("show") or selectors.SHOW_PUBLISHED
    form = StorySearchForm(data, tags=selectors.story_tags_for(user))
    filters = form.cleaned_data if form.is_valid() else {}
    show = filters.get("show") or selectors.SHOW_PUBLISHED
    stories = selectors.stories_search(user=user, text=filters.get("q", ""), ward=filters.get("ward"),
                                       service=filters.get("service"), tag=filters.get("tag", ""), show=show)
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "stories/story_list.html", {
        "form": form,
        "page": page,
        "query": query,
        "show": show,
        "searched": any(filters.get(name) for name in ("q", "ward", "service", "tag")),
        "team": permissions.is_team(user),
        "drafts_count": selectors.drafts_count_for(user),
        "error_title": bool(form.errors),
    })


@login_required
def story_detail(request, pk):
    story = selectors.story_for_page(request.user, pk)
    return render(request, "stories/story_detail.html", {
        "story": story,
        "may_edit": permissions.can_edit(request.user, story),
        "may_publish": permissions.can_publish(request.user, story),
        "may_unpublish": permissions.can_unpublish(request.user, story),
    })


@login_required
def story_create(request):
    require(permissions.can_use(request.user))
    form = StoryForm(posted(request))
    if request.method == "POST" and form.is_valid():
        story = services.story_create(by=request.user, **form.cleaned_data)
        messages.success(request, "Story saved as a draft. The Support & Liaison Team will publish it.")
        return redirect(story)
    return render(request, "stories/story_form.html", {"form": form, "story": None})


@login_required
def story_edit(request, pk):
    story = selectors.story_for_editing(request.user, pk)
    form = StoryForm(posted(request), story=story)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(story=story, by=request.user, **form.cleaned_data)
        except services.InvalidStoryChange as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, "Draft saved")
            return redirect(story)
    return render(request, "stories/story_form.html", {"form": form, "story": story}, status=status)


def _change(request, pk, change, done: str):
    story = permissions.get_story_for_user(request.user, pk)
    try:
        change(story=story, by=request.user)
    except services.InvalidStoryChange as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, done)
    return redirect(story)


@login_required
@require_POST
def story_publish(request, pk):
    return _change(request, pk, services.story_publish, "Story published: every member of staff can read it now")


@login_required
@require_POST
def story_unpublish(request, pk):
    return _change(request, pk, services.story_unpublish, "Story unpublished: it is its author’s draft again")
