"""The public Place Standard survey: no login, reached by an exercise's unguessable link."""
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from kirklees.govuk.submissions import AlreadySubmitted

from .. import services, throttle
from ..forms import SurveyForm
from ..models import Exercise
from ..selectors import theme_list


def _not_open(request, exercise: Exercise):
    # 410 Gone once it has closed: the link will not work again. A planned one may yet open.
    status = 403 if exercise.status == Exercise.Status.PLANNED else 410
    return render(request, "engagement/public/not_open.html", {"exercise": exercise}, status=status)


@never_cache
def survey(request, token):
    exercise = get_object_or_404(Exercise.objects.select_related("ward", "place"), token=token)
    if not exercise.takes_responses:
        return _not_open(request, exercise)
    themes = theme_list()
    if request.method == "POST":
        if not throttle.survey_allowed(request):
            return render(request, "engagement/public/too_many.html", {"exercise": exercise,
                                                                       "minutes": throttle.SURVEY_WINDOW_SECONDS // 60},
                          status=429)
        form = SurveyForm(request.POST, themes=themes)
        if form.is_spam:
            return render(request, "engagement/public/refused.html", {"exercise": exercise}, status=400)
        if form.is_valid():
            data = services.ResponseData(scores=form.scores(), comments=form.comments(),
                                         age_band=form.cleaned_data["age_band"],
                                         postcode_district=form.cleaned_data["postcode_district"])
            try:
                services.response_submit_online(exercise=exercise, data=data,
                                                submission_key=form.cleaned_data["submission_key"])
            except services.ExerciseNotTakingResponses:
                exercise.refresh_from_db()
                return _not_open(request, exercise)  # it closed while they were answering
            except AlreadySubmitted:
                return redirect(reverse("engagement:survey-thanks", kwargs={"token": exercise.token}) + "?again=1")
            return redirect("engagement:survey-thanks", token=exercise.token)
    else:
        form = SurveyForm(themes=themes)
    return render(request, "engagement/public/survey.html", {"exercise": exercise, "form": form})


def survey_thanks(request, token):
    exercise = get_object_or_404(Exercise.objects.select_related("ward", "place"), token=token)
    return render(request, "engagement/public/thanks.html", {"exercise": exercise,
                                                             "again": request.GET.get("again") == "1"})
