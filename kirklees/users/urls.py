from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("end/", views.session_end, name="session-end"),
]

# Mounted apart (config/urls.py), under their own namespace: "access".
access_patterns = [
    path("", views.people_list, name="people"),
    path("<int:pk>/", views.person_access, name="person"),
]
