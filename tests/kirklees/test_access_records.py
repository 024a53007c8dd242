"""Every change to what a person may reach is an AccessChange: a second-factor reset too, and an
account made in the Django admin with a role, which goes through the same checked, recorded and
told grant as a change (kirklees.users.services.user_access_change)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import InternalError, transaction
from django.urls import reverse

from kirklees.users.models import AccessChange, User

from ..factories.kirklees import UserFactory, give_second_factor


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", full_name="Sam Super", role="", is_staff=True, is_superuser=True)


# --- A second-factor reset -------------------------------------------------------------------------


def test_a_second_factor_reset_is_written_down_and_shown_with_the_access_history(client, manager, owner):
    person = owner.user
    give_second_factor(person)
    RecoveryCodes.activate(person)
    client.force_login(manager)

    response = client.post(reverse("users:second-factor-reset", args=[person.pk]))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    record = AccessChange.objects.get(person=person)
    assert (record.kind, record.by, record.refused) == (AccessChange.Kind.SECOND_FACTOR_RESET, manager, "")
    assert record.before == {"second_factor": ["authenticator app", "recovery codes"]}
    assert record.lines == ["Second factor reset (removed: authenticator app, recovery codes); signed out everywhere"]
    page = client.get(reverse("access:person", args=[person.pk])).content.decode()
    assert "Second factor reset (removed: authenticator app, recovery codes)" in page
    assert manager.full_name in page
    # Like every access record, it cannot be rewritten afterwards.
    with pytest.raises(InternalError), transaction.atomic():
        AccessChange.objects.filter(pk=record.pk).update(by=person)


def test_a_refused_reset_removes_nothing_and_writes_nothing(client, liaison, owner):
    give_second_factor(owner.user)
    client.force_login(liaison)

    response = client.post(reverse("users:second-factor-reset", args=[owner.user.pk]))

    assert response.status_code == 403
    assert Authenticator.objects.filter(user=owner.user).exists()
    assert not AccessChange.objects.exists()


def test_a_plain_access_change_is_still_of_the_access_kind(client, manager, owner):
    client.force_login(manager)
    client.post(reverse("access:person", args=[owner.user.pk]), {"role": User.Role.LIAISON_OFFICER, "is_active": "yes"})
    assert AccessChange.objects.get().kind == AccessChange.Kind.ACCESS


# --- An account made in the admin ------------------------------------------------------------------


def add_account(client, **fields):
    data = {"email": "new.starter@example.org", "full_name": "New Starter", "role": "", "is_active": "on", **fields}
    return client.post(reverse("admin:users_user_add"), data)


def test_an_account_made_in_the_admin_with_a_role_is_a_recorded_and_told_grant(
    client, superuser, manager, django_capture_on_commit_callbacks
):
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = add_account(client, role=User.Role.LIAISON_OFFICER, is_staff="on")

    assert response.status_code == 302, response.content.decode()
    person = User.objects.get(email="new.starter@example.org")
    assert (person.role, person.is_active, person.is_staff, person.has_usable_password()) == (
        User.Role.LIAISON_OFFICER,
        True,
        True,
        False,
    )
    record = AccessChange.objects.get(person=person)
    assert (record.kind, record.by, record.refused) == (AccessChange.Kind.ACCESS, superuser, "")
    assert record.before == {"role": "", "is_active": False, "is_staff": False, "is_superuser": False}
    assert record.lines == ["Role: No role → Liaison officer", "Can sign in: No → Yes", "Can use the admin: No → Yes"]
    subjects = {(tuple(m.to), m.subject) for m in mail.outbox}
    assert (("new.starter@example.org",), "Your access to Councillor casework has changed") in subjects
    assert ((manager.email,), "Access changed for New Starter") in subjects  # the managers are told
    assert (("new.starter@example.org",), "Set your password for Councillor casework") in subjects


def test_a_staff_member_who_is_not_a_superuser_cannot_make_a_superuser_account(client, db):
    admin_user = UserFactory(role=User.Role.WARD_DATA_ADMIN, is_staff=True)
    admin_user.user_permissions.add(*Permission.objects.filter(codename__in=["add_user", "change_user", "view_user"]))
    client.force_login(admin_user)
    page = client.get(reverse("admin:users_user_add")).content.decode()
    assert 'name="is_superuser"' not in page  # not offered

    response = add_account(client, role=User.Role.LIAISON_MANAGER, is_superuser="on")  # sent all the same

    assert response.status_code == 200  # the form again, with the reason
    assert "Only a superuser can make someone a superuser" in response.content.decode()
    assert not User.objects.filter(email="new.starter@example.org").exists()  # nothing half-made
    assert not AccessChange.objects.exists()


def test_an_account_made_without_access_writes_no_grant(client, superuser):
    client.force_login(superuser)

    add_account(client, is_active="")

    person = User.objects.get(email="new.starter@example.org")
    assert (person.role, person.is_active) == ("", False)
    assert not AccessChange.objects.filter(person=person).exists()
