"""The in-app inbox, emails and preferences; the manager's targets and scheduled jobs pages."""

import pytest
from django.core import mail
from django.urls import reverse

from casework.models import Case, Category, ClosureDay
from kirklees.notifications.models import Notification, Preference
from kirklees.notifications.services import EmailsNotSent, notifications_send_emails, notify

from ..factories.casework import walk


def test_a_case_change_lands_in_the_councillors_inbox_with_a_link(client, owner, case, liaison):
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)
    client.force_login(owner.user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f"{case.reference} was accepted by the advocacy service" in page
    assert 'class="app-badge">1<' in page  # the unread count in the header
    notification = Notification.objects.get(user=owner.user)
    response = client.post(reverse("notifications:mark-read"), {"id": notification.pk, "next": notification.url})
    assert response.url == case.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "app-badge" not in client.get(reverse("notifications:inbox")).content.decode()


def test_a_new_referral_goes_to_the_councillors_liaison_officer(owner, case, liaison, other_liaison):
    walk(case, Case.Status.TRIAGE, team=liaison)
    assert Notification.objects.filter(user=liaison, kind="case_referred_to_advocacy").count() == 1
    assert not Notification.objects.filter(user=other_liaison).exists()


def test_nobody_is_told_of_their_own_change(owner, case, liaison):
    walk(case, Case.Status.TRIAGE, team=liaison)
    assert not Notification.objects.filter(user=owner.user).exists()


def test_someone_elses_notifications_cannot_be_marked_read(client, owner, liaison, db):
    theirs = notify(user=liaison, kind="x", title="For Lucy")
    client.force_login(owner.user)
    client.post(reverse("notifications:mark-read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, owner, db):
    for n in range(3):
        notify(user=owner.user, kind="x", title=f"Thing {n}")
    client.force_login(owner.user)
    client.post(reverse("notifications:mark-read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_read_never_redirects_off_the_site(client, owner, db):
    client.force_login(owner.user)
    response = client.post(reverse("notifications:mark-read"), {"next": "https://evil.example.com/"})
    assert response.url == reverse("notifications:inbox")


def test_emails_go_once_in_text_and_html_to_those_who_want_them(owner, liaison, db):
    wanted = notify(user=owner.user, kind="x", title="Case KC-2026-00001 resolved", url="/cases/KC-2026-00001/")
    Preference.objects.create(user=liaison, email=False)
    notify(user=liaison, kind="x", title="Quiet please")
    assert notifications_send_emails() == 1
    assert notifications_send_emails() == 0
    (message,) = mail.outbox
    assert message.to == [owner.user.email] and message.subject == "Case KC-2026-00001 resolved"
    assert "/cases/KC-2026-00001/" in message.body
    assert message.alternatives[0][1] == "text/html"
    wanted.refresh_from_db()
    assert wanted.email_sent_at is not None


def test_a_failed_email_is_released_to_be_tried_again(owner, db, settings):
    settings.EMAIL_BACKEND = "tests.kirklees.test_notifications.FailingBackend"
    notification = notify(user=owner.user, kind="x", title="Hello")
    with pytest.raises(EmailsNotSent, match="1 notification emails could not be sent"):
        notifications_send_emails()
    notification.refresh_from_db()
    assert notification.email_claimed_at is None and notification.email_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_send_emails() == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP is down")


def test_a_councillor_turns_off_emails_and_the_digest(client, owner):
    client.force_login(owner.user)
    response = client.post(reverse("notifications:preferences"), {})
    assert response.status_code == 302
    preference = Preference.objects.get(user=owner.user)
    assert not preference.email and not preference.daily_digest


# --- the liaison manager's pages ----------------------------------------------------------------


@pytest.mark.parametrize("who,expected", [("manager", 200), ("liaison", 403), ("owner", 403),
                                          ("data_admin", 403)])
def test_only_managers_set_targets_and_see_scheduled_jobs(client, request, who, expected):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("casework:targets")).status_code == expected
    assert client.get(reverse("jobs:list")).status_code == expected


def test_a_manager_changes_a_categorys_targets(client, manager, category):
    client.force_login(manager)
    data = {"triage_days": 3, "response_days": 7, "resolution_days": 15, "urgent_triage_days": 1,
            "urgent_response_days": 3, "urgent_resolution_days": 5}
    response = client.post(reverse("casework:category-targets", args=[category.pk]), data)
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.triage_days, category.resolution_days) == (3, 15)


@pytest.mark.parametrize("value,message", [("0", "Enter at least 1 working day"),
                                           ("", "Enter the working days for triage"),
                                           ("three", "Enter a whole number of working days"),
                                           ("251", "Enter no more than 250 working days")])
def test_bad_targets_are_refused(client, manager, category, value, message):
    client.force_login(manager)
    data = {"triage_days": value, "response_days": 7, "resolution_days": 15, "urgent_triage_days": 1,
            "urgent_response_days": 3, "urgent_resolution_days": 5}
    response = client.post(reverse("casework:category-targets", args=[category.pk]), data)
    assert response.context["form"].errors["triage_days"] == [message]
    assert Category.objects.get(pk=category.pk).triage_days == 2


def test_a_manager_adds_and_removes_a_closure_day(client, manager):
    client.force_login(manager)
    response = client.post(reverse("casework:targets"), {"date": "29/12/2026", "reason": "Council closed"})
    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert str(closure.date) == "2026-12-29"
    response = client.post(reverse("casework:targets"), {"date": "29/12/2026", "reason": "Again"})
    assert response.context["form"].errors["date"] == ["That day is already a closure day"]
    response = client.post(reverse("casework:targets"), {"date": "31/02/2026", "reason": "No such day"})
    assert response.context["form"].errors["date"] == ["Enter a real date, like 29/12/2026"]
    client.post(reverse("casework:closure-day-remove", args=[closure.pk]))
    assert not ClosureDay.objects.exists()


def test_others_cannot_remove_closure_days(client, liaison, db):
    closure = ClosureDay.objects.create(date="2026-12-29", reason="Closed")
    client.force_login(liaison)
    assert client.post(reverse("casework:closure-day-remove", args=[closure.pk])).status_code == 403
    assert ClosureDay.objects.exists()


def test_the_scheduled_jobs_page_shows_when_each_job_last_ran(client, manager):
    from django.core.management import call_command

    call_command("run_sla_sweep")
    client.force_login(manager)
    page = client.get(reverse("jobs:list")).content.decode()
    assert "sla-sweep" in page and "reminders" in page and "Not run yet" in page  # the digest has not run


def test_an_urgent_target_cannot_be_longer_than_the_usual_one(client, manager, category):
    client.force_login(manager)
    data = {"triage_days": 2, "response_days": 7, "resolution_days": 15, "urgent_triage_days": 3,
            "urgent_response_days": 3, "urgent_resolution_days": 5}
    response = client.post(reverse("casework:category-targets", args=[category.pk]), data)
    assert response.context["form"].errors["urgent_triage_days"] == [
        "An urgent target cannot be longer than the usual one"]
