from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/end/", views.session_end, name="session-end"),
    path("people/<int:pk>/second-factor/reset/", views.second_factor_reset, name="second-factor-reset"),
]

# Mounted apart (config/urls.py), under their own namespace: "access".
access_patterns = [
    path("", views.people_list, name="people"),
    path("<int:pk>/", views.person_access, name="person"),
]
