"""The composition pages' addresses, one list per namespace (config/urls.py mounts each)."""

from django.urls import path

from councillors import views as councillor_views

from .views import account, audit, boundary, dataimport, handover, public, wards

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

handover_patterns = [
    path("", handover.handover_list, name="list"),
    path("councillors/<int:pk>/", handover.handover_councillor, name="councillor"),
    path("letters/<str:reference>/", handover.handover_letter, name="letter"),
]

# In the wards namespace, beside wards.urls: ward pages that show casework's counts.
ward_patterns = [
    path("wards/priorities/<int:pk>/", wards.priority_detail, name="priority-detail"),
    path("wards/priorities/<int:pk>/progress/", wards.priority_update_add, name="priority-update-add"),
    path("meetings/<int:pk>/", wards.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/actions/", wards.meeting_action_add, name="meeting-action-add"),
]

dataimport_patterns = [
    path("", dataimport.index, name="index"),
    path("imports/<int:pk>/", dataimport.preview, name="preview"),
    path("imports/<int:pk>/confirm/", dataimport.confirm, name="confirm"),
    path("export/<slug:kind>.csv", dataimport.export, name="export"),
    path("template/<slug:kind>.csv", dataimport.template, name="template"),
]

audit_patterns = [
    path("", audit.audit_search_page, name="search"),
]
