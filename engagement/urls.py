from django.urls import path

from .views import exercises, imports, paper, public, results

app_name = "engagement"

urlpatterns = [
    # The team's and councillors' pages.
    path("engagement/", exercises.exercise_list, name="list"),
    path("engagement/new/", exercises.exercise_create, name="create"),
    path("engagement/<int:pk>/", exercises.exercise_detail, name="detail"),
    path("engagement/<int:pk>/edit/", exercises.exercise_edit, name="edit"),
    path("engagement/<int:pk>/status/<str:action>/", exercises.exercise_transition, name="transition"),
    path("engagement/<int:pk>/paper/", paper.paper_entry, name="paper"),
    path("engagement/<int:pk>/import/", imports.import_upload, name="import"),
    path("engagement/<int:pk>/import/template.csv", imports.import_template, name="import-template"),
    path("engagement/<int:pk>/import/<int:batch>/", imports.import_preview, name="import-preview"),
    path("engagement/<int:pk>/results/", results.results, name="results"),
    path("engagement/<int:pk>/results.csv", results.results_csv, name="results-csv"),
    path("engagement/<int:pk>/responses.csv", results.responses_csv, name="responses-csv"),
    path("engagement/<int:pk>/results/comments/<slug:theme>/", results.theme_comments, name="theme-comments"),
    path("engagement/<int:pk>/results/propose-priority/", results.propose_priority, name="propose-priority"),
    # The public survey: no login, reached by the exercise's link.
    path("have-your-say/<str:token>/", public.survey, name="survey"),
    path("have-your-say/<str:token>/thank-you/", public.survey_thanks, name="survey-thanks"),
]
