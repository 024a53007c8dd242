"""Nobody raises their own access: a superuser cannot give themselves a role in the admin (nor make
themselves anything else); another superuser can, and the person and the liaison managers are told."""
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from kirklees.users.models import User

from ..factories.kirklees import UserFactory, give_second_factor


@pytest.fixture
def superuser(db):
    root = User.objects.create_superuser(email="root@example.org", password="x", full_name="Sam Super")
    give_second_factor(root)
    return root


def change(client, user, **fields):
    data = {"email": user.email, "full_name": user.full_name, "role": user.role, "is_active": "on",
            **fields}
    return client.post(reverse("admin:users_user_change", args=[user.pk]), data)


def test_a_superuser_cannot_give_themselves_a_role(client, superuser, manager, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = change(client, superuser, role=User.Role.LIAISON_MANAGER)

    assert response.status_code == 302  # the form saved what it may: the name and email
    superuser.refresh_from_db()
    assert superuser.role == ""
    assert not mail.outbox
    page = client.get(reverse("admin:users_user_change", args=[superuser.pk])).content.decode()
    assert 'name="role"' not in page and 'name="is_superuser"' not in page  # shown, not editable


def test_another_superuser_grants_a_role_and_the_person_and_the_managers_are_told(
        client, superuser, manager, django_capture_on_commit_callbacks):
    person = UserFactory(role="", full_name="New Starter")
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        change(client, person, role=User.Role.LIAISON_OFFICER)

    person.refresh_from_db()
    assert person.role == User.Role.LIAISON_OFFICER
    to_person, to_managers = mail.outbox
    assert to_person.to == [person.email] and to_managers.to == [manager.email]
    for message in (to_person, to_managers):
        assert "Sam Super changed what New Starter can do" in message.body
        assert "Role: No role → Liaison officer" in message.body


def test_a_staff_member_who_is_not_a_superuser_cannot_make_anyone_a_superuser(client, db):
    admin_user = UserFactory(role=User.Role.WARD_DATA_ADMIN, is_staff=True)
    admin_user.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    person = UserFactory(role=User.Role.COUNCILLOR)
    client.force_login(admin_user)

    change(client, person, is_superuser="on", is_staff="on")

    person.refresh_from_db()
    assert not person.is_superuser


def test_a_staff_member_who_is_not_a_superuser_cannot_take_over_an_account_by_changing_its_email(client, superuser):
    """The email is where sign-in and password links go: whoever changes it can take the account."""
    admin_user = UserFactory(role=User.Role.WARD_DATA_ADMIN, is_staff=True)
    admin_user.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, email="manager@example.org")
    client.force_login(admin_user)

    for person in (superuser, manager):
        change(client, person, email="attacker@example.net")

    superuser.refresh_from_db()
    manager.refresh_from_db()
    assert superuser.email == "root@example.org" and manager.email == "manager@example.org"
