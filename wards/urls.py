from django.urls import path

from .views import briefings, email_changes, funding, meetings, people, priorities, profile, wards

app_name = "wards"

# One namespace, the views in a module per feature. Under wards/, so that the "Wards" item in the
# header stays the current one on these pages; the People Finder and meetings have their own.
urlpatterns = [
    path("wards/", wards.ward_list, name="list"),
    path("wards/<int:pk>/", wards.ward_detail, name="detail"),
    # places
    path("wards/<int:pk>/places/", wards.place_list, name="places"),
    path("wards/<int:pk>/places/new/", wards.place_create, name="place-create"),
    path("wards/places/<int:pk>/edit/", wards.place_edit, name="place-edit"),
    path("wards/places/export/", wards.places_export, name="places-export"),
    # ward profile figures
    path("wards/<int:pk>/figures/", profile.figure_list, name="figures"),
    path("wards/<int:pk>/figures/new/", profile.figure_create, name="figure-create"),
    path("wards/figures/<int:pk>/edit/", profile.figure_edit, name="figure-edit"),
    path("wards/figures/<int:pk>/delete/", profile.figure_delete, name="figure-delete"),
    path("wards/figures/export/", profile.figures_export, name="figures-export"),
    # priorities
    path("wards/priorities/", priorities.priority_list, name="priorities"),
    path("wards/priorities/new/", priorities.priority_create, name="priority-create"),
    path("wards/priorities/export/", priorities.priorities_export, name="priorities-export"),
    path("wards/priorities/<int:pk>/edit/", priorities.priority_edit, name="priority-edit"),
    # briefings
    path("wards/briefings/", briefings.briefing_list, name="briefings"),
    path("wards/briefings/new/", briefings.briefing_create, name="briefing-create"),
    path("wards/briefings/export/", briefings.briefings_export, name="briefings-export"),
    path("wards/briefings/<int:pk>/edit/", briefings.briefing_edit, name="briefing-edit"),
    path("wards/briefings/<int:pk>/delete/", briefings.briefing_delete, name="briefing-delete"),
    path("wards/briefings/<int:pk>/file/", briefings.briefing_file, name="briefing-file"),
    # funding
    path("wards/funding/", funding.funding_overview, name="funding"),
    path("wards/funding/schemes/new/", funding.funding_scheme_create, name="funding-scheme-create"),
    path("wards/funding/schemes/<int:pk>/edit/", funding.funding_scheme_edit, name="funding-scheme-edit"),
    path("wards/funding/awards/", funding.funding_award_list, name="funding-awards"),
    path("wards/funding/awards/new/", funding.funding_award_create, name="funding-award-create"),
    path("wards/funding/awards/export/", funding.funding_awards_export, name="funding-awards-export"),
    path("wards/funding/awards/<int:pk>/", funding.funding_award_detail, name="funding-award-detail"),
    path("wards/funding/awards/<int:pk>/edit/", funding.funding_award_edit, name="funding-award-edit"),
    path("wards/funding/awards/<int:pk>/status/", funding.funding_award_status, name="funding-award-status"),
    # the People Finder: services and officers
    path("people/", people.people, name="people"),
    path("people/export/", people.people_export, name="people-export"),
    path("people/officers/new/", people.officer_create, name="officer-create"),
    path("people/officers/<int:pk>/edit/", people.officer_edit, name="officer-edit"),
    path("people/officers/<int:pk>/confirm/", people.officer_confirm, name="officer-confirm"),
    path("people/services/", people.service_list, name="services"),
    path("people/services/new/", people.service_create, name="service-create"),
    path("people/services/<int:pk>/edit/", people.service_edit, name="service-edit"),
    # changes of the addresses residents' details go to: the managers' page, and the new inbox's link
    path("people/email-changes/", email_changes.email_change_list, name="email-changes"),
    path("people/email-changes/<int:pk>/approve/", email_changes.email_change_approve, name="email-change-approve"),
    path("people/email-changes/<int:pk>/reject/", email_changes.email_change_reject, name="email-change-reject"),
    path("people/confirm-address/<str:token>/", email_changes.email_change_confirm, name="email-change-confirm"),
    # ward solution meetings and their actions
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/actions/<int:pk>/edit/", meetings.meeting_action_edit, name="meeting-action-edit"),
    path("meetings/actions/<int:pk>/status/", meetings.meeting_action_status, name="meeting-action-status"),
]
