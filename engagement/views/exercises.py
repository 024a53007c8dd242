"""The team's and councillors' Place Standard exercises: the list, planning and editing one, its page,
and moving it on (open, close, publish)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.links import absolute_url
from kirklees.permissions import require
from kirklees.refusals import InvalidTransition, Refused, add_refusal

from .. import permissions, selectors, services
from ..forms import ExerciseForm
from ..models import Exercise, Response

EXERCISES_PER_PAGE = 25


@login_required
def exercise_list(request):
    require(permissions.can_read_published_results(request.user))
    manager = permissions.can_manage_exercises(request.user)
    wards = selectors.wards_with_exercises_for_user(request.user)
    ward = None
    if request.GET.get("ward", "").isdigit():
        ward = wards.filter(pk=request.GET["ward"]).first()
    status = request.GET.get("status", "") if manager else ""
    status = status if status in Exercise.Status.values else ""
    page = Paginator(selectors.exercises_for_user(request.user, ward=ward, status=status),
                     EXERCISES_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "engagement/exercise_list.html", {
        "page": page, "query": query, "manager": manager, "wards": wards, "ward": ward,
        "status": status, "statuses": Exercise.Status.choices,
    })


@login_required
def exercise_create(request):
    require(permissions.can_manage_exercises(request.user))
    form = ExerciseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"{exercise.title} planned. Open it when it is time to take responses.")
            return redirect("engagement:detail", pk=exercise.pk)
    return render(request, "engagement/exercise_form.html", {"form": form, "exercise": None})


@login_required
def exercise_edit(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    if exercise.status == Exercise.Status.PUBLISHED:
        messages.info(request, "Published results cannot be edited: they are what councillors and residents read.")
        return redirect("engagement:detail", pk=exercise.pk)
    form = ExerciseForm(posted(request), exercise=exercise)
    if request.method == "POST" and form.is_valid():
        try:
            services.exercise_update(exercise=exercise, by=request.user, **form.cleaned_data)
        except InvalidTransition as refusal:  # published while they were editing
            add_refusal(request, refusal)
            return redirect("engagement:detail", pk=exercise.pk)
        except (Refused, ValidationError) as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{exercise.title} saved")
            return redirect("engagement:detail", pk=exercise.pk)
    return render(request, "engagement/exercise_form.html", {"form": form, "exercise": exercise})


@login_required
def exercise_detail(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    by_source = selectors.response_counts_by_source(exercise)
    return render(request, "engagement/exercise_detail.html", {
        "exercise": exercise,
        "survey_url": absolute_url(reverse("engagement:survey", args=[exercise.token])),  # shared with residents
        "sources": [(label, by_source[code]) for code, label in Response.Source.choices if by_source.get(code)],
        "responses": sum(by_source.values()),
        "staff_entry": exercise.status in services.STAFF_ENTRY_STATUSES,
    })


@login_required
@require_POST
def exercise_transition(request, pk, action):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    change = {"open": services.exercise_open, "close": services.exercise_close,
              "publish": services.exercise_publish}.get(action)
    if change is None:
        raise Http404("No such action")
    try:
        change(exercise=exercise, by=request.user)
    except InvalidTransition as refusal:
        add_refusal(request, refusal)
    else:
        done = {"open": "is open: the public link takes responses",
                "close": "is closed: the public link no longer takes responses",
                "publish": "is published: the ward’s councillors have been told"}
        messages.success(request, f"{exercise.title} {done[action]}")
    return redirect("engagement:detail", pk=exercise.pk)
