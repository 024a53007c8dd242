"""Emails greet a person by the name they are called, and link to the site at SITE_URL."""

import pytest
from django.core import mail

from kirklees.notifications.services import notifications_send_emails, notify
from kirklees.users.models import User
from kirklees.users.services import user_invite

from ..factories.kirklees import UserFactory


@pytest.mark.parametrize("full_name, greeting", [
    ("Cllr Sarah Haigh", "Sarah"),
    ("Councillor Sarah Haigh", "Sarah"),
    ("Cllr. Sarah Haigh", "Sarah"),
    ("Cllr Dr Sarah Haigh", "Sarah"),
    ("Mrs Anne-Marie O'Brien", "Anne-Marie"),
    ("Mr John Smith", "John"),
    ("Ms Jo Bloggs", "Jo"),
    ("Miss Amy Pond", "Amy"),
    ("Dr Priya Patel", "Priya"),
    ("Lucy Liaison", "Lucy"),
    ("  Lucy   Liaison ", "Lucy"),
    ("Madonna", "Madonna"),
    ("Cllr Haigh", "Cllr Haigh"),
    ("Dr. Who", "Dr. Who"),
    ("Cllr", ""),
    ("", ""),
    ("   ", ""),
    ("Drew Barrymore", "Drew"),  # a name that begins like a title is not one
    ("Misty Day", "Misty"),
])
def test_a_person_is_greeted_by_the_name_they_are_called(full_name, greeting):
    assert User(full_name=full_name, email="someone@example.org").greeting_name == greeting


def test_a_notification_email_to_a_councillor_greets_them_by_their_first_name(db):
    councillor = UserFactory(role=User.Role.COUNCILLOR, full_name="Cllr Sarah Haigh")
    notify(user=councillor, kind="x", title="Case KC-2026-00001 resolved", url="/cases/KC-2026-00001/")
    notifications_send_emails()
    (message,) = mail.outbox
    assert message.body.startswith("Hello Sarah,\n")
    assert "<p>Hello Sarah,</p>" in message.alternatives[0][0]
    assert "Cllr" not in message.body.split("\n")[0]


def test_an_email_to_someone_with_no_name_says_hello_without_one(db):
    nameless = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="")
    notify(user=nameless, kind="x", title="A thing happened")
    notifications_send_emails()
    (message,) = mail.outbox
    assert message.body.startswith("Hello,\n")
    assert "<p>Hello,</p>" in message.alternatives[0][0]


def test_the_invitation_greets_by_first_name_without_escaping_an_apostrophe(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(email="ob@example.org", full_name="Cllr Siobhán O'Brien", role=User.Role.COUNCILLOR)
    (message,) = mail.outbox
    assert message.body.startswith("Hello Siobhán,\n")


def _devservices():
    import importlib.util

    from django.conf import settings

    spec = importlib.util.spec_from_file_location("devservices", settings.BASE_DIR / "scripts" / "devservices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_run_points_links_at_the_port_it_serves_on():
    env = _devservices().run_environment({"PATH": "/usr/bin"}, "8101")
    assert env["SITE_URL"] == "http://127.0.0.1:8101"


def test_make_run_keeps_a_site_url_that_is_already_set():
    env = _devservices().run_environment({"SITE_URL": "https://casework.example.org"}, "8101")
    assert env["SITE_URL"] == "https://casework.example.org"


def test_a_notification_email_links_to_the_site_url(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8101/"
    user = UserFactory(full_name="Lucy Liaison")
    notify(user=user, kind="x", title="Case KC-2026-00001 resolved", url="/cases/KC-2026-00001/")
    notifications_send_emails()
    (message,) = mail.outbox
    assert "http://127.0.0.1:8101/cases/KC-2026-00001/" in message.body
    assert "127.0.0.1:8000" not in message.body + message.alternatives[0][0]


def test_an_invitation_links_to_the_site_url_whichever_host_the_admin_used(admin_client, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://casework.example.org"
    invited = UserFactory(full_name="New Person", email="new.person@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/users/user/", {"action": "send_set_password_email", "_selected_action": [invited.pk]},
                          HTTP_HOST="127.0.0.1")
    (message,) = mail.outbox
    assert "https://casework.example.org/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
