import datetime

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kirklees.links import absolute_url
from kirklees.mail import send_text_email
from kirklees.refusals import Refused
from kirklees.security_log import security_event

from .models import ACCESS_FIELDS, ACCESS_LABELS, AccessChange, User, UserSession, access_shown


def user_set_password_url(*, user: User) -> str:
    """A one-use link (allauth's password reset key) where the user chooses a password."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return absolute_url(path)


def user_access_changed_tell(*, user: User, by: User, before: dict) -> None:
    """Email the person whose access changed, and every liaison manager but the one who changed it,
    saying what changed and who changed it (a change nobody expected is then seen at once)."""
    changes = [f"{ACCESS_LABELS[name]}: {access_shown(name, before[name])} → {access_shown(name, getattr(user, name))}"
               for name in ACCESS_FIELDS if before[name] != getattr(user, name)]
    managers = list(User.objects.filter(role=User.Role.LIAISON_MANAGER, is_active=True)
                    .exclude(pk__in=[by.pk, user.pk]).values_list("email", flat=True))
    body = (f"{by.full_name or by.email} changed what {user.full_name or user.email} can do in Councillor "
            "casework:\n\n" + "\n".join(changes) + "\n\nIf you did not expect this, tell the Support & Liaison "
            "Team's manager at once.")
    subject = "Your access to Councillor casework has changed"

    def send():
        send_text_email(subject=subject, body=body, to=[user.email])
        if managers:
            send_text_email(subject=f"Access changed for {user.full_name or user.email}", body=body, to=managers)

    transaction.on_commit(send)


def access_change_refusal(*, by: User, user: User, before: dict, after: dict) -> Refused | None:
    """Why `by` may not change `user`'s access from `before` to `after`, or None if they may.

    Every rule about who may give whom what is here, for every way in (the Django admin, the
    People and access page), so that the two cannot disagree:
    nobody changes their own access (another person must, and the change is told); only a
    superuser makes or unmakes a superuser, and only a superuser changes anything of a superuser's
    (a liaison manager could otherwise switch off the account that oversees theirs).
    """
    if after["role"] not in User.Role.values and after["role"] != "":
        return Refused("Choose a role from the list", field="role")
    if by.pk == user.pk:
        return Refused("You cannot change your own access. Ask another liaison manager or an administrator.")
    if not (by.manages_access or (by.is_staff and by.has_perm("users.change_user"))):
        return Refused("You cannot change what people can do.")
    if before["is_superuser"] != after["is_superuser"] and not by.is_superuser:
        return Refused("Only a superuser can make someone a superuser, or stop them being one.",
                       field="is_superuser")
    if before["is_superuser"] and not by.is_superuser:
        return Refused("Only a superuser can change what a superuser can do.")
    return None


def user_access_change(*, user: User, by: User, request=None, **wanted) -> User:
    """Change what `user` may reach (any of ACCESS_FIELDS, by keyword) as `by`: the one way it is done.

    The rules are access_change_refusal's. A change is made, written as an AccessChange and told
    (user_access_changed_tell); a refused one is written too, with its reason, and raised as
    `Refused`; both are a line in the security log when `request` is given. Nothing about access
    is cached: the next request loads the user afresh (config.auth_backends), so a new role or a
    lost one counts at once; an account made inactive also has every session ended now.
    """
    unknown = set(wanted) - set(ACCESS_FIELDS)
    if unknown:
        raise TypeError(f"Not an access field: {', '.join(sorted(unknown))}")
    if not (by.is_authenticated and by.is_active):
        raise PermissionDenied
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        before = {name: getattr(person, name) for name in ACCESS_FIELDS}
        after = {**before, **wanted}
        if after == before:
            return person
        refusal = access_change_refusal(by=by, user=person, before=before, after=after)
        AccessChange.objects.create(person=person, by=by, before=before, after=after,
                                    refused=refusal.message if refusal else "")
        if refusal is None:
            changed = {name: after[name] for name in ACCESS_FIELDS if before[name] != after[name]}
            User.objects.filter(pk=person.pk).update(**changed)
            for name, value in changed.items():
                setattr(person, name, value)
            if before["is_active"] and not after["is_active"]:
                UserSession.objects.filter(user=person).delete()
            user_access_changed_tell(user=person, by=by, before=before)
    if request is not None:
        security_event("access_change_refused" if refusal else "access_changed", request, account=by.email)
    if refusal is not None:
        raise refusal
    for name in ACCESS_FIELDS:
        setattr(user, name, getattr(person, name))
    return person


def user_send_set_password_email(*, user: User) -> None:
    url = user_set_password_url(user=user)
    send_text_email(
        subject="Set your password for Councillor casework",
        body=render_to_string("users/email/invite.txt", {"user": user, "url": url}),
        to=[user.email],
    )


@transaction.atomic
def user_invite(*, email: str, full_name: str, role: str) -> User:
    """Create an account with no password and email the person a link to set one.

    There is no public sign-up: this is the only way in, and it is for admins.
    """
    user = User.objects.create_user(email=email, full_name=full_name, role=role)
    transaction.on_commit(lambda: user_send_set_password_email(user=user))
    return user


def may_reset_second_factor(*, by: User, user: User) -> bool:
    """Someone who has lost their phone or key (and their recovery codes) asks a liaison manager,
    who may reset anyone's but a manager's or a superuser's; a superuser may reset a manager's.
    Nobody resets their own: that would let a stolen password replace the second factor."""
    if by.pk == user.pk or not by.is_active:
        return False
    if by.is_superuser:
        return True
    return by.is_liaison_manager and not (user.is_liaison_manager or user.is_superuser)


# A second factor in words, as an AccessChange records what a reset removed.
SECOND_FACTOR_WORDS = {
    Authenticator.Type.TOTP: "authenticator app",
    Authenticator.Type.RECOVERY_CODES: "recovery codes",
    Authenticator.Type.WEBAUTHN: "security key or passkey",
}


@transaction.atomic
def user_second_factor_reset(*, user: User, by: User) -> None:
    """Remove all of a person's second factors and end every session of theirs: they sign in with
    their password next and must set up a new second factor at once (a councillor's grace period
    is over). They are emailed, so a reset they did not ask for is noticed, and it is written as an
    AccessChange (the People and access page's history), naming what was removed."""
    if not may_reset_second_factor(by=by, user=user):
        raise PermissionDenied("You cannot reset this person's second factor.")
    factors = Authenticator.objects.filter(user=user)
    removed = sorted({SECOND_FACTOR_WORDS.get(kind, kind) for kind in factors.values_list("type", flat=True)})
    AccessChange.objects.create(kind=AccessChange.Kind.SECOND_FACTOR_RESET, person=user, by=by,
                                before={"second_factor": removed}, after={"second_factor": []})
    factors.delete()
    UserSession.objects.filter(user=user).delete()
    if user.is_councillor:
        user.mfa_grace_until = timezone.localdate() - datetime.timedelta(days=1)
        user.save(update_fields=["mfa_grace_until"])
    sign_in_url = absolute_url(reverse("account_login"))
    body = render_to_string("users/email/second_factor_reset.txt", {"user": user, "by": by, "sign_in_url": sign_in_url})
    transaction.on_commit(lambda: send_text_email(
        subject="Your second factor for Councillor casework was reset", body=body, to=[user.email]))
