from django.contrib import admin
from django.db import models

from .models import Booking, Event, Resource


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "capacity", "booking_open", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Cancelling tells everyone booked: it goes through the service, not the admin.
    readonly_fields = ["status", "cancelled_at", "cancelled_by", "cancel_reason"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "booked_at", "reminded_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    raw_id_fields = ["event", "user"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "file_name", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # A file goes through the library's page, which checks its type by content, names it at random and
    # records the type it is served with; here it would skip all three.
    exclude = ["file", "file_name", "content_type", "size"]
