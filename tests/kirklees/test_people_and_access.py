"""People and access: a liaison manager changes someone's role or switches their account off, and
the person and the other managers are told; nobody changes their own access, a superuser's access
is a superuser's to change, and every refused attempt is written down with its reason. The page
and the Django admin ask the same rules (kirklees.users.services.user_access_change)."""
import pytest
from django.core import mail
from django.urls import reverse

from kirklees.users.models import AccessChange, User, UserSession

from ..factories.kirklees import UserFactory
from ..helpers import errors_of


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", full_name="Sam Super", role="", is_staff=True, is_superuser=True)


@pytest.fixture
def other_manager(db):
    return UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mo Manager")


@pytest.fixture
def councillor(db):
    # With a second factor, so that a staff role given to them opens staff pages straight away.
    return UserFactory(role=User.Role.COUNCILLOR, full_name="Cllr Carol Changed", second_factor=True)


def set_access(client, person, *, role, active="yes"):
    return client.post(reverse("access:person", args=[person.pk]), {"role": role, "is_active": active})


def test_a_manager_changes_a_councillors_role_and_the_person_and_the_other_managers_are_told(
        client, manager, other_manager, councillor, django_capture_on_commit_callbacks):
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = set_access(client, councillor, role=User.Role.LIAISON_OFFICER)

    assert response.status_code == 302 and response.url == reverse("access:person", args=[councillor.pk])
    councillor.refresh_from_db()
    assert councillor.role == User.Role.LIAISON_OFFICER
    to_person, to_managers = mail.outbox
    assert to_person.to == [councillor.email]
    assert to_managers.to == [other_manager.email]  # not the manager who made the change
    for message in (to_person, to_managers):
        assert "Mark Manager changed what Cllr Carol Changed can do" in message.body
        assert "Role: Councillor → Liaison officer" in message.body
    change = AccessChange.objects.get()
    assert (change.by, change.person, change.refused) == (manager, councillor, "")
    assert change.before["role"] == "councillor" and change.after["role"] == "liaison_officer"
    page = client.get(response.url).content.decode()
    assert "Role: Councillor → Liaison officer" in page and "Mark Manager" in page


def test_the_new_role_counts_on_the_persons_next_request(client, manager, councillor):
    client.force_login(councillor)
    assert client.get(reverse("casework:queue")).status_code == 403
    manager_client = client.__class__()
    manager_client.force_login(manager)

    set_access(manager_client, councillor, role=User.Role.LIAISON_OFFICER)

    assert client.get(reverse("casework:queue")).status_code == 200


def test_a_manager_cannot_change_their_own_role_and_the_attempt_is_written_down(client, manager, other_manager):
    client.force_login(manager)
    page = client.get(reverse("access:person", args=[manager.pk])).content.decode()
    assert "You cannot change your own access" in page and 'name="role"' not in page

    response = set_access(client, manager, role=User.Role.WARD_DATA_ADMIN)  # sent all the same

    assert response.status_code == 200
    assert "You cannot change your own access" in response.content.decode()
    manager.refresh_from_db()
    assert manager.role == User.Role.LIAISON_MANAGER
    attempt = AccessChange.objects.get()
    assert attempt.person == attempt.by == manager
    assert attempt.after["role"] == "ward_data_admin" and "your own access" in attempt.refused
    assert not mail.outbox


def test_a_superuser_without_a_role_cannot_give_themselves_one_on_the_page(client, superuser):
    client.force_login(superuser)

    response = set_access(client, superuser, role=User.Role.LIAISON_MANAGER)

    assert response.status_code == 200
    superuser.refresh_from_db()
    assert superuser.role == ""
    assert AccessChange.objects.get(person=superuser).refused


def test_a_superuser_without_a_role_cannot_give_themselves_one_in_the_admin(client, superuser):
    client.force_login(superuser)

    client.post(reverse("admin:users_user_change", args=[superuser.pk]),
                {"email": superuser.email, "full_name": superuser.full_name, "role": User.Role.LIAISON_MANAGER})

    superuser.refresh_from_db()
    assert superuser.role == ""
    attempt = AccessChange.objects.get(person=superuser)
    assert attempt.after["role"] == "liaison_manager" and "your own access" in attempt.refused


def test_a_change_made_in_the_admin_is_written_down_as_on_the_page(client, superuser, councillor):
    client.force_login(superuser)

    client.post(reverse("admin:users_user_change", args=[councillor.pk]),
                {"email": councillor.email, "full_name": "Cllr Renamed", "role": User.Role.WARD_DATA_ADMIN,
                 "is_active": "on"})

    councillor.refresh_from_db()
    assert (councillor.full_name, councillor.role) == ("Cllr Renamed", User.Role.WARD_DATA_ADMIN)
    change = AccessChange.objects.get()
    assert change.by == superuser and change.refused == "" and change.lines == ["Role: Councillor → Ward data admin"]


def test_a_manager_cannot_change_a_superusers_access(client, manager, db):
    root = User.objects.create_superuser(email="root2@example.org", password="x", full_name="Other Root",
                                         role=User.Role.LIAISON_OFFICER)
    client.force_login(manager)

    response = set_access(client, root, role=User.Role.LIAISON_OFFICER, active="no")

    assert "Only a superuser can change what a superuser can do" in response.content.decode()
    root.refresh_from_db()
    assert root.is_active
    assert AccessChange.objects.get(person=root).refused


def test_switching_an_account_off_ends_its_sessions_at_once(client, manager, councillor):
    person_client = client.__class__()
    person_client.force_login(councillor)
    assert UserSession.objects.filter(user=councillor).exists()
    client.force_login(manager)

    set_access(client, councillor, role=User.Role.COUNCILLOR, active="no")

    councillor.refresh_from_db()
    assert not councillor.is_active
    assert not UserSession.objects.filter(user=councillor).exists()
    response = person_client.get(reverse("account:councillor-account"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_an_unknown_role_is_refused_with_a_clear_message_and_nothing_is_saved(client, manager, councillor):
    client.force_login(manager)

    response = set_access(client, councillor, role="superuser", active="no")

    assert response.status_code == 200
    assert errors_of(response) == {"role": ["Choose a role from the list"]}
    assert "There is a problem" in response.content.decode()
    councillor.refresh_from_db()
    assert councillor.role == User.Role.COUNCILLOR and councillor.is_active
    assert not AccessChange.objects.exists() and not mail.outbox


def test_the_service_refuses_an_unknown_role_too(manager, councillor):
    from kirklees.refusals import Refused
    from kirklees.users.services import user_access_change

    with pytest.raises(Refused, match="Choose a role from the list"):
        user_access_change(user=councillor, by=manager, role="overlord")

    councillor.refresh_from_db()
    assert councillor.role == User.Role.COUNCILLOR


@pytest.mark.parametrize("role", [User.Role.LIAISON_OFFICER, User.Role.COUNCILLOR, User.Role.WARD_DATA_ADMIN])
def test_only_managers_may_use_the_page(client, councillor, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("access:people")).status_code == 403
    assert client.get(reverse("access:person", args=[councillor.pk])).status_code == 403
    assert set_access(client, councillor, role=User.Role.LIAISON_MANAGER).status_code == 403
    councillor.refresh_from_db()
    assert councillor.role == User.Role.COUNCILLOR


def test_the_list_finds_people_by_name_or_email(client, manager, councillor):
    UserFactory(full_name="Someone Else", email="else@example.org")
    client.force_login(manager)

    by_name = client.get(reverse("access:people"), {"q": "carol"}).content.decode()
    by_email = client.get(reverse("access:people"), {"q": "ELSE@example"}).content.decode()

    assert "Cllr Carol Changed" in by_name and "Someone Else" not in by_name
    assert "Someone Else" in by_email and "Cllr Carol Changed" not in by_email


def test_the_history_cannot_be_edited_or_deleted(manager, councillor):
    from django.db import InternalError, transaction

    from kirklees.users.services import user_access_change

    user_access_change(user=councillor, by=manager, role=User.Role.LIAISON_OFFICER)
    for attempt in (lambda: AccessChange.objects.update(refused="nothing happened"),
                    lambda: AccessChange.objects.all().delete()):
        with pytest.raises(InternalError), transaction.atomic():
            attempt()
