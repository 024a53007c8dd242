from django.urls import path

from . import views, views_public

app_name = "engagement"

urlpatterns = [
    # The team's and councillors' pages.
    path("engagement/", views.exercise_list, name="list"),
    path("engagement/new/", views.exercise_create, name="create"),
    path("engagement/<int:pk>/", views.exercise_detail, name="detail"),
    path("engagement/<int:pk>/edit/", views.exercise_edit, name="edit"),
    path("engagement/<int:pk>/status/<str:action>/", views.exercise_transition, name="transition"),
    path("engagement/<int:pk>/paper/", views.paper_entry, name="paper"),
    path("engagement/<int:pk>/import/", views.import_upload, name="import"),
    path("engagement/<int:pk>/import/template.csv", views.import_template, name="import-template"),
    path("engagement/<int:pk>/import/<int:batch>/", views.import_preview, name="import-preview"),
    path("engagement/<int:pk>/results/", views.results, name="results"),
    path("engagement/<int:pk>/results.csv", views.results_csv, name="results-csv"),
    path("engagement/<int:pk>/responses.csv", views.responses_csv, name="responses-csv"),
    path("engagement/<int:pk>/results/comments/<slug:theme>/", views.theme_comments, name="theme-comments"),
    path("engagement/<int:pk>/results/propose-priority/", views.propose_priority, name="propose-priority"),
    # The public survey: no login, reached by the exercise's link.
    path("have-your-say/<str:token>/", views_public.survey, name="survey"),
    path("have-your-say/<str:token>/thank-you/", views_public.survey_thanks, name="survey-thanks"),
]
