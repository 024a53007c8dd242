from django.contrib import admin, messages
from django.db import transaction

from kirklees.admin_records import ReadOnlyAdmin
from kirklees.refusals import Refused

from .admin_login import admin_login
from .models import AccessChange, User
from .services import ACCESS_FIELDS, user_access_change, user_send_set_password_email

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
        """Shown, not editable, where the rule would refuse anyway: your own access, and (unless you
        are a superuser) who is a superuser and anyone's email. The access rules themselves are the
        service's, which save_model asks (kirklees.users.services.access_change_refusal), so this is
        only what the form offers."""
        locked = list(self.readonly_fields)
        if obj is not None and obj.pk == request.user.pk:
            locked += ACCESS_FIELDS
        elif not request.user.is_superuser:
            locked.append("is_superuser")
        if obj is not None and not request.user.is_superuser:
            # Sign-in and password links go to the email: whoever changes it can take the account over.
            locked.append("email")
        return locked

    def has_change_permission(self, request, obj=None):
        """A superuser's account is changed (or deleted) only by a superuser, as its access is."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
            super().save_model(request, obj, form, change)
            transaction.on_commit(lambda: user_send_set_password_email(user=obj))
            return
        # The name and email are saved as the form has them; access only through the service.
        before = User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).get()
        wanted = {name: getattr(obj, name) for name in ACCESS_FIELDS if name in form.cleaned_data}
        wanted.update(_locked_fields_sent_anyway(request, form))
        for name in ACCESS_FIELDS:
            setattr(obj, name, before[name])
        super().save_model(request, obj, form, change)
        try:
            user_access_change(user=obj, by=request.user, request=request, **wanted)
        except Refused as refusal:
            messages.error(request, f"Access not changed: {refusal.message}")

    @admin.action(description="Email a link to set their password")
    def send_set_password_email(self, request, queryset):
        for user in queryset:
            user_send_set_password_email(user=user)
        messages.success(request, f"Sent {queryset.count()} link(s).")


def _locked_fields_sent_anyway(request, form) -> dict:
    """An access field the form did not offer, sent all the same (a crafted request): what it asked
    for, so that the service refuses it and the attempt is written down rather than silently dropped.
    A checkbox the form did not show can only be seen asking for "on"."""
    sent = {}
    for name in ACCESS_FIELDS:
        if name in form.cleaned_data or name not in request.POST:
            continue
        if name == "role":
            sent[name] = request.POST[name]
        elif request.POST[name] == "on":
            sent[name] = True
    return sent


@admin.register(AccessChange)
class AccessChangeAdmin(ReadOnlyAdmin):
    """The history of who changed whose access; nobody edits or deletes it (the database refuses)."""

    list_display = ["at", "person", "by", "refused"]
    list_filter = ["at"]
    search_fields = ["person__email", "person__full_name", "by__email", "by__full_name"]
    list_select_related = ["person", "by"]
