from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/attendees.csv", views.event_attendees_csv, name="event-attendees-csv"),
    path("events/<int:pk>/book/", views.booking_create, name="book"),
    path("events/<int:pk>/cancel-booking/", views.booking_cancel, name="cancel-booking"),
    path("bookings/", views.my_bookings, name="my-bookings"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_create, name="resource-create"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource-delete"),
    path("resources/<int:pk>/download/", views.resource_download, name="resource-download"),
]
