"""allauth's sign-in backend, loading a councillor's Councillor row with the signed-in user.

Whether a councillor may use their cases follows their term (casework.permissions.case_access_for),
and every page asks it, the header navigation first: loading the row in the same query as the
user keeps that question free on every page.
"""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("councillor").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
