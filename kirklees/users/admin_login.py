from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's sign-in, with the same limits as the sign-in page: it authenticates through
    allauth's adapter, so allauth's per-address and per-account failure limits apply (and, through
    authenticate(), django-axes' lockout), instead of a form that neither throttles nor counts."""

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # Raises ValidationError ("Too many failed login attempts...") once a limit is reached.
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
