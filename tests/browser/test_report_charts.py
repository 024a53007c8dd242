"""The casework report in a real browser, over the demo data: every chart is an image with a title
and a description, its data table sits beside it, and axe-core finds no WCAG 2.2 A/AA violations,
on a desktop and on a phone."""
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from kirklees.users.models import User

from ..factories.engagement import ensure_themes
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    ensure_themes()
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("email,url_name", [("manager@example.org", "insight:team"),
                                            ("councillor@example.org", "insight:own")])
def test_the_report_charts_are_accessible_and_have_their_data_tables(page: Page, demo, axe_check, email, url_name):
    user = User.objects.get(email=email)
    user.set_password("correct-horse-battery")
    user.save()
    sign_in(page, user)
    page.goto(reverse(url_name) + "?preset=last_month")
    expect(page.locator("h1")).to_be_visible()
    charts = page.locator("svg[role=img]")
    sections = page.locator("main section")
    assert charts.count() == sections.count() >= 10
    for i in range(sections.count()):
        section = sections.nth(i)
        chart = section.locator("svg[role=img]")
        title = chart.locator("title").text_content()
        description = chart.locator("desc").text_content()
        assert title and description.startswith("Bar chart")
        labelled = chart.get_attribute("aria-labelledby").split()
        assert labelled == [chart.locator("title").get_attribute("id"), chart.locator("desc").get_attribute("id")]
        expect(section.locator("table.govuk-table")).to_have_count(1)
    opened = sections.first.locator("tbody tr").first.locator("td").first.text_content()
    assert int(opened) > 0  # the demo's report is not empty
    axe_check(page, "report")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page, "report on a phone")
