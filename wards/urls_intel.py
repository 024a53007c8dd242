from django.urls import path

from . import views_intel as v

# Under wards/, so that the "Wards" item in the header stays the current one on these pages.
urlpatterns = [
    path("wards/<int:pk>/", v.ward_detail, name="detail"),
    # places
    path("wards/<int:pk>/places/", v.place_list, name="places"),
    path("wards/<int:pk>/places/new/", v.place_create, name="place-create"),
    path("wards/places/<int:pk>/edit/", v.place_edit, name="place-edit"),
    path("wards/places/export/", v.places_export, name="places-export"),
    # ward profile figures
    path("wards/<int:pk>/figures/", v.figure_list, name="figures"),
    path("wards/<int:pk>/figures/new/", v.figure_create, name="figure-create"),
    path("wards/figures/<int:pk>/edit/", v.figure_edit, name="figure-edit"),
    path("wards/figures/<int:pk>/delete/", v.figure_delete, name="figure-delete"),
    path("wards/figures/export/", v.figures_export, name="figures-export"),
    # priorities
    path("wards/priorities/", v.priority_list, name="priorities"),
    path("wards/priorities/new/", v.priority_create, name="priority-create"),
    path("wards/priorities/export/", v.priorities_export, name="priorities-export"),
    path("wards/priorities/<int:pk>/", v.priority_detail, name="priority-detail"),
    path("wards/priorities/<int:pk>/edit/", v.priority_edit, name="priority-edit"),
    path("wards/priorities/<int:pk>/progress/", v.priority_update_add, name="priority-update-add"),
    # briefings
    path("wards/briefings/", v.briefing_list, name="briefings"),
    path("wards/briefings/new/", v.briefing_create, name="briefing-create"),
    path("wards/briefings/export/", v.briefings_export, name="briefings-export"),
    path("wards/briefings/<int:pk>/edit/", v.briefing_edit, name="briefing-edit"),
    path("wards/briefings/<int:pk>/delete/", v.briefing_delete, name="briefing-delete"),
    path("wards/briefings/<int:pk>/file/", v.briefing_file, name="briefing-file"),
    # funding
    path("wards/funding/", v.funding_overview, name="funding"),
    path("wards/funding/schemes/new/", v.funding_scheme_create, name="funding-scheme-create"),
    path("wards/funding/schemes/<int:pk>/edit/", v.funding_scheme_edit, name="funding-scheme-edit"),
    path("wards/funding/awards/", v.funding_award_list, name="funding-awards"),
    path("wards/funding/awards/new/", v.funding_award_create, name="funding-award-create"),
    path("wards/funding/awards/export/", v.funding_awards_export, name="funding-awards-export"),
    path("wards/funding/awards/<int:pk>/", v.funding_award_detail, name="funding-award-detail"),
    path("wards/funding/awards/<int:pk>/edit/", v.funding_award_edit, name="funding-award-edit"),
    path("wards/funding/awards/<int:pk>/status/", v.funding_award_status, name="funding-award-status"),
    # the People Finder's export (its page is in urls_people)
    path("people/export/", v.people_export, name="people-export"),
]
