from django.contrib import admin

from .models import Service, Ward


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "councillor_seats", "valid_from", "valid_to"]
    list_filter = ["valid_from"]
    search_fields = ["name", "gss_code"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_active"]
    search_fields = ["name"]
