from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("notices/<slug:slug>/edit/", views.edit, name="edit"),
]
