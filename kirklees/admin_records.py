from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows and never adds to, changes or deletes (a history, a log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
