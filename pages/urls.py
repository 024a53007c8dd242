"""The composition pages' addresses, one list per namespace (config/urls.py mounts each)."""

from django.urls import path

from councillors import views as councillor_views

from .views import account, boundary, dataimport, public

account_patterns = [
    path("account/", account.councillor_account, name="councillor-account"),
    path("account/councillors/", account.supported_councillors, name="supported-councillors"),
    path("account/councillors/<int:pk>/", account.councillor_account_for, name="councillor-account-for"),
]

public_patterns = [
    path("wards/", public.ward_list, name="ward-list"),
    path("wards/<int:pk>/", public.ward_detail, name="ward-detail"),
    path("role-profile/", councillor_views.role_profile_public, name="role-profile"),
]

boundary_patterns = [
    path("", boundary.boundary_change, name="change"),
]

dataimport_patterns = [
    path("", dataimport.index, name="index"),
    path("imports/<int:pk>/", dataimport.preview, name="preview"),
    path("imports/<int:pk>/confirm/", dataimport.confirm, name="confirm"),
    path("export/<slug:kind>.csv", dataimport.export, name="export"),
    path("template/<slug:kind>.csv", dataimport.template, name="template"),
]
