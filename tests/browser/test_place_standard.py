"""Place Standard in a real browser, with axe-core on every page: a resident answers the public
survey with the keyboard alone, the team reads the results and their compass, and types in a
stack of paper forms (a bad box first, corrected from the error summary)."""

import re

import pytest
from playwright.sync_api import Page, expect

from engagement.models import Exercise, Response, ResponseComment
from kirklees.users.models import User

from ..factories.engagement import ExerciseFactory, add_comment, add_responses, ensure_themes
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(live_server):
    ensure_themes()
    dalton = WardFactory(name="Dalton")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    survey = ExerciseFactory(ward=dalton, title="Dalton have your say", status=Exercise.Status.OPEN,
                             facilitator=liaison)
    return {"liaison": liaison, "dalton": dalton, "survey": survey}


def tab_to(page: Page, selector: str, *, limit: int = 400) -> None:
    """Press Tab until the element is focused, as someone without a mouse would."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_resident_answers_the_survey_with_the_keyboard_alone(page: Page, setting, axe_check):
    exercise = setting["survey"]
    page.goto(f"/have-your-say/{exercise.token}/")
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text("Have your say about Dalton")
    expect(page.get_by_role("group", name=re.compile("How safe do you feel here"))).to_be_visible()
    axe_check(page, "survey")

    # Sent with nothing answered: the error summary takes focus and links to the first question.
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Score at least one theme from 1 to 7 before sending your answers")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page, "survey with an error")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_score_1_0")).to_be_focused()

    # Theme 1: the third radio (a score of 3), and a comment in its folded-away box.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_score_1_2")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # opens "Add a comment about moving around"
    tab_to(page, "#id_good_1")
    page.keyboard.type("The canal towpath is lovely")
    # Themes 2 to 14 (12 skipped: tabbed past without choosing): theme n scores (n % 7) + 1.
    for number in range(2, 15):
        if number == 12:
            continue
        tab_to(page, f"#id_score_{number}_0")
        presses = number % 7
        if presses == 0:
            page.keyboard.press("Space")
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#id_score_{number}_{presses}")).to_be_checked()
    # "I'd rather not say" (the last) is chosen until they say otherwise: up one is "75 or over".
    tab_to(page, "#id_age_band_8")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("75 or over")).to_be_checked()
    tab_to(page, "#id_postcode_district")
    page.keyboard.type("hd8")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(h1).to_have_text("Thank you")
    axe_check(page, "survey thank you")
    response = Response.objects.get(exercise=exercise)
    assert response.scores() == [3] + [(n % 7) + 1 for n in range(2, 12)] + [None] + [(n % 7) + 1 for n in (13, 14)]
    assert (response.age_band, response.postcode_district, response.source) == ("75_plus", "HD8", "online")
    assert ResponseComment.objects.get().text == "The canal towpath is lovely"


def test_the_results_page_draws_the_compass_beside_its_table(page: Page, setting, axe_check):
    dalton, liaison = setting["dalton"], setting["liaison"]
    import datetime

    before = ExerciseFactory(ward=dalton, title="Dalton 2024", status=Exercise.Status.PUBLISHED,
                             starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2024, 4, 30))
    add_responses(before, [[3] * 14] * 5)
    exercise = ExerciseFactory(ward=dalton, title="Dalton 2026", status=Exercise.Status.PUBLISHED)
    responses = add_responses(exercise, [[2, 5, 6, 4, 7, 3, 4, 5, 4, 6, 5, 3, 2, 4]] * 4
                              + [[1, 6, 5, 4, 6, 4, 5, 5, 3, 5, 6, 2, 3, 3]] * 3, age_band="45_54")
    add_comment(responses[0], 1, "Pavements on Wakefield Road are broken")
    sign_in(page, liaison)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Place Standard engagement")
    axe_check(page, "exercise list")
    page.get_by_role("link", name="Dalton 2026").click()
    axe_check(page, "exercise page")
    page.get_by_role("link", name="See the results").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dalton 2026")
    compass = page.get_by_role("img", name="Place Standard compass: Dalton 2026")
    expect(compass).to_be_visible()
    assert compass.locator("line").count() == 14
    table = page.get_by_role("table", name="Average score for each theme")
    expect(table.get_by_role("row", name=re.compile(r"^Moving around 1\.6"))).to_be_visible()
    expect(page.locator(".app-lowest")).to_contain_text("Moving around")
    axe_check(page, "results with the compass")

    page.get_by_label("Compare with").select_option(label="The previous exercise here")
    page.get_by_label("Who answered").select_option(value="45_54")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="April 2024")).to_be_visible()
    expect(compass.locator("polygon[stroke-dasharray]")).to_have_count(1)
    expect(page.get_by_text("Pavements on Wakefield Road are broken")).to_be_visible()
    axe_check(page, "results compared with the previous exercise")


def test_the_team_types_in_paper_forms_and_a_bad_box_stops_the_whole_stack(page: Page, setting, axe_check):
    exercise, liaison = setting["survey"], setting["liaison"]
    sign_in(page, liaison)
    page.goto(f"/engagement/{exercise.pk}/paper/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Type in paper forms")
    axe_check(page, "paper entry")

    tab_to(page, "#id_row-0-score_1")
    page.keyboard.type("4")
    for digit in "5671234567123":
        page.keyboard.press("Tab")
        page.keyboard.type(digit)
    page.keyboard.press("Tab")
    page.keyboard.type("6")  # typing the first letter chooses "65 to 74"
    expect(page.locator("#id_row-0-age_band")).to_have_value("65_74")
    page.keyboard.press("Tab")
    page.keyboard.type("wf13")
    page.keyboard.press("Tab")  # the next form
    expect(page.locator("#id_row-1-score_1")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("9")  # not a score
    page.keyboard.press("Enter")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("nothing has been saved")
    expect(summary).to_contain_text("Form 2, Public transport: Enter a whole number from 1 to 7, or leave it blank")
    axe_check(page, "paper entry with an error")
    assert not Response.objects.exists()
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    bad = page.locator("#id_row-1-score_2")
    expect(bad).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("2 paper forms saved")
    saved = list(Response.objects.filter(exercise=exercise).order_by("pk"))
    assert [r.scores() for r in saved] == [[4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3], [2, 3] + [None] * 12]
    assert (saved[0].age_band, saved[0].postcode_district, saved[0].source) == ("65_74", "WF13", "paper")
