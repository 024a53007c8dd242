"""In a real browser, with axe: a liaison manager follows the queue's handover panel to a departed
councillor's cases, is told what is missing, hands one to a successor and closes the other with a
letter, then opens the letter to print (issue 13, item 5)."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import Case
from kirklees.users.models import User

from ..factories.casework import CategoryFactory, make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_hands_over_a_departed_councillors_cases_and_prints_a_letter(page: Page, live_server, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    dalton = WardFactory(name="Dalton")
    owner = CouncillorFactory(user__full_name="Cllr Owner", ward=dalton)
    CouncillorFactory(user__full_name="Cllr Successor", ward=dalton)
    category = CategoryFactory(name="Bins and recycling")
    bins = make_case(owner, category=category, summary="Bins not collected")
    pothole = make_case(owner, category=category, summary="Pothole on Main Street")
    owner.term_start = datetime.date(2022, 5, 5)
    owner.term_end = timezone.localdate() - datetime.timedelta(days=1)
    owner.save()
    h1 = page.get_by_role("heading", level=1)

    sign_in(page, manager)
    page.goto("/queue/")
    page.get_by_role("link", name="2 cases need handover").click()
    expect(h1).to_have_text("Handover")
    axe_check(page, "handover list")
    page.get_by_role("link", name=re.compile("^Cllr Owner")).click()
    expect(h1).to_have_text("Hand over Cllr Owner’s cases")
    axe_check(page, "a councillor's cases to hand over")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone: the table scrolls in its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page, "a councillor's cases to hand over, on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label(f"Tick {bins.reference}").check()
    page.get_by_label(f"Tick {pothole.reference}").check()
    close = "Close it with a letter to the resident"
    page.get_by_label(f"What to do with {pothole.reference}").select_option(label=close)
    page.get_by_role("button", name="Hand over").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Choose what to do with {bins.reference}, or untick it")
    expect(summary).to_contain_text("Say what the letter tells the residents whose cases you close")
    axe_check(page, "handover, with errors")

    page.get_by_label("The ticked cases in Dalton").select_option(label="Pass to Cllr Successor")
    page.get_by_label("What the letter tells residents whose cases you close").fill("The bins team has fixed it.")
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "2 cases handed over: 1 to Cllr Successor; 1 closed with a letter")
    expect(page.get_by_text("None of Cllr Owner’s cases need handing over.")).to_be_visible()
    axe_check(page, "handover, done")

    page.get_by_role("link", name=f"Letter for {pothole.reference}").click()
    expect(h1).to_have_text(f"Letter for {pothole.reference}")
    letter = page.get_by_role("article", name="The letter")
    expect(letter).to_contain_text("The bins team has fixed it.")
    expect(letter).to_contain_text(pothole.resident.full_name)
    axe_check(page, "the letter")
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.get_by_text("Print this letter and post it to the resident")).to_be_hidden()
    expect(letter).to_be_visible()

    assert Case.objects.get(pk=bins.pk).owner.user.full_name == "Cllr Successor"
    assert Case.objects.get(pk=pothole.pk).status == Case.Status.CLOSED
