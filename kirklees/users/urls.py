from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("end/", views.session_end, name="session-end"),
]
