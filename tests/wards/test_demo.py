"""The demo ward intelligence that `seed_demo` makes (wards/demo/intel.py)."""
import datetime

from django.utils import timezone

from wards.models import (
    Briefing, FundingAward, FundingScheme, Place, Priority, PriorityUpdate, Service, Ward, WardFigure,
)
from wards.selectors.briefings import current_briefings_for_ward
from wards.selectors.funding import funding_summary_for_ward

S = FundingAward.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def test_the_demo_ward_intelligence_is_made_once_however_often_it_runs(db, liaison):
    from pages.management.commands.seed_demo import SERVICES, WARDS_FILE
    from wards.demo.intel import demo_ward_intel_create
    from wards.services.wards import wards_load_csv

    wards_load_csv(path=WARDS_FILE)
    for name, email in SERVICES:
        Service.objects.create(name=name, email=email)
    demo_ward_intel_create(author=liaison)
    models = [Place, WardFigure, Priority, PriorityUpdate, Briefing, FundingScheme, FundingAward]
    counts = [m.objects.count() for m in models]
    demo_ward_intel_create(author=liaison)
    assert [m.objects.count() for m in models] == counts
    dalton = Ward.objects.get(name="Dalton")
    today = TODAY()
    current = list(current_briefings_for_ward(dalton, today))
    assert any(b.ward_id is None for b in current) and any(b.key_issue for b in current)
    assert Briefing.objects.filter(expires_on__lt=today).exists()
    assert set(FundingAward.objects.values_list("status", flat=True)) == set(S.values)
    assert FundingAward.objects.filter(status=S.PAID, monitoring_due_on__lte=today + 5 * DAY).exists()
    assert WardFigure.objects.filter(ward=dalton, name="Population").count() == 2
    assert funding_summary_for_ward(dalton, today).year_total > 0
    assert selectors_people_officers(dalton)


def selectors_people_officers(ward):
    from wards.selectors.people import officers_covering_ward

    return list(officers_covering_ward(ward))
