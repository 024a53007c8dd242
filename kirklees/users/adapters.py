from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by an admin (see users.services.user_invite), never by sign-up."""

    def is_open_for_signup(self, request):
        return False
