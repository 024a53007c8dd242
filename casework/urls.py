from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("cases/", views.my_cases, name="my-cases"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<str:reference>/", views.case_detail, name="case-detail"),
    path("cases/<str:reference>/notes/", views.case_add_note, name="case-add-note"),
    path("cases/<str:reference>/files/", views.case_add_attachment, name="case-add-attachment"),
    path("cases/<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("cases/<str:reference>/legal-hold/", views.case_legal_hold, name="case-legal-hold"),
    path("cases/<str:reference>/erase/", views.resident_erase, name="resident-erase"),
    path("cases/<str:reference>/replies/<int:pk>/record/", views.reply_record, name="reply-record"),
    path("cases/<str:reference>/<slug:action>/", views.case_action, name="case-action"),
    path("queue/", views.queue, name="queue"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/", views.category_targets, name="category-targets"),
    path("targets/closures/<int:pk>/remove/", views.closure_day_remove, name="closure-day-remove"),
    path("targets/outcomes/", views.outcome_categories, name="outcome-categories"),
    path("targets/outcomes/<int:pk>/", views.outcome_category, name="outcome-category"),
    path("retention/", views.retention_page, name="retention"),
    path("erasure-requests/<int:pk>/", views.erasure_request, name="erasure-request"),
    path("unmatched-email/", views.unmatched_emails, name="unmatched-emails"),
    path("unmatched-email/<int:pk>/", views.unmatched_email, name="unmatched-email"),
    path("unmatched-email/<int:pk>/original/", views.unmatched_email_original, name="unmatched-email-original"),
    path("queue/assign/", views.queue_assign, name="queue-assign"),
    path("meeting-actions/<int:pk>/link/", views.meeting_action_link, name="meeting-action-link"),
]
