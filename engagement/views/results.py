"""An exercise's results: the page, its CSV files, the comments on a theme, and priorities proposed
from the themes residents scored low."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import query_without_page
from kirklees.refusals import Refused, add_refusal

from .. import permissions, selectors, services
from ..forms import ResultsFilterForm
from ..models import SCORES, Exercise, Response, Theme

COMMENTS_PER_PAGE = 50


def _results_context(request, exercise: Exercise, themes: list[Theme]):
    wards = selectors.wards_to_compare(exercise)
    previous = selectors.previous_exercise(exercise)
    form = ResultsFilterForm(request.GET or None, age_bands=Response.AgeBand.choices, wards=wards,
                             has_previous=previous is not None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    age_band = filters.get("age_band", "")
    compare = filters.get("compare") or "borough"
    results = selectors.exercise_results(exercise, themes, age_band=age_band)
    form.show_counts(results.age_bands)
    selectors.with_comparison(results, selectors.comparison_for(exercise, compare, age_band=age_band))
    return form, results


@login_required
def results(request, pk):
    exercise = permissions.get_exercise_results_for_user(request.user, pk)
    themes = selectors.theme_list()
    form, results_ = _results_context(request, exercise, themes)
    manager = permissions.can_manage_exercises(request.user)
    seeds = selectors.priority_seeds(exercise) if manager else {}
    comments = selectors.comments_sample(exercise, themes, age_band=results_.age_band)
    query = request.GET.urlencode()
    return render(request, "engagement/results.html", {
        "exercise": exercise, "form": form, "results": results_, "compass": selectors.compass_for(results_),
        "lowest": [(t, seeds.get(t.theme.number)) for t in results_.lowest],
        "comments": comments, "has_comments": any(c.good_total or c.better_total for c in comments),
        "age_band_label": dict(Response.AgeBand.choices).get(results_.age_band, ""),
        "manager": manager, "query": query, "scores": list(SCORES),
        "can_propose": manager and exercise.status in (Exercise.Status.CLOSED, Exercise.Status.PUBLISHED),
        "error_title": bool(form.errors),
    })


@login_required
def results_csv(request, pk):
    exercise = permissions.get_exercise_results_for_user(request.user, pk)
    themes = selectors.theme_list()
    _, results_ = _results_context(request, exercise, themes)
    compared = results_.comparison.label if results_.comparison else ""
    header = ["theme number", "theme", "answers", "mean", "median", *[f"scored {s}" for s in SCORES], "skipped",
              f"mean of {compared}" if compared else "compared mean"]
    rows = [[t.theme.number, t.theme.name, t.n, "" if t.mean is None else f"{t.mean:.2f}",
             "" if t.median is None else f"{t.median:g}", *t.counts, results_.responses - t.n,
             "" if t.compared is None else f"{t.compared:.2f}"] for t in results_.themes]
    suffix = f"-{results_.age_band}" if results_.age_band else ""
    return csv_response(f"place-standard-{exercise.pk}-results{suffix}.csv", header, rows)


@login_required
def responses_csv(request, pk):
    """Every response, anonymous, in the import format: for analysis elsewhere, or to move them."""
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    themes = selectors.theme_list()
    header = ["response", "source", "submitted_at", "age_band", "postcode_district", *[t.slug for t in themes]]
    rows = (("" if v is None else v for v in row) for row in selectors.responses_for_export(exercise, themes))
    return csv_response(f"place-standard-{exercise.pk}-responses.csv", header, rows)


@login_required
def theme_comments(request, pk, theme):
    exercise = permissions.get_exercise_results_for_user(request.user, pk)
    theme = get_object_or_404(Theme, slug=theme)
    age_band = request.GET.get("age_band", "")
    age_band = age_band if age_band in Response.AgeBand.values else ""
    comments = selectors.theme_comments(exercise, theme, age_band=age_band)
    page = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "engagement/theme_comments.html", {
        "exercise": exercise, "theme": theme, "page": page, "query": query,
        "age_band_label": dict(Response.AgeBand.choices).get(age_band, ""),
    })


@login_required
@require_POST
def propose_priority(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    theme = get_object_or_404(Theme, number=request.POST.get("theme") if str(request.POST.get("theme", "")).isdigit()
                              else 0)
    try:
        priority = services.priority_propose_from_theme(exercise=exercise, theme=theme, by=request.user)
    except Refused as refusal:  # proposed already (AlreadySeeded), or the exercise is not closed yet
        add_refusal(request, refusal)
    else:
        messages.success(request, f"Priority proposed for {exercise.ward.name}: “{priority.title}”. "
                                  "The ward’s councillors can agree it or drop it.")
    return redirect("engagement:results", pk=exercise.pk)
