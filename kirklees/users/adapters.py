from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from kirklees.mail import with_html_part
from kirklees.security_log import security_event


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by an admin (see users.services.user_invite), never by sign-up.

    Both sign-in doors (the sign-in page and the admin's) authenticate through this adapter, so a
    failure at either is logged here once, without personal data (kirklees.security_log).
    """

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            security_event("sign_in_rate_limited", request, account=credentials.get("email"))
            raise

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        event = "sign_in_locked_out" if getattr(request, "axes_locked_out", False) else "sign_in_failed"
        security_event(event, request, account=credentials.get("email"))

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails (a password reset, a security notice) with an HTML part like ours: from
        its own HTML template if there is one, else made from the text."""
        return with_html_part(super().render_mail(template_prefix, email, context, headers=headers))
