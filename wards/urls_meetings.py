from django.urls import path

from . import views_meetings

urlpatterns = [
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/actions/", views_meetings.meeting_action_add, name="meeting-action-add"),
    path("meetings/actions/<int:pk>/edit/", views_meetings.meeting_action_edit, name="meeting-action-edit"),
    path("meetings/actions/<int:pk>/status/", views_meetings.meeting_action_status, name="meeting-action-status"),
]
