from django.contrib import admin, messages
from django.db import transaction

from .admin_login import AdminSignInForm
from .models import User
from .services import user_send_set_password_email

admin.site.login_form = AdminSignInForm


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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: user_send_set_password_email(user=obj))

    @admin.action(description="Email a link to set their password")
    def send_set_password_email(self, request, queryset):
        for user in queryset:
            user_send_set_password_email(user=user)
        messages.success(request, f"Sent {queryset.count()} link(s).")
