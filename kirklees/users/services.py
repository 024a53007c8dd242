from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from kirklees.links import absolute_url

from .models import User


def user_set_password_url(*, user: User) -> str:
    """A one-use link (allauth's password reset key) where the user chooses a password."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return absolute_url(path)


def user_send_set_password_email(*, user: User) -> None:
    url = user_set_password_url(user=user)
    send_mail(
        subject="Set your password for Councillor casework",
        message=render_to_string("users/email/invite.txt", {"user": user, "url": url}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@transaction.atomic
def user_invite(*, email: str, full_name: str, role: str) -> User:
    """Create an account with no password and email the person a link to set one.

    There is no public sign-up: this is the only way in, and it is for admins.
    """
    user = User.objects.create_user(email=email, full_name=full_name, role=role)
    transaction.on_commit(lambda: user_send_set_password_email(user=user))
    return user
