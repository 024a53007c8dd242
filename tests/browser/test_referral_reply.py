"""In a real browser, with axe: a service replies to a referral by email (through the local SMTP
server), the liaison officer sees the reply on the case and records it as the response in one
click, and the case moves on (issue 14, item 2)."""

import smtplib
import socket

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from casework import services
from casework.models import Case
from kirklees.mailin.smtp import smtp_controller
from kirklees.notifications.services import outbound_emails_send
from kirklees.users.models import User

from ..factories.casework import CategoryFactory, make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import OfficerFactory, ServiceFactory, WardFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = """From: Priya Patel <priya.patel@kirklees.example>
To: {to}
Subject: Re: Referral from councillor casework
Message-ID: <browser-reply-1@kirklees.example>
Content-Type: text/plain; charset=utf-8

We filled the pothole this morning.

--\x20
Priya Patel, Highways

On Tue, 1 Dec 2026, Casework wrote:
> Please fill the pothole.
"""


def test_the_officer_records_an_emailed_reply_as_the_response_in_one_click(page: Page, live_server, axe_check):
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    owner = CouncillorFactory(user__full_name="Cllr Owner", ward=WardFactory(name="Dalton"), advocacy_enrolled=True,
                              liaison_officer=liaison)
    case = walk(make_case(owner, category=CategoryFactory(name="Roads"), summary="Pothole on Market Street"),
                Case.Status.IN_PROGRESS, team=liaison)
    highways = ServiceFactory(name="Highways", email="highways@kirklees.example")
    priya = OfficerFactory(full_name="Priya Patel", service=highways, email="priya.patel@kirklees.example")
    referral = services.case_refer_to_service(case=case, by=liaison, version=case.version, service=highways,
                                              officer=priya, details="Please fill the pothole.")
    outbound_emails_send()
    to = f"referral+{referral.reply_token}@{settings.INBOUND_EMAIL_DOMAIN}"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = smtp_controller(port=port)
    server.start()
    try:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.sendmail("priya.patel@kirklees.example", [to], REPLY.format(to=to).replace("\n", "\r\n").encode())
    finally:
        server.stop()

    sign_in(page, liaison)
    page.goto(case.get_absolute_url())
    timeline = page.locator(".app-timeline, ol, ul").filter(has_text="Reply from Highways (Priya Patel)").first
    expect(timeline).to_contain_text("We filled the pothole this morning.")
    expect(page.get_by_text("Reply received — record it as the response?")).to_be_visible()
    expect(page.get_by_text("Please fill the pothole.", exact=True)).to_have_count(0)  # the quote was trimmed
    axe_check(page, "a case with an emailed reply")

    page.get_by_role("button", name="Record it as the response from Highways").click()
    expect(page.get_by_text("Response recorded").first).to_be_visible()
    expect(page.get_by_text("Reply received — record it as the response?")).to_have_count(0)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    referral.refresh_from_db()
    assert referral.response == "We filled the pothole this morning."
    expect(page.locator("body")).to_contain_text(case.get_status_display())
    axe_check(page, "the case after recording the reply")
