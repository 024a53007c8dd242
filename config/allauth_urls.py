"""The allauth views this app uses, and no others.

Accounts are made by administrators, so self-service email management and sign-up are not
mounted: with a stolen or unattended session, /accounts/email/ let anyone add an address, make it
primary and reset the password to it. Staff who need a new address ask an administrator; a
forgotten password goes through the reset by email. Changing one's password or second factor asks
for the password (or a second factor) again first.

The second factor's pages are mounted one by one too: passkey sign-in without a password, the
"trust this browser" shortcut and sign-up with a passkey are not offered.
"""

from allauth.account import views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.urls import path, re_path

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", views.logout, name="account_logout"),
    # Where allauth's login flow sends an account that has been deactivated.
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("password/change/", views.password_change, name="account_change_password"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    re_path(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", views.password_reset_from_key,
            name="account_reset_password_from_key"),
    path("password/reset/key/done/", views.password_reset_from_key_done,
         name="account_reset_password_from_key_done"),
    path("reauthenticate/", views.reauthenticate, name="account_reauthenticate"),
    # The second factor: an authenticator app, recovery codes, security keys and passkeys.
    path("2fa/", mfa_views.index, name="mfa_index"),
    path("2fa/authenticate/", mfa_views.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("2fa/totp/deactivate/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path("2fa/recovery-codes/", recovery_views.view_recovery_codes, name="mfa_view_recovery_codes"),
    path("2fa/recovery-codes/generate/", recovery_views.generate_recovery_codes, name="mfa_generate_recovery_codes"),
    path("2fa/recovery-codes/download/", recovery_views.download_recovery_codes, name="mfa_download_recovery_codes"),
    path("2fa/webauthn/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("2fa/webauthn/add/", webauthn_views.add_webauthn, name="mfa_add_webauthn"),
    path("2fa/webauthn/reauthenticate/", webauthn_views.reauthenticate_webauthn,
         name="mfa_reauthenticate_webauthn"),
    path("2fa/webauthn/keys/<int:pk>/remove/", webauthn_views.remove_webauthn, name="mfa_remove_webauthn"),
    path("2fa/webauthn/keys/<int:pk>/edit/", webauthn_views.edit_webauthn, name="mfa_edit_webauthn"),
]
