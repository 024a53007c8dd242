from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.team_report, name="team"),
    path("download.<str:fmt>", views.team_download, name="team-download"),
    path("mine/", views.own_report, name="own"),
    path("mine/download.<str:fmt>", views.own_download, name="own-download"),
]
