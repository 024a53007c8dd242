from django.contrib import admin, messages
from django.db import transaction

from kirklees.admin_records import ReadOnlyAdmin
from kirklees.refusals import Refused
from kirklees.security_log import security_event

from .admin_login import admin_login
from .models import AccessChange, User
from .services import ACCESS_FIELDS, access_change_refusal, user_access_change, user_send_set_password_email

# A new account starts with no access at all; what the add form asks for is then granted through
# user_access_change, so that it is checked, recorded and told like any other grant.
NEW_ACCOUNT_ACCESS = {"role": "", "is_active": False, "is_staff": False, "is_superuser": False}

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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form

        class AddUserForm(form):
            def clean(self):
                """The access asked for, refused here by the service's rules (a staff member who is
                not a superuser making a superuser): the form again with the reason, no account made."""
                cleaned = super().clean()
                wanted = _access_asked(request, self)
                refusal = access_change_refusal(by=request.user, user=User(), before=NEW_ACCOUNT_ACCESS,
                                                after={**NEW_ACCOUNT_ACCESS, **wanted})
                if refusal is not None:
                    security_event("access_change_refused", request, account=request.user.email)
                    self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
                return cleaned

        return AddUserForm

    def save_model(self, request, obj, form, change):
        if not change:
            wanted = _access_asked(request, form)
            for name, value in NEW_ACCOUNT_ACCESS.items():
                setattr(obj, name, value)
            obj.set_unusable_password()
            super().save_model(request, obj, form, change)
            try:
                user_access_change(user=obj, by=request.user, request=request, **wanted)
            except Refused as refusal:  # only if the rules changed since the form's clean
                messages.error(request, f"Account made without access: {refusal.message}")
            transaction.on_commit(lambda: user_send_set_password_email(user=obj))
            return
        # The name and email are saved as the form has them; access only through the service.
        before = User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).get()
        wanted = _access_asked(request, form)
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


def _access_asked(request, form) -> dict:
    """The access fields the form asks for: those it offers, as cleaned, and any it did not offer
    but that were sent all the same."""
    wanted = {name: form.cleaned_data[name] for name in ACCESS_FIELDS if name in form.cleaned_data}
    wanted.update(_locked_fields_sent_anyway(request, form))
    return wanted


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

    list_display = ["at", "kind", "person", "by", "refused"]
    list_filter = ["kind", "at"]
    search_fields = ["person__email", "person__full_name", "by__email", "by__full_name"]
    list_select_related = ["person", "by"]
