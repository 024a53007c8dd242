from django.contrib import admin

from .models import Councillor


@admin.register(Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ward", "advocacy_enrolled", "liaison_officer"]
    list_filter = ["advocacy_enrolled", "ward"]
    list_select_related = ["user", "ward", "liaison_officer"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
