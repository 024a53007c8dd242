"""The team's and councillors' Place Standard pages: exercises, paper entry, CSV import, results."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kirklees.csvfiles import CsvFileError, csv_response
from kirklees.links import absolute_url
from kirklees.permissions import require
from kirklees.govuk.forms import posted, query_without_page
from kirklees.refusals import InvalidTransition, Refused, add_refusal

from . import permissions, selectors, services
from .forms import ExerciseForm, ImportUploadForm, ResultsFilterForm, paper_formset
from .imports import MAX_ERRORS_SHOWN, decode, parse_responses_csv
from .models import SCORES, Exercise, Response, ResponseComment, Theme

EXERCISES_PER_PAGE = 25
COMMENTS_PER_PAGE = 50
PAPER_ROWS = (10, 25, 50)


# --- exercises -----------------------------------------------------------------------------------

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


# --- paper entry ---------------------------------------------------------------------------------

@login_required
def paper_entry(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    themes = selectors.theme_list()
    rows = int(request.GET["rows"]) if request.GET.get("rows", "").isdigit() else PAPER_ROWS[0]
    rows = rows if rows in PAPER_ROWS else PAPER_ROWS[0]
    formset = paper_formset(rows=rows, themes=themes, data=posted(request))
    problem, nothing_typed = _staff_entry_problem(exercise), False
    if request.method == "POST" and problem is None and formset.is_valid():
        answers = [services.ResponseData(scores=form.scores(), age_band=form.cleaned_data["age_band"],
                                         postcode_district=form.cleaned_data["postcode_district"])
                   for form in formset.forms if form.has_changed()]
        nothing_typed = not answers
        if answers:
            try:
                saved = services.responses_enter_paper(exercise=exercise, by=request.user, answers=answers)
            except services.ExerciseNotTakingResponses as refusal:
                problem = refusal.message
            else:
                messages.success(request, f"{saved} paper form{'' if saved == 1 else 's'} saved")
                return redirect(f"{reverse('engagement:paper', args=[exercise.pk])}?rows={rows}")
    error_items = _paper_error_items(formset, nothing_typed) if request.method == "POST" and not problem else []
    refused = request.method == "POST" and bool(problem or error_items)
    return render(request, "engagement/paper_entry.html", {
        "exercise": exercise, "formset": formset, "themes": themes, "rows": rows, "row_choices": PAPER_ROWS,
        "problem": problem, "error_items": error_items, "error_title": refused,
        "responses": selectors.response_count(exercise),
    }, status=400 if refused else 200)


def _staff_entry_problem(exercise: Exercise) -> str | None:
    if exercise.status == Exercise.Status.PLANNED:
        return "Open the exercise before typing in paper forms."
    if exercise.status == Exercise.Status.PUBLISHED:
        return "Its results are published: paper forms can no longer be added."
    return None


def _paper_error_items(formset, nothing_typed: bool) -> list[dict]:
    """The error summary: one line per bad cell, saying which form and which theme."""
    items = [{"text": "Type in at least one paper form before saving", "href": f"#{formset.forms[0]['score_1'].auto_id}"}
             ] if nothing_typed else []
    items += [{"text": error, "href": ""} for error in formset.non_form_errors()]
    for index, form in enumerate(formset.forms, start=1):
        if not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"text": f"Form {index}: {error}", "href": f"#{form['score_1'].auto_id}"})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            label = form.fields[name].label
            for error in errors:
                items.append({"text": f"Form {index}, {label}: {error}", "href": f"#{form[name].auto_id}"})
    return items


# --- CSV import ----------------------------------------------------------------------------------

@login_required
def import_upload(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    themes = selectors.theme_list()
    form = ImportUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = decode(upload.read())
            batch, parsed = services.response_import_upload(exercise=exercise, by=request.user,
                                                            file_name=upload.name, content=content, themes=themes)
        except CsvFileError as error:
            form.add_error("file", error.message)
        except services.ImportNotReady as refusal:  # its rows' errors are listed below the form
            parsed = refusal.parsed
            add_refusal(form, refusal)
        except services.ExerciseNotTakingResponses as refusal:
            add_refusal(form, refusal)
        else:
            return redirect("engagement:import-preview", pk=exercise.pk, batch=batch.pk)
    return render(request, "engagement/import_upload.html", {
        "exercise": exercise, "form": form, "parsed": parsed, "themes": themes,
        "row_errors": parsed.row_errors[:MAX_ERRORS_SHOWN] if parsed else [],
        "more_errors": max(0, len(parsed.row_errors) - MAX_ERRORS_SHOWN) if parsed else 0,
    }, status=400 if form.errors else 200)


@login_required
def import_preview(request, pk, batch):
    batch = permissions.get_response_import_for_manager(request.user, pk, batch)
    exercise = batch.exercise
    themes = selectors.theme_list()
    if request.method == "POST":  # the service parses the file again as it writes: no need to here
        try:
            count = services.response_import_apply(batch=batch, by=request.user, themes=themes)
        except Refused as refusal:  # imported already, or the exercise moved on: back to the preview
            add_refusal(request, refusal)
        else:
            messages.success(request, f"{count:,} response{'' if count == 1 else 's'} imported from {batch.file_name}")
            return redirect("engagement:detail", pk=exercise.pk)
        return redirect("engagement:import-preview", pk=exercise.pk, batch=batch.pk)
    parsed = parse_responses_csv(batch.content, themes)
    names = {t.number: t.name for t in themes}
    sample = [{"line": row.line, "age_band": dict(Response.AgeBand.choices).get(row.age_band, ""),
               "postcode_district": row.postcode_district,
               "scores": [row.scores.get(t.number) for t in themes], "comments": len(row.comments)}
              for row in parsed.rows[:10]]
    return render(request, "engagement/import_preview.html", {
        "exercise": exercise, "batch": batch, "parsed": parsed, "themes": themes, "sample": sample, "names": names,
        "comments": sum(len(row.comments) for row in parsed.rows),
    })


@login_required
def import_template(request, pk):
    exercise = permissions.get_exercise_for_manager(request.user, pk)
    themes = selectors.theme_list()
    header = ["age_band", "postcode_district", *[t.slug for t in themes],
              *[f"{t.slug}_{kind}" for t in themes for kind in ResponseComment.Kind.values]]
    example = ["35_44", "HD8", *["4"] * len(themes), *[""] * (2 * len(themes))]
    return csv_response(f"place-standard-import-{exercise.pk}.csv", header, [example])


# --- results -------------------------------------------------------------------------------------

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
