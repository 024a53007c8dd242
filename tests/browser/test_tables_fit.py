"""Long tables never clip a column: at desktop and at phone width every cell of the case page's
referrals table is inside the page, its text inside its cell, and the page never scrolls sideways."""

import pytest
from playwright.sync_api import Page

from casework import services
from casework.models import Case
from kirklees.users.models import User
from wards.models import Officer

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_RESPONSE = (
    "We inspected the bins at the address on Tuesday and found the collection crew had been unable to "
    "reach them because of a parked van; the crew will return on Thursday and the resident can track it at "
    "https://www.kirklees.gov.uk/beta/bins-and-recycling/report-a-missed-bin-collection-with-a-long-path.aspx"
)

# A cell is clipped when it reaches past the box holding its table and that box does not scroll, or
# when its own text is wider than the cell. On a desktop screen the table must fit its box outright
# (a Response column scrolled out of sight is as good as clipped); on a phone it may scroll inside it.
MEASURE = """(mayScroll) => {
  const problems = [];
  const viewport = document.documentElement.clientWidth;
  for (const cell of document.querySelectorAll('main td, main th')) {
    const name = cell.textContent.trim().slice(0, 30);
    const box = cell.closest('.app-table-wrapper') || cell.closest('table').parentElement;
    const scrolls = getComputedStyle(box).overflowX === 'auto' && mayScroll;
    const right = cell.getBoundingClientRect().right;
    const boxRight = box.getBoundingClientRect().right;
    if (right > boxRight + 1 && !scrolls) problems.push(`${name}: cell ends at ${right}, its box at ${boxRight}`);
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`${name}: text overflows its cell`);
  }
  const page = document.documentElement.scrollWidth;
  if (page > viewport) problems.push(`the page is ${page} px wide on a ${viewport} px screen`);
  return problems;
}"""


@pytest.fixture
def case_with_long_referral(live_server):
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER)
    councillor = CouncillorFactory(advocacy_enrolled=True, liaison_officer=liaison)
    service = ServiceFactory(name="Waste, Recycling and Street Cleansing Operations")
    officer = Officer.objects.create(
        full_name="Bartholomew Featherstonehaugh-Smythe", job_title="Operations manager", service=service,
        email="bartholomew.featherstonehaugh-smythe.operations@kirklees.gov.uk")
    case = walk(make_case(councillor), Case.Status.IN_PROGRESS, team=liaison)
    for text in ("Please collect the bins", "And the recycling"):
        referral = services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                                  officer=officer, details=text)
        case.refresh_from_db()
    services.referral_record_response(case=case, by=liaison, version=case.version, referral=referral,
                                      response=LONG_RESPONSE)
    return case, liaison


@pytest.mark.parametrize("width", [1280, 390])
def test_the_referrals_table_fits_with_no_column_clipped(page: Page, case_with_long_referral, width):
    case, liaison = case_with_long_referral
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, liaison)
    page.goto(case.get_absolute_url())
    assert page.get_by_role("region", name="Referrals").is_visible()
    assert page.evaluate(MEASURE, width < 641) == []
