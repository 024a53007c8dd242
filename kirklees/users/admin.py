from django.contrib import admin, messages
from django.db import transaction

from .admin_login import admin_login
from .models import User
from .services import ACCESS_FIELDS, user_access_changed_tell, user_send_set_password_email

admin.site.login = admin_login


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Admins make accounts without a password; the person sets one from an emailed link."""

    ordering = ["full_name"]
    list_display = ["email", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "role", "is_active", "is_staff", "is_superuser",
              "last_login", "date_joined"]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["send_set_password_email"]

    def get_readonly_fields(self, request, obj=None):
        """Nobody changes their own access (role, admin, superuser, active): another person must.
        Only a superuser makes or unmakes superusers."""
        locked = list(self.readonly_fields)
        if obj is not None and obj.pk == request.user.pk:
            locked += ACCESS_FIELDS
        elif not request.user.is_superuser:
            locked.append("is_superuser")
        return locked

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        before = User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: user_send_set_password_email(user=obj))
        elif before and any(before[name] != getattr(obj, name) for name in ACCESS_FIELDS):
            user_access_changed_tell(user=obj, by=request.user, before=before)

    @admin.action(description="Email a link to set their password")
    def send_set_password_email(self, request, queryset):
        for user in queryset:
            user_send_set_password_email(user=user)
        messages.success(request, f"Sent {queryset.count()} link(s).")
