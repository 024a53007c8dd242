"""Other tools' responses from a CSV file: upload, preview and confirm; the file's template."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kirklees.csvfiles import CsvFileError, csv_response
from kirklees.govuk.forms import posted
from kirklees.refusals import Refused, add_refusal

from .. import permissions, selectors, services
from ..forms import ImportUploadForm
from ..imports import MAX_ERRORS_SHOWN, decode, parse_responses_csv
from ..models import Response, ResponseComment


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
