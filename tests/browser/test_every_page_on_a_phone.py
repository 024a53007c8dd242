"""Every main page, as each role opens it on a phone, over the demo data: it loads, it fits the screen
(no sideways scrolling of the whole page; wide tables scroll inside their own box), and axe-core finds
no WCAG 2.2 A/AA violations."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from casework.models import Case, OutcomeCategory
from councillors.models import Councillor
from engagement.learning.models import Event
from engagement.models import Exercise
from engagement.stories.models import Story
from kirklees.mailin.models import InboundEmail
from kirklees.notifications.services import unsubscribe_token
from kirklees.users.models import User
from pages.sar.models import SubjectAccessRequest
from pages.sar.services import sar_start
from wards.models import FundingAward, Priority, Ward, WardMeeting

from ..factories.engagement import ensure_themes
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _first(queryset):
    return queryset.order_by("pk").first().pk


def pages_for(role: str) -> list[str]:
    dalton = Ward.objects.latest_arrangement().get(name="Dalton")
    published = Exercise.objects.filter(status=Exercise.Status.PUBLISHED, ward=dalton)
    everyone = [
        reverse("wards:list"), reverse("wards:detail", args=[dalton.pk]), reverse("wards:priorities"),
        reverse("wards:priority-detail", args=[_first(Priority.objects.filter(ward=dalton))]),
        reverse("wards:funding"), reverse("wards:people"), reverse("wards:services"), reverse("wards:meetings"),
        reverse("wards:meeting-detail", args=[_first(WardMeeting.objects.filter(ward=dalton))]),
        reverse("stories:list"), reverse("stories:detail", args=[_first(Story.objects.filter(status="published"))]),
        reverse("learning:events"), reverse("learning:event", args=[_first(Event.objects)]),
        reverse("learning:resources"), reverse("notifications:inbox"), reverse("councillors:role-profile"),
    ]
    councillor = Councillor.objects.get(user__email="councillor@example.org")
    case = Case.objects.filter(owner=councillor, advocacy=True).order_by("pk").first()
    sar = SubjectAccessRequest.objects.order_by("pk").first() or sar_start(
        by=User.objects.get(email="manager@example.org"), resident=case.resident, received_on=timezone.localdate())
    return {
        "councillor@example.org": [
            reverse("account:councillor-account"), reverse("casework:my-cases"), reverse("casework:case-create"),
            case.get_absolute_url(), reverse("engagement:list"),
            reverse("engagement:results", args=[_first(published)]),
            reverse("sar:list"), reverse("sar:start", args=[case.resident_id]), reverse("insight:own"),
            reverse("casework:case-action", args=[case.reference, "change-updates"]),
            reverse("notifications:unsubscribe", args=[unsubscribe_token(councillor.user)]),
        ],
        "liaison@example.org": [
            reverse("casework:queue"), case.get_absolute_url(), reverse("account:supported-councillors"),
            reverse("account:councillor-account-for", args=[councillor.pk]), reverse("engagement:list"),
            reverse("engagement:detail", args=[_first(Exercise.objects)]),
            reverse("engagement:results", args=[_first(published)]),
            reverse("engagement:paper", args=[_first(Exercise.objects.filter(status=Exercise.Status.OPEN))]),
            reverse("wards:briefings"), reverse("councillors:list"), reverse("casework:unmatched-emails"),
            reverse("casework:unmatched-email", args=[_first(InboundEmail.objects.filter(outcome="unmatched"))]),
            reverse("insight:team"),
        ],
        "manager@example.org": [
            reverse("casework:targets"), reverse("jobs:list"), reverse("councillors:advocacy"),
            reverse("casework:retention"), reverse("casework:case-legal-hold", args=[case.reference]),
            reverse("casework:resident-erase", args=[case.reference]),
            reverse("access:people"), reverse("access:person", args=[councillor.user.pk]), reverse("audit:search"),
            reverse("sar:list"), reverse("sar:start", args=[case.resident_id]), sar.get_absolute_url(),
            reverse("sar:extend", args=[sar.pk]), reverse("casework:queue"),
            reverse("handover:list"), reverse("handover:councillor", args=[councillor.pk]),
            reverse("insight:team"), reverse("casework:outcome-categories"),
            reverse("casework:outcome-category", args=[_first(OutcomeCategory.objects)]),
        ],
        "dataadmin@example.org": [
            reverse("dataimport:index"), reverse("wards:figures", args=[dalton.pk]),
            reverse("wards:places", args=[dalton.pk]), reverse("wards:funding-awards"),
            reverse("wards:funding-award-detail", args=[_first(FundingAward.objects)]),
            reverse("councillors:list"), reverse("councillors:add"), reverse("boundary:change"),
        ],
    }[role] + everyone


@pytest.fixture
def demo(live_server):
    ensure_themes()
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("email", ["councillor@example.org", "liaison@example.org", "manager@example.org",
                                   "dataadmin@example.org"])
def test_every_main_page_fits_a_phone_and_passes_axe(page: Page, demo, axe_check, email, settings):
    page.set_viewport_size(PHONE)
    user = User.objects.get(email=email)
    user.set_password("correct-horse-battery")
    user.save()
    sign_in(page, user)
    problems = []
    for path in pages_for(email):
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{path}: {width} px wide on a {PHONE['width']} px screen")
        try:
            axe_check(page, path)
        except AssertionError as failure:
            problems.append(str(failure))
    assert not problems, "\n".join(problems)
