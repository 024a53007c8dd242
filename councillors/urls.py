from django.urls import path

from . import views

app_name = "councillors"

urlpatterns = [
    path("councillors/", views.councillor_list, name="list"),
    path("councillors/add/", views.councillor_add, name="add"),
    path("councillors/<int:pk>/edit/", views.councillor_edit, name="edit"),
    path("councillors/groups/", views.group_list, name="groups"),
    path("councillors/groups/add/", views.group_add, name="group-add"),
    path("councillors/groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("councillors/advocacy/", views.advocacy, name="advocacy"),
    path("role-profile/", views.role_profile, name="role-profile"),
    path("role-profile/new/", views.role_profile_new, name="role-profile-new"),
    path("role-profile/compare/", views.role_profile_diff, name="role-profile-diff"),
    path("role-profile/<int:number>/", views.role_profile_version, name="role-profile-version"),
    path("role-profile/<int:number>/edit/", views.role_profile_edit, name="role-profile-edit"),
    path("role-profile/<int:number>/next-step/", views.role_profile_advance, name="role-profile-advance"),
]
