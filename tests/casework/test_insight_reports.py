"""The reports' figures: every one equals the same figure worked out here straight from the cases
(random cases with a fixed seed, over several periods, with cases paused and resumed, bank holidays
and a closure day), whoever's report it is; the daily roll-up follows late changes, and running it
twice changes nothing."""
import csv
import datetime
import io
import math
import random
from collections import defaultdict

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import escalation, services
from casework.insight.models import AGE_BANDS, DIMENSIONS, DailyFigure
from casework.insight.rollup import rollup_update
from casework.insight.selectors import CURRENT, PREVIOUS, Period, report_for
from casework.models import Case, ClosureDay, OutcomeCategory, SlaAction
from casework.sla import WorkingCalendar

from ..factories.casework import CategoryFactory, make_case
from ..factories.councillors import CouncillorFactory
from ..factories.wards import ServiceFactory, WardFactory
from ..helpers import at

D = datetime.date
START, END = D(2026, 10, 1), D(2027, 1, 25)
PERIODS = [Period(D(2026, 11, 1), D(2026, 11, 30)), Period(D(2026, 12, 1), D(2026, 12, 31)),
           Period(D(2026, 12, 21), D(2027, 1, 3)), Period(D(2027, 1, 1), D(2027, 1, 25))]


# --------------------------------------------------------------------------- the cases

def _later(rng, day, most=8):
    return day + datetime.timedelta(days=rng.randint(0, most))


def _life(rng, case, *, team, services_, outcomes):
    """Walk one case through the services on days after it was opened, up to END."""
    day = timezone.localtime(case.created_at).date()

    def step(days=8):
        nonlocal day
        day = _later(rng, day, days)
        return day <= END

    def act(fn, **kwargs):
        nonlocal case
        with at(day, hour=10 + rng.randint(0, 5)):
            result = fn(case=case, version=case.version, **kwargs)
        case = Case.objects.get(pk=case.pk)
        return result

    owner = case.owner.user
    if rng.random() < 0.15:
        if step():
            act(services.case_withdraw, by=owner, reason="Sorted")
        return
    if not step(2):
        return
    act(services.case_refer_to_advocacy, by=owner)
    if rng.random() < 0.1:
        if step(5):
            act(services.case_decline, by=team, reason="Not for us")
        return
    if not step(5):
        return
    act(services.case_accept, by=team, assignee=team)
    if rng.random() < 0.35 and step(6):
        act(services.case_refer_to_service, by=team, service=rng.choice(services_), details="Please fix")
        if rng.random() < 0.85 and step(16):
            act(services.referral_record_response, by=team, referral=case.referrals.latest("id"), response="Done")
    if case.status == Case.Status.IN_PROGRESS and rng.random() < 0.3 and step(6):
        act(services.case_request_info, by=team, request="A photo, please")
        if not step(12):
            return
        act(services.case_info_received, by=team, information="Here it is")
    if case.status == Case.Status.IN_PROGRESS and rng.random() < 0.8 and step(25):
        act(services.case_resolve, by=team, outcome="Fixed", outcome_category=rng.choice(outcomes))
        if rng.random() < 0.15 and step(6):
            act(services.case_reopen, by=team, reason="It came back")
            if step(10):
                act(services.case_resolve, by=team, outcome="Fixed again", outcome_category=rng.choice(outcomes))


@pytest.fixture
def cases(owner, colleague, liaison):
    ClosureDay.objects.create(date=D(2026, 12, 29), reason="Christmas closure")
    far = CouncillorFactory(user__full_name="Cllr Far", ward=WardFactory(name="Almondbury"), advocacy_enrolled=True)
    categories = [CategoryFactory(name="Potholes", resolution_days=10, response_days=5),
                  CategoryFactory(name="Bins", triage_days=1, resolution_days=5, urgent_resolution_days=3)]
    services_ = [ServiceFactory(name="Highways"), ServiceFactory(name="Waste")]
    outcomes = list(OutcomeCategory.objects.all())
    rng = random.Random(1515)
    made = []
    for _ in range(45):
        councillor = rng.choice([owner, owner, colleague, far])
        opened = START + datetime.timedelta(days=rng.randint(0, (END - START).days))
        with at(opened, hour=9):
            case = make_case(councillor, category=rng.choice(categories),
                             priority=rng.choice(["normal", "normal", "high", "urgent"]),
                             enquiry_type=rng.choice(Case.EnquiryType.values))
        _life(rng, case, team=liaison, services_=services_, outcomes=outcomes)
        made.append(case)
    for monday in range(0, (END - START).days, 7):  # the escalation ladder, weekly
        with at(START + datetime.timedelta(days=monday + 4), hour=7):
            escalation.sla_sweep()
    assert Case.objects.filter(paused_on__isnull=True, events__kind="info_received").exists()  # paused, resumed
    assert SlaAction.objects.filter(kind="escalation").exists()
    with at(END, hour=20):
        rollup_update()
    return made


# --------------------------------------------------------------------------- the same figures, from the cases

def _nearest_rank(values, q):
    values = sorted(values)
    return values[max(math.ceil(q * len(values)), 1) - 1] if values else None


def _share(met, n):
    return round(100 * met / n, 1) if n else None


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def expected(period: Period, *, owner=None) -> dict:
    """{(which, dimension, key): figures} computed from the cases, referrals and escalations."""
    calendar = WorkingCalendar.load()
    cases = Case.objects.select_related("category").prefetch_related("referrals")
    if owner is not None:
        cases = cases.filter(owner=owner)
    cases = list(cases)
    by_id = {c.pk: c for c in cases}
    dimensions = [d for d in DIMENSIONS if not (owner is not None and d == "councillor")]
    out = {}
    for which, p in ((CURRENT, period), (PREVIOUS, period.previous())):
        acc = defaultdict(lambda: {"opened": 0, "closed": 0, "open_end": 0, "backlog": [0] * len(AGE_BANDS),
                                   "triage": [], "response": [], "resolution": [], "response_days": [],
                                   "resolution_days": []})

        def keys(case, service=None):
            first = min(case.referrals.all(), key=lambda r: (r.sent_at, r.pk), default=None)
            service = service or (first.service_id if first else None)
            values = {"service": str(service) if service else "none", "ward": str(case.ward_id),
                      "category": str(case.category_id), "councillor": str(case.owner_id),
                      "enquiry_type": case.enquiry_type, "priority": case.priority}
            return [("all", "")] + [(d, values[d]) for d in dimensions]

        def within(day):
            return day is not None and p.start <= day <= p.end

        for case in cases:
            opened, ended = _day(case.created_at), _day(case.resolved_at or case.withdrawn_at)
            for key in keys(case):
                a = acc[key]
                a["opened"] += within(opened)
                a["closed"] += within(ended)
                if opened <= p.end and (ended is None or ended > p.end):
                    a["open_end"] += 1
                    age = calendar.between(opened, p.end)
                    band = next(i for i, (_, hi, _) in enumerate(AGE_BANDS) if hi is None or age <= hi)
                    a["backlog"][band] += 1
                if within(_day(case.triage_ended_at)):
                    a["triage"].append(case.triage_met)
                if within(_day(case.resolved_at)) and case.resolution_met is not None:
                    a["resolution"].append(case.resolution_met)
                    a["resolution_days"].append(case.resolution_days)
            for referral in case.referrals.all():
                if within(_day(referral.responded_at)):
                    for key in keys(case, referral.service_id):
                        acc[key]["response"].append(referral.response_met)
                        acc[key]["response_days"].append(referral.response_days)
        for key, a in acc.items():
            figures = {
                "opened": a["opened"], "closed": a["closed"], "open_end": a["open_end"], "backlog": a["backlog"],
                "triage": (sum(a["triage"]), len(a["triage"]), _share(sum(a["triage"]), len(a["triage"]))),
                "response": (sum(a["response"]), len(a["response"]), _share(sum(a["response"]), len(a["response"]))),
                "resolution": (sum(a["resolution"]), len(a["resolution"]),
                               _share(sum(a["resolution"]), len(a["resolution"]))),
                "respond": (_nearest_rank(a["response_days"], 0.5), _nearest_rank(a["response_days"], 0.9)),
                "resolve": (_nearest_rank(a["resolution_days"], 0.5), _nearest_rank(a["resolution_days"], 0.9)),
            }
            if any([figures["opened"], figures["closed"], figures["open_end"], figures["triage"][1],
                    figures["response"][1], figures["resolution"][1]]):
                out[(which, *key)] = figures
        escalations = defaultdict(int)
        for action in SlaAction.objects.filter(kind="escalation"):
            if within(_day(action.created_at)) and action.case_id in by_id:
                escalations[action.step_id] += 1
        out[(which, "escalations")] = dict(escalations)
    return out


def reported(report) -> dict:
    out = {}
    for which in (CURRENT, PREVIOUS):
        for dimension, rows in report.figures[which].items():
            for key, f in rows.items():
                figures = {
                    "opened": f.opened, "closed": f.closed, "open_end": f.open_end, "backlog": f.backlog,
                    "triage": (f.triage_met, f.triage_n, f.triage_share),
                    "response": (f.response_met, f.response_n, f.response_share),
                    "resolution": (f.resolution_met, f.resolution_n, f.resolution_share),
                    "respond": (f.response_median, f.response_p90),
                    "resolve": (f.resolution_median, f.resolution_p90),
                }
                if any([f.opened, f.closed, f.open_end, f.triage_n, f.response_n, f.resolution_n]):
                    out[(which, dimension, key)] = figures
        out[(which, "escalations")] = {step: n for step, n in report.escalations[which].items() if n}
    return out


def _compare(got: dict, want: dict):
    assert set(got) == set(want)
    for key in want:
        assert got[key] == want[key], key


# --------------------------------------------------------------------------- the tests

@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}-{p.end}")
def test_every_figure_of_the_service_report_equals_the_one_worked_out_from_the_cases(cases, period):
    want = expected(period)
    assert want[(CURRENT, "all", "")]["opened"] > 0
    _compare(reported(report_for(scope=0, period=period)), want)


def test_the_data_has_what_the_figures_must_cope_with(cases):
    report = report_for(scope=0, period=Period(START, END))
    figures = report.get(CURRENT)
    assert figures.resolution_n > 5 and figures.response_n > 2 and figures.triage_n > 5
    assert 0 < figures.triage_met < figures.triage_n or 0 < figures.resolution_met < figures.resolution_n
    assert sum(report.escalations[CURRENT].values()) > 0


@pytest.mark.parametrize("period", PERIODS[:2], ids=lambda p: f"{p.start}-{p.end}")
def test_a_councillors_report_has_their_own_cases_only(cases, owner, colleague, period):
    want = expected(period, owner=owner)
    got = reported(report_for(scope=owner.pk, period=period))
    _compare(got, want)
    team = expected(period)
    assert want[(CURRENT, "all", "")] != team[(CURRENT, "all", "")]  # there are other councillors' cases
    assert not any(key[1] == "councillor" for key in got if len(key) == 3)


def _rows():
    return list(DailyFigure.objects.order_by("scope", "day", "dimension", "key").values_list())


def test_running_the_roll_up_twice_changes_nothing_and_matches_a_full_rebuild(cases):
    before = _rows()
    with at(END, hour=21):
        rollup_update()
    assert _rows() == before
    with at(END, hour=22):
        rollup_update(full=True)
    assert _rows() == before


def test_a_late_change_to_an_old_case_recomputes_its_days(cases, liaison):
    november = PERIODS[0]
    resolved = (Case.objects.filter(status=Case.Status.RESOLVED, resolved_at__date__gte=november.start,
                                    resolved_at__date__lte=november.end, resolution_met__isnull=False)
                .order_by("pk").first())
    assert resolved is not None
    day = timezone.localtime(resolved.resolved_at).date()
    row = DailyFigure.objects.get(scope=0, dimension="all", key="", day=day)
    before = report_for(scope=0, period=november).get(CURRENT)
    with at(END, hour=21):
        services.case_reopen(case=resolved, by=liaison, version=resolved.version, reason="It came back")
    with at(END, hour=22):
        assert rollup_update() != "0 days recomputed"
    row_after = DailyFigure.objects.get(scope=0, dimension="all", key="", day=day)
    assert row_after.resolution_n == row.resolution_n - 1
    after = report_for(scope=0, period=november).get(CURRENT)
    assert (after.resolution_n, after.closed) == (before.resolution_n - 1, before.closed - 1)
    _compare(reported(report_for(scope=0, period=november)), expected(november))


# --------------------------------------------------------------------------- the pages and downloads

def _query(period):
    return {"start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"}


@pytest.fixture
def after_end():
    with at(END + datetime.timedelta(days=1)):
        yield


def test_the_page_and_both_downloads_show_the_same_numbers(cases, client, manager, after_end):
    period = PERIODS[1]
    client.force_login(manager)
    page = client.get(reverse("insight:team"), _query(period))
    assert page.status_code == 200
    tables = page.context["tables"]
    html = page.content.decode()
    volumes = tables[0]
    assert volumes.rows[0][1] == expected(period)[(CURRENT, "all", "")]["opened"]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("insight:team-download", args=["xlsx"]),
                                                            _query(period)).content))
    assert len(workbook.sheetnames) == len(tables)
    for table, sheet in zip(tables, workbook.worksheets, strict=True):
        assert f'<table class="govuk-table app-compact-table" id="{table.slug}">' in html
        assert f'role="img" aria-labelledby="chart-{table.slug}-title chart-{table.slug}-desc"' in html
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert values[0] == table.header
        assert [[("" if v is None else v) for v in row] for row in values[1:]] == [
            [("" if v is None else v) for v in row] for row in table.rows]
        response = client.get(reverse("insight:team-download", args=["csv"]), {**_query(period), "table": table.slug})
        assert response["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert lines[0] == table.header
        assert lines[1:] == [["" if v is None else str(v) for v in row] for row in table.rows]
        for row in table.rows:  # and the page's own table says the same
            for value in row[1:]:
                shown = "–" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
                assert f">{shown}</td>" in html


def test_downloads_neutralise_formulas_in_names(cases, client, manager, after_end):
    Case.objects.filter(pk=cases[0].pk).update(category=CategoryFactory(name='=HYPERLINK("http://x.test","go")'))
    rollup_update(full=True)
    client.force_login(manager)
    period = Period(START, END)
    response = client.get(reverse("insight:team-download", args=["csv"]), {**_query(period), "table": "by-category"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    response = client.get(reverse("insight:team-download", args=["xlsx"]), {**_query(period), "table": "by-category"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" and str(cell.value).startswith("'=") for cell in cells)


def test_who_reads_which_report(cases, client, owner, liaison, data_admin, admin_user, after_end):
    period = PERIODS[0]
    client.force_login(owner.user)
    assert client.get(reverse("insight:team")).status_code == 403
    assert client.get(reverse("insight:team-download", args=["xlsx"])).status_code == 403
    mine = client.get(reverse("insight:own"), _query(period))
    assert mine.status_code == 200
    assert mine.context["tables"][0].rows[0][1] == expected(period, owner=owner)[(CURRENT, "all", "")]["opened"]
    assert "By councillor" not in mine.content.decode()
    assert "Cllr Colleague" not in mine.content.decode() and "Cllr Far" not in mine.content.decode()
    client.force_login(liaison)  # the team's officers see the team's figures
    assert client.get(reverse("insight:team")).status_code == 200
    assert client.get(reverse("insight:own")).status_code == 403
    for outsider in (data_admin, admin_user):
        client.force_login(outsider)
        assert client.get(reverse("insight:team")).status_code == 403
        assert client.get(reverse("insight:own")).status_code == 403


def test_a_bad_period_is_refused_with_a_message(cases, client, manager, after_end):
    client.force_login(manager)
    response = client.get(reverse("insight:team"), {"start": "31/12/2026", "end": "1/12/2026"})
    assert response.status_code == 400
    assert "The ‘to’ date must be the same as or after the ‘from’ date" in response.content.decode()
    response = client.get(reverse("insight:team"), {"start": "1/13/2026", "end": "1/12/2026"})
    assert "Enter a real date, like 1/10/2026" in response.content.decode()


def test_presets_and_the_previous_period_of_the_same_length():
    from casework.insight.selectors import preset_period

    today = D(2027, 2, 10)
    assert preset_period("last_month", today) == Period(D(2027, 1, 1), D(2027, 1, 31))
    assert preset_period("last_quarter", today) == Period(D(2026, 10, 1), D(2026, 12, 31))
    assert preset_period("last_12_months", today) == Period(D(2026, 2, 1), D(2027, 1, 31))
    assert Period(D(2026, 12, 1), D(2026, 12, 31)).previous() == Period(D(2026, 10, 31), D(2026, 11, 30))


def _some_cases(owner, liaison, category, count):
    for i in range(count):
        with at(D(2026, 11, 2) + datetime.timedelta(days=i % 20)):
            case = make_case(owner, category=category, priority=["normal", "urgent"][i % 2])
            case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
            case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
            if i % 3:
                services.case_resolve(case=case, by=liaison, version=case.version, outcome="Fixed")


def test_the_report_page_makes_the_same_number_of_queries_whatever_the_data(
        owner, liaison, category, manager, client, django_assert_num_queries):
    client.force_login(manager)
    query = _query(Period(D(2026, 11, 1), D(2026, 11, 30)))
    _some_cases(owner, liaison, category, 3)
    with at(D(2026, 12, 5)):
        rollup_update()
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse("insight:team"), query).status_code == 200
    _some_cases(owner, liaison, category, 30)
    for _ in range(3):
        CouncillorFactory(ward=WardFactory())
    ServiceFactory()
    with at(D(2026, 12, 5), hour=12):
        rollup_update()
        with django_assert_num_queries(len(small.captured_queries)):
            assert client.get(reverse("insight:team"), query).status_code == 200


def test_daily_runs_give_the_rows_a_full_rebuild_gives_quiet_days_included(owner, liaison, category):
    with at(D(2026, 11, 2)):
        first = make_case(owner, category=category)
        rollup_update()
    with at(D(2026, 11, 4)):
        second = walk_to_in_progress(make_case(owner, category=category), owner, liaison)
        rollup_update()
    with at(D(2026, 11, 9)):  # nothing happened on the 5th to the 8th: their rows come anyway
        services.case_withdraw(case=first, by=owner.user, version=first.version, reason="Sorted")
        rollup_update()
    quiet = DailyFigure.objects.get(scope=0, dimension="all", key="", day=D(2026, 11, 7))
    assert (quiet.open_end, quiet.opened) == (2, 0)
    assert DailyFigure.objects.get(scope=0, dimension="all", key="", day=D(2026, 11, 9)).open_end == 1
    daily = _rows()
    with at(D(2026, 11, 9), hour=12):
        rollup_update(full=True)
    assert _rows() == daily
    assert second.pk


def walk_to_in_progress(case, owner, liaison):
    case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
    return services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
