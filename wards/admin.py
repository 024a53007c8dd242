"""Django admin for superusers. Everyday changes go through the app's own pages (and their services),
which check roles and keep the rules; the admin is the way in when those pages cannot help."""
from django.contrib import admin
from django.db import models

from kirklees.admin_records import ReadOnlyAdmin

from .models import (
    Briefing, BoundaryChange, EmailChange, FundingAward, FundingScheme, ImportBatch, MeetingAction, Officer, Place,
    Priority, PriorityUpdate, Service, Ward, WardFigure, WardMeeting,
)
from .services.email_changes import addresses_changed


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "councillor_seats", "valid_from", "valid_to"]
    list_filter = ["valid_from"]
    search_fields = ["name", "gss_code"]


class AddressesWaitForConfirmation:
    """An address typed here is a request, as on the app's own pages: referrals keep going to the
    confirmed address until the new inbox confirms it or a liaison manager approves it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        addresses_changed(obj, by=request.user, via="admin")


@admin.register(Service)
class ServiceAdmin(AddressesWaitForConfirmation, admin.ModelAdmin):
    list_display = ["name", "email", "confirmed_email", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["confirmed_email", "confirmed_head_of_service_email"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "kind"]
    list_filter = ["kind"]
    list_select_related = ["ward"]
    search_fields = ["name", "ward__name"]


@admin.register(WardFigure)
class WardFigureAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "value", "unit", "as_of", "source"]
    list_select_related = ["ward"]
    search_fields = ["name", "ward__name", "source"]


class PriorityUpdateInline(admin.TabularInline):
    model = PriorityUpdate
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "ward", "place", "status"]
    list_filter = ["status"]
    list_select_related = ["ward", "place"]
    search_fields = ["title", "ward__name"]
    raw_id_fields = ["created_by", "ward", "place"]
    inlines = [PriorityUpdateInline]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["title", "ward", "key_issue", "publish_on", "expires_on"]
    list_filter = ["key_issue"]
    list_select_related = ["ward"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # A file goes through the app's page, which checks its type by content and names it at random.
    exclude = ["file", "file_name"]


@admin.register(FundingScheme)
class FundingSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_open"]
    search_fields = ["name"]


@admin.register(FundingAward)
class FundingAwardAdmin(admin.ModelAdmin):
    list_display = ["recipient", "scheme", "ward", "amount", "status", "monitoring_due_on"]
    list_filter = ["status", "scheme"]
    list_select_related = ["scheme", "ward"]
    search_fields = ["recipient", "purpose"]
    raw_id_fields = ["ward", "place", "priority"]


@admin.register(Officer)
class OfficerAdmin(AddressesWaitForConfirmation, admin.ModelAdmin):
    list_display = ["full_name", "job_title", "service", "email", "confirmed_email", "last_confirmed", "is_active"]
    readonly_fields = ["confirmed_email"]
    list_filter = ["is_active", "service"]
    list_select_related = ["service"]
    search_fields = ["full_name", "email", "job_title"]
    filter_horizontal = ["wards", "places"]


class MeetingActionInline(admin.TabularInline):
    model = MeetingAction
    extra = 0
    raw_id_fields = ["owner_officer"]


@admin.register(WardMeeting)
class WardMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "ward", "held_on"]
    list_select_related = ["ward"]
    search_fields = ["title", "ward__name"]
    raw_id_fields = ["ward", "created_by"]
    filter_horizontal = ["attendees", "officers", "priorities"]
    inlines = [MeetingActionInline]


@admin.register(BoundaryChange)
class BoundaryChangeAdmin(ReadOnlyAdmin):
    """A record of what moved: read only, like the case timeline it wrote to."""

    list_display = ["made_at", "effective_on", "made_by"]
    list_select_related = ["made_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["uploaded_at", "kind", "file_name", "uploaded_by", "applied_at"]
    list_select_related = ["uploaded_by"]
    list_filter = ["kind"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailChange)
class EmailChangeAdmin(ReadOnlyAdmin):
    """The record of address changes: read only; liaison managers decide on the app's own page."""

    list_display = ["requested_at", "address", "service", "officer", "old_email", "new_email", "status",
                    "requested_by", "decided_by"]
    list_filter = ["status", "address"]
    list_select_related = ["service", "officer", "requested_by", "decided_by"]
    exclude = ["token_hash"]
