from django.contrib import admin

from .models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "ward", "service", "author", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["councillors", "officers", "author", "published_by"]
    list_select_related = ["ward", "service", "author"]
    # Publishing goes through the services (who and when, the author told), not the admin.
    readonly_fields = ["status", "published_at", "published_by"]
