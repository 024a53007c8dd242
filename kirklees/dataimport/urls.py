from django.urls import path

from . import views

app_name = "dataimport"

urlpatterns = [
    path("", views.index, name="index"),
    path("imports/<int:pk>/", views.preview, name="preview"),
    path("imports/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("export/<slug:kind>.csv", views.export, name="export"),
    path("template/<slug:kind>.csv", views.template, name="template"),
]
