from django.urls import path

from councillors import views as councillor_views

from . import public_views

app_name = "public"

urlpatterns = [
    path("wards/", public_views.ward_list, name="ward-list"),
    path("wards/<int:pk>/", public_views.ward_detail, name="ward-detail"),
    path("role-profile/", councillor_views.role_profile_public, name="role-profile"),
]
