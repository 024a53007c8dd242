"""Paper forms typed in by the team, many to a page."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from kirklees.govuk.forms import posted

from .. import permissions, selectors, services
from ..forms import paper_formset
from ..models import Exercise

PAPER_ROWS = (10, 25, 50)


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
    items = [{"text": "Type in at least one paper form before saving",
              "href": f"#{formset.forms[0]['score_1'].auto_id}"}
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
