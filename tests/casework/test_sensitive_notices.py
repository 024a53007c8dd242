"""Notices about a sensitive case (the inbox and its emails, reminders, escalations) name the case
and what happened to it, never what it is about: its summary may hold health, benefits or housing
details, and an email leaves the system."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from casework import escalation
from casework.models import SENSITIVE_NOTICE, Case
from kirklees.notifications.models import Notification
from kirklees.notifications.services import notifications_send_emails

from ..factories.casework import make_case, walk
from ..helpers import at

SUMMARY = "Housing benefit stopped after a stay in hospital"


def emails_to(user) -> str:
    """Every email sent to `user` so far, text and HTML parts together."""
    notifications_send_emails()
    return "\n".join(message.subject + message.body + message.alternatives[0][0]
                     for message in mail.outbox if message.to == [user.email])


@pytest.mark.parametrize("sensitive", [True, False])
def test_a_referral_to_the_team_emails_the_summary_only_when_the_case_is_not_sensitive(owner, liaison, sensitive):
    case = walk(make_case(owner, summary=SUMMARY, sensitive=sensitive), Case.Status.TRIAGE, team=liaison)

    sent = emails_to(liaison)

    assert f"New case to triage: {case.reference}" in sent
    assert (SUMMARY in sent) is not sensitive
    assert (SENSITIVE_NOTICE in sent) is sensitive
    inbox = Notification.objects.get(user=liaison)
    assert (SUMMARY in inbox.body) is not sensitive


def test_a_reminder_before_a_sensitive_case_is_due_does_not_say_what_it_is_about(owner, liaison):
    case = walk(make_case(owner, summary=SUMMARY, sensitive=True), Case.Status.IN_PROGRESS, team=liaison)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(due_date=today + datetime.timedelta(days=1))

    with at(today):
        escalation.sla_sweep()

    reminder = Notification.objects.get(user=liaison, kind="reminder")
    assert case.reference in reminder.title and reminder.body == SENSITIVE_NOTICE
    sent = emails_to(liaison)
    assert case.reference in sent and SUMMARY not in sent


def test_an_escalation_of_an_overdue_sensitive_case_does_not_say_what_it_is_about(owner, liaison, manager):
    case = walk(make_case(owner, summary=SUMMARY, sensitive=True), Case.Status.IN_PROGRESS, team=liaison)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(due_date=today - datetime.timedelta(days=30))

    with at(today):
        escalation.sla_sweep()

    escalations = Notification.objects.filter(kind="escalation").exclude(user=owner.user)
    assert escalations and all(SUMMARY not in n.body and SENSITIVE_NOTICE in n.body for n in escalations)
    assert SUMMARY not in emails_to(manager) + emails_to(liaison)
