from django.urls import path

from . import urls_intel, urls_meetings, urls_people, views

app_name = "wards"

# One namespace, a module per feature: ward intelligence (places, profile figures, priorities,
# briefings, funding), the People Finder (services and officers) and ward solution meetings.
urlpatterns = [
    path("wards/", views.ward_list, name="list"),
    *urls_intel.urlpatterns,
    *urls_people.urlpatterns,
    *urls_meetings.urlpatterns,
]
