"""The allauth views this app uses, and no others.

Accounts are made by administrators, so self-service email management, sign-up, password change
and re-authentication are not mounted: with a stolen or unattended session, /accounts/email/ let
anyone add an address, make it primary and reset the password to it. Staff who need a new address
ask an administrator; a forgotten password goes through the reset by email.
"""

from allauth.account import views
from django.urls import path, re_path

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", views.logout, name="account_logout"),
    # Where allauth's login flow sends an account that has been deactivated.
    path("inactive/", views.account_inactive, name="account_inactive"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    re_path(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", views.password_reset_from_key,
            name="account_reset_password_from_key"),
    path("password/reset/key/done/", views.password_reset_from_key_done,
         name="account_reset_password_from_key_done"),
]
