from django.urls import path

from . import boundary_views

app_name = "boundary"

urlpatterns = [
    path("", boundary_views.boundary_change, name="change"),
]
