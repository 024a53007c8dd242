"""Ward intelligence: the ward page, places, profile figures, priorities and their progress,
briefings, funding and its monitoring reminders, and the CSV exports.

Every view is tried as anonymous, a councillor in the ward and in another ward, a liaison officer,
a liaison manager and the ward data admin."""
import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kirklees.jobs.models import JobRun
from kirklees.notifications.models import Notification
from kirklees.users.models import User
from wards.selectors.briefings import current_briefings_for_ward
from wards.selectors.funding import (
    financial_year, financial_year_label, funding_awarded_in_year, funding_summary_for_ward, funding_totals_by_scheme,
    funding_totals_by_ward, funding_year_total,
)
from wards.selectors.profile import age_in_words
from wards.services import briefings as briefing_services
from wards.services.briefings import briefing_create
from wards.services.funding import funding_award_create, funding_award_set_status, funding_monitoring_reminders_send
from wards.services.priorities import priority_add_update, priority_create
from wards.services.wards import place_create
from wards.models import (
    Briefing, FundingAward, FundingScheme, Place, Priority, PriorityUpdate, Service, Ward, WardFigure,
)
from wards.tasks import funding_monitoring_reminders

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import (
    BriefingFactory, FundingAwardFactory, FundingSchemeFactory, MeetingActionFactory, OfficerFactory, PlaceFactory,
    PriorityFactory, PriorityUpdateFactory, WardFactory, WardFigureFactory, WardMeetingFactory,
)
from ..helpers import errors_of, queries_for
from ..samples import PDF, PNG

S = FundingAward.Status
PS = Priority.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
ROLES = ["councillor", "other_councillor", "liaison", "manager", "data_admin"]


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Batley East")


@pytest.fixture
def people_in_two_wards(owner, other_ward, liaison, manager, data_admin):
    """`owner` is a councillor in Dalton (the `ward` fixture); the other councillor sits in Batley East."""
    other = CouncillorFactory(user__full_name="Cllr Elsewhere", ward=other_ward)
    return {"councillor": owner.user, "other_councillor": other.user, "liaison": liaison, "manager": manager,
            "data_admin": data_admin}


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path, "base_url": None}}}
    return tmp_path


@pytest.fixture
def world(ward, people_in_two_wards, liaison, private_storage):
    """One of everything in Dalton, for trying every page."""
    place = PlaceFactory(ward=ward, name="Moldgreen")
    figure = WardFigureFactory(ward=ward, name="Population", value=Decimal("17842"))
    priority = PriorityFactory(ward=ward, place=place, created_by=liaison, status=PS.ACTIVE)
    PriorityUpdateFactory(priority=priority, by=liaison)
    briefing = briefing_create(
        by=liaison, ward=ward, title="Road closure", text="Wakefield Road shut", publish_on=TODAY() - DAY,
        expires_on=TODAY() + 10 * DAY, upload=SimpleUploadedFile("closure notice.pdf", PDF, "application/pdf"))
    scheme = FundingSchemeFactory(name="Ward Members’ Fund")
    award = FundingAwardFactory(scheme=scheme, ward=ward, priority=priority, status=S.APPROVED,
                                decided_on=TODAY() - DAY)
    return {"ward": ward, "place": place, "figure": figure, "priority": priority, "briefing": briefing,
            "scheme": scheme, "award": award}


# ================================================================ who may see and do what

def read_urls(w) -> list[str]:
    """Pages every signed-in role may read."""
    return [
        reverse("wards:list"),
        reverse("wards:detail", args=[w["ward"].pk]),
        reverse("wards:places", args=[w["ward"].pk]),
        reverse("wards:figures", args=[w["ward"].pk]),
        reverse("wards:priorities"),
        reverse("wards:priority-detail", args=[w["priority"].pk]),
        reverse("wards:funding"),
        reverse("wards:funding-awards"),
        reverse("wards:funding-award-detail", args=[w["award"].pk]),
        reverse("wards:briefing-file", args=[w["briefing"].pk]),
        reverse("wards:places-export"),
        reverse("wards:figures-export"),
        reverse("wards:priorities-export"),
        reverse("wards:funding-awards-export"),
        reverse("wards:people-export"),
    ]


def admin_urls(w) -> list[str]:
    """Reference data: the ward data admin only."""
    return [
        reverse("wards:place-create", args=[w["ward"].pk]),
        reverse("wards:place-edit", args=[w["place"].pk]),
        reverse("wards:figure-create", args=[w["ward"].pk]),
        reverse("wards:figure-edit", args=[w["figure"].pk]),
        reverse("wards:figure-delete", args=[w["figure"].pk]),
        reverse("wards:funding-scheme-create"),
        reverse("wards:funding-scheme-edit", args=[w["scheme"].pk]),
        reverse("wards:funding-award-create") + f"?ward={w['ward'].pk}",
        reverse("wards:funding-award-edit", args=[w["award"].pk]),
    ]


def briefing_urls(w) -> list[str]:
    """The liaison team's (and the data admin's): not councillors'."""
    return [
        reverse("wards:briefings"),
        reverse("wards:briefings-export"),
        reverse("wards:briefing-create"),
        reverse("wards:briefing-edit", args=[w["briefing"].pk]),
        reverse("wards:briefing-delete", args=[w["briefing"].pk]),
    ]


def ward_content_urls(w) -> list[str]:
    """Priorities: the team, the data admin, and a councillor in their own ward."""
    return [
        reverse("wards:priority-create") + f"?ward={w['ward'].pk}",
        reverse("wards:priority-edit", args=[w["priority"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(client, world):
    post_only = [reverse("wards:priority-update-add", args=[world["priority"].pk]),
                 reverse("wards:funding-award-status", args=[world["award"].pk])]
    for url in read_urls(world) + admin_urls(world) + briefing_urls(world) + ward_content_urls(world):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    for url in post_only:
        response = client.post(url, {})
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ROLES)
def test_every_role_reads_ward_intelligence(client, world, people_in_two_wards, who):
    client.force_login(people_in_two_wards[who])
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who,expected", [("councillor", 403), ("other_councillor", 403), ("liaison", 403),
                                          ("manager", 403), ("data_admin", 200)])
def test_only_the_ward_data_admin_manages_places_figures_and_funding(client, world, people_in_two_wards, who, expected):
    client.force_login(people_in_two_wards[who])
    for url in admin_urls(world):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who,expected", [("councillor", 403), ("other_councillor", 403), ("liaison", 200),
                                          ("manager", 200), ("data_admin", 200)])
def test_briefings_are_managed_by_the_liaison_team_not_councillors(client, world, people_in_two_wards, who, expected):
    client.force_login(people_in_two_wards[who])
    for url in briefing_urls(world):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who,expected", [("councillor", 200), ("other_councillor", 403), ("liaison", 200),
                                          ("manager", 200), ("data_admin", 200)])
def test_a_councillor_edits_priorities_only_in_their_own_ward(client, world, people_in_two_wards, who, expected):
    client.force_login(people_in_two_wards[who])
    for url in ward_content_urls(world):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", ["councillor", "other_councillor", "liaison", "manager"])
def test_no_one_but_the_data_admin_can_write_reference_data_by_posting(client, world, people_in_two_wards, who):
    client.force_login(people_in_two_wards[who])
    ward = world["ward"]
    assert client.post(reverse("wards:place-create", args=[ward.pk]),
                       {"name": "Rawthorpe", "kind": "estate"}).status_code == 403
    assert client.post(reverse("wards:figure-delete", args=[world["figure"].pk])).status_code == 403
    assert client.post(reverse("wards:funding-scheme-create"), {"name": "Sneaky fund"}).status_code == 403
    assert client.post(reverse("wards:funding-award-status", args=[world["award"].pk]),
                       {"status": "paid", "monitoring_due_on": d(TODAY() + 30 * DAY)}).status_code == 403
    assert not Place.objects.filter(name="Rawthorpe").exists()
    assert WardFigure.objects.filter(pk=world["figure"].pk).exists()
    assert not FundingScheme.objects.filter(name="Sneaky fund").exists()
    world["award"].refresh_from_db()
    assert world["award"].status == S.APPROVED


def test_a_councillor_in_another_ward_cannot_add_progress_to_a_priority(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["other_councillor"])
    response = client.post(reverse("wards:priority-update-add", args=[world["priority"].pk]),
                           {"text": "Done!", "status": "achieved"})
    assert response.status_code == 403
    assert world["priority"].updates.count() == 1
    world["priority"].refresh_from_db()
    assert world["priority"].status == PS.ACTIVE


@pytest.mark.parametrize("who", ["councillor", "other_councillor"])
def test_councillors_cannot_write_or_delete_briefings(client, world, people_in_two_wards, who):
    client.force_login(people_in_two_wards[who])
    assert client.post(reverse("wards:briefing-delete", args=[world["briefing"].pk])).status_code == 403
    assert client.post(reverse("wards:briefing-create"), {
        "title": "Mine", "text": "x", "publish_on": d(TODAY()), "expires_on": d(TODAY() + DAY)}).status_code == 403
    assert Briefing.objects.count() == 1


def test_a_councillor_in_another_ward_cannot_choose_the_ward_to_add_a_priority_to(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["other_councillor"])
    response = client.post(reverse("wards:priority-create") + f"?ward={world['ward'].pk}", {
        "title": "Ours now", "description": "x", "outcome_sought": "y", "status": "proposed"})
    assert response.status_code == 403
    assert not Priority.objects.filter(title="Ours now").exists()


def test_a_councillor_adding_a_priority_lands_in_their_own_ward(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    response = client.post(reverse("wards:priority-create"), {
        "title": "Fix the lights", "description": "Dark path", "outcome_sought": "Lit path", "status": "active"})
    priority = Priority.objects.get(title="Fix the lights")
    assert response.status_code == 302 and response.url == reverse("wards:priority-detail", args=[priority.pk])
    assert (priority.ward, priority.status, priority.created_by) == (world["ward"], PS.ACTIVE,
                                                                     people_in_two_wards["councillor"])


def test_the_priority_form_says_what_is_written_goes_on_the_public_ward_page(client, world, people_in_two_wards):
    """An active priority's description and outcome are published as written: the writer is told so
    beside both boxes, before they write a resident's name into them."""
    client.force_login(people_in_two_wards["councillor"])
    for url in (reverse("wards:priority-create"), reverse("wards:priority-edit", args=[world["priority"].pk])):
        form = client.get(url).context["form"]
        for name in ("description", "outcome_sought"):
            assert "public ward page" in form.fields[name].help_text, (url, name)
            assert "No residents’ personal details" in form.fields[name].help_text, (url, name)

def test_the_team_is_asked_which_ward_a_new_priority_is_for(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["liaison"])
    response = client.get(reverse("wards:priority-create"))
    assert response.status_code == 200 and "Which ward is the priority for?" in response.content.decode()


@pytest.mark.parametrize("url_name", ["wards:detail", "wards:places", "wards:figures", "wards:priority-detail",
                                      "wards:funding-award-detail", "wards:briefing-file", "wards:place-edit"])
def test_a_record_that_does_not_exist_is_404(client, people_in_two_wards, url_name):
    client.force_login(people_in_two_wards["data_admin"])
    assert client.get(reverse(url_name, args=[999999])).status_code == 404


def test_a_briefing_not_yet_published_is_not_downloadable_by_councillors(client, world, people_in_two_wards, liaison):
    briefing = world["briefing"]
    Briefing.objects.filter(pk=briefing.pk).update(publish_on=TODAY() + DAY)
    url = reverse("wards:briefing-file", args=[briefing.pk])
    client.force_login(people_in_two_wards["councillor"])
    assert client.get(url).status_code == 404
    client.force_login(liaison)
    assert client.get(url).status_code == 200


def test_a_briefing_without_a_file_has_nothing_to_download(client, people_in_two_wards, ward, liaison):
    briefing = BriefingFactory(ward=ward, author=liaison)
    client.force_login(people_in_two_wards["councillor"])
    assert client.get(reverse("wards:briefing-file", args=[briefing.pk])).status_code == 404


def test_the_priority_page_shows_how_many_cases_bear_on_it_but_nothing_about_them(
        client, world, people_in_two_wards, owner):
    case = make_case(owner, summary="Speeding outside the school")
    type(case).objects.filter(pk=case.pk).update(ward_priority=world["priority"])
    for who in ("councillor", "liaison", "data_admin"):
        client.force_login(people_in_two_wards[who])
        page = client.get(reverse("wards:priority-detail", args=[world["priority"].pk])).content.decode()
        assert "1 case" in page
        assert case.reference not in page and case.resident.full_name not in page and case.summary not in page


class _FormValues(HTMLParser):
    """What a browser would send back from the page's main POST form, untouched."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea, self._in_post_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post_form = a.get("method") == "post" and "novalidate" in a
        if not self._in_post_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "on")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_post_form = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def as_rendered(client, url) -> dict:
    parser = _FormValues()
    parser.feed(client.get(url).content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


@pytest.mark.parametrize("url_name,key", [("wards:figure-edit", "figure"), ("wards:briefing-edit", "briefing"),
                                          ("wards:funding-award-edit", "award"), ("wards:place-edit", "place"),
                                          ("wards:priority-edit", "priority"),
                                          ("wards:funding-scheme-edit", "scheme")])
def test_an_edit_form_sent_back_as_it_was_shown_saves_without_changing_anything(
        client, world, people_in_two_wards, url_name, key):
    obj = world[key]
    Award = type(world["award"])
    Award.objects.filter(pk=world["award"].pk).update(status=S.PAID, monitoring_due_on=TODAY() + 30 * DAY,
                                                      applied_on=TODAY() - 9 * DAY, decided_on=TODAY() - 3 * DAY)
    obj.refresh_from_db()
    client.force_login(people_in_two_wards["data_admin"])
    url = reverse(url_name, args=[obj.pk])
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    response = client.post(url, as_rendered(client, url))
    assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    after = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    assert {k: v for k, v in after.items() if k != "updated_at"} == {k: v for k, v in before.items()
                                                                     if k != "updated_at"}


def test_a_new_briefing_and_award_accept_the_dates_they_are_offered(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    offered = as_rendered(client, reverse("wards:briefing-create"))
    assert offered["publish_on"] == TODAY().strftime("%d/%m/%Y")
    url = reverse("wards:funding-award-create") + f"?ward={world['ward'].pk}"
    offered = as_rendered(client, url)
    offered.update(scheme=world["scheme"].pk, recipient="Group", purpose="Kit", amount="10")
    assert client.post(url, offered).status_code == 302


# ================================================================ the ward list and the ward page

def test_the_ward_list_links_each_ward_and_puts_the_current_arrangement_first(client, people_in_two_wards, db):
    old = WardFactory(name="Old Dalton", valid_from=datetime.date(2004, 6, 10), valid_to=datetime.date(2026, 5, 7))
    new = WardFactory(name="New Dalton", valid_from=datetime.date(2026, 5, 7))
    client.force_login(people_in_two_wards["liaison"])
    page = client.get(reverse("wards:list")).content.decode()
    assert reverse("wards:detail", args=[old.pk]) in page and reverse("wards:detail", args=[new.pk]) in page
    order = [page.index(text) for text in ("Current wards", "New Dalton", "Earlier wards", "Old Dalton")]
    assert order == sorted(order)
    assert "No longer in use" in page


def test_wards_whose_end_date_passed_with_nothing_newer_are_still_current_and_say_so(client, people_in_two_wards):
    Ward.objects.filter(name__in=["Dalton", "Batley East"]).update(valid_to=TODAY() - DAY)
    client.force_login(people_in_two_wards["data_admin"])
    page = client.get(reverse("wards:list")).content.decode()
    assert "Current wards" in page and "no newer wards have been loaded" in page
    assert "Earlier wards" not in page


def test_a_ward_page_says_when_its_boundaries_are_no_longer_or_not_yet_in_use(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    old, new = "no longer in use", "come into force"
    Ward.objects.filter(pk=ward.pk).update(valid_to=TODAY() - DAY)  # ended, and nothing newer loaded
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    assert old not in page and new not in page
    future = WardFactory(name="New Dalton", valid_from=TODAY() + 30 * DAY)
    assert new in client.get(reverse("wards:detail", args=[future.pk])).content.decode()
    WardFactory(name="Newer Dalton", valid_from=TODAY() - DAY)
    assert old in client.get(reverse("wards:detail", args=[ward.pk])).content.decode()


def test_the_ward_page_shows_figures_with_their_source_and_age_and_the_latest_of_each(
        client, ward, people_in_two_wards):
    WardFigureFactory(ward=ward, name="Population", value=Decimal("17000"), source="Census 2011",
                      as_of=datetime.date(2011, 3, 27))
    WardFigureFactory(ward=ward, name="IMD decile", value=Decimal("1"), source="IoD 2019",
                      as_of=TODAY().replace(year=TODAY().year - 5) - DAY)
    WardFigureFactory(ward=ward, name="Population", value=Decimal("17842"), source="ONS mid-year 2023",
                      as_of=TODAY().replace(year=TODAY().year - 3) - DAY)
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    assert "17,842" in page and "ONS mid-year 2023" in page and "3 years old" in page
    assert "Census 2011" not in page  # only the newest of each figure on the ward page
    assert page.count("May be out of date") == 1  # the IMD decile, over 5 years old


@pytest.mark.parametrize("as_of,today,words", [
    (datetime.date(2023, 6, 30), datetime.date(2026, 11, 25), "3 years old"),
    (datetime.date(2025, 11, 25), datetime.date(2026, 11, 25), "1 year old"),
    (datetime.date(2026, 6, 30), datetime.date(2026, 11, 25), "4 months old"),
    (datetime.date(2026, 10, 26), datetime.date(2026, 11, 25), "less than a month old"),
    (datetime.date(2026, 10, 25), datetime.date(2026, 11, 25), "1 month old"),
])
def test_a_figures_age_is_said_as_people_say_it(as_of, today, words):
    assert age_in_words(as_of, today) == words


def test_the_ward_page_brings_the_wards_intelligence_together(client, world, people_in_two_wards, liaison):
    ward = world["ward"]
    officer = OfficerFactory(full_name="Priya Patel", wards=[ward])
    meeting = WardMeetingFactory(ward=ward, title="Autumn ward solution meeting", created_by=liaison)
    MeetingActionFactory(meeting=meeting, description="Survey the back lanes")
    BriefingFactory(ward=None, title="For everyone", author=liaison)
    BriefingFactory(ward=world["ward"], title="Long gone", author=liaison, publish_on=TODAY() - 30 * DAY,
                    expires_on=TODAY() - 2 * DAY)
    client.force_login(people_in_two_wards["other_councillor"])
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    for text in ["Moldgreen", "Population", world["priority"].title, "Road closure", "For everyone",
                 officer.full_name, meeting.title, "Survey the back lanes", "Ward Members’ Fund", "£1,000.00"]:
        assert text in page, text
    assert "Long gone" not in page


# ================================================================ places

def test_the_data_admin_adds_and_renames_a_place(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:place-create", args=[ward.pk]), {"name": "  Rawthorpe  ", "kind": "estate"})
    assert response.status_code == 302
    place = Place.objects.get(ward=ward)
    assert place.name == "Rawthorpe" and place.kind == "estate"
    client.post(reverse("wards:place-edit", args=[place.pk]), {"name": "Rawthorpe estate", "kind": "estate"})
    place.refresh_from_db()
    assert place.name == "Rawthorpe estate"


@pytest.mark.parametrize("data,field,message", [
    ({"name": "", "kind": "estate"}, "name", "Enter the name of the place"),
    ({"name": "x" * 101, "kind": "estate"}, "name", "Name of the place must be 100 characters or fewer"),
    ({"name": "moldgreen", "kind": "estate"}, "name", "There is already a place with this name in Dalton"),
    ({"name": "Rawthorpe", "kind": "castle"}, "kind", "Choose what kind of place it is"),
])
def test_a_bad_place_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, data, field, message):
    PlaceFactory(ward=ward, name="Moldgreen")
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:place-create", args=[ward.pk]), data)
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert message in response.content.decode()  # in the error summary and beside the field
    assert Place.objects.count() == 1


def test_the_same_place_name_may_be_used_in_another_ward(client, ward, other_ward, people_in_two_wards):
    PlaceFactory(ward=ward, name="Moldgreen")
    client.force_login(people_in_two_wards["data_admin"])
    client.post(reverse("wards:place-create", args=[other_ward.pk]), {"name": "Moldgreen", "kind": "village"})
    assert Place.objects.filter(name="Moldgreen").count() == 2


def test_the_place_service_refuses_a_duplicate_even_without_the_form(ward, data_admin):
    PlaceFactory(ward=ward, name="Moldgreen")
    with pytest.raises(ValidationError):
        place_create(by=data_admin, ward=ward, name="MOLDGREEN")
    assert Place.objects.count() == 1


def test_a_councillor_cannot_add_a_place_through_the_service(ward, owner):
    with pytest.raises(PermissionDenied):
        place_create(by=owner.user, ward=ward, name="Rawthorpe")


# ================================================================ profile figures

def figure_data(**overrides):
    data = {"name": "Population", "value": "17842", "unit": "people", "source": "ONS mid-year estimates",
            "as_of": "30/06/2023"}
    data.update(overrides)
    return data


def test_the_data_admin_adds_edits_and_deletes_a_figure(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    assert client.post(reverse("wards:figure-create", args=[ward.pk]), figure_data()).status_code == 302
    figure = WardFigure.objects.get()
    assert figure.value == Decimal("17842") and figure.as_of == datetime.date(2023, 6, 30)
    client.post(reverse("wards:figure-edit", args=[figure.pk]), figure_data(value="17900.5"))
    figure.refresh_from_db()
    assert figure.value == Decimal("17900.50")
    assert client.post(reverse("wards:figure-delete", args=[figure.pk])).status_code == 302
    assert not WardFigure.objects.exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"name": ""}, "name", "Enter the name of the figure"),
    ({"value": ""}, "value", "Enter the value"),
    ({"value": "lots"}, "value", "Enter the value as a number, like 17250 or 4.5"),
    ({"value": "1.234"}, "value", "Enter the value to no more than 2 decimal places"),
    ({"source": ""}, "source", "Enter where the figure comes from"),
    ({"source": "x" * 201}, "source", "Source must be 200 characters or fewer"),
    ({"as_of": "31/02/2023"}, "as_of", "Enter a real date, like 30/6/2023"),
    ({"as_of": "01/01/2999"}, "as_of", "The date must be today or in the past"),
    ({"name": "population"}, "as_of",
     "Dalton already has a figure called population as of this date: edit that one instead"),
])
def test_a_bad_figure_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    WardFigureFactory(ward=ward, name="Population", as_of=datetime.date(2023, 6, 30), value=Decimal("1"))
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:figure-create", args=[ward.pk]), figure_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert WardFigure.objects.count() == 1 and WardFigure.objects.get().value == Decimal("1")


# ================================================================ priorities

def priority_data(**overrides):
    data = {"title": "Safer routes to school", "place": "", "description": "Speeding traffic",
            "outcome_sought": "A crossing", "status": "proposed"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", "Enter a title for the priority"),
    ({"title": "x" * 151}, "title", "Title must be 150 characters or fewer"),
    ({"description": "x" * 3001}, "description", "What the priority is must be 3000 characters or fewer"),
    ({"outcome_sought": ""}, "outcome_sought", "Enter the outcome sought"),
    ({"status": "achieved"}, "status", "Choose whether work has started"),
])
def test_a_bad_priority_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-create") + f"?ward={ward.pk}", priority_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert not Priority.objects.exists()


def test_a_priority_cannot_be_for_a_place_in_another_ward(client, ward, other_ward, people_in_two_wards):
    elsewhere = PlaceFactory(ward=other_ward, name="Chickenley")
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-create") + f"?ward={ward.pk}", priority_data(place=elsewhere.pk))
    assert errors_of(response)["place"] == ["Choose a place from the list"]
    assert not Priority.objects.exists()
    with pytest.raises(ValidationError):
        priority_create(by=people_in_two_wards["liaison"], ward=ward, place=elsewhere, title="x",
                                       description="y", outcome_sought="z")


def test_progress_moves_a_priority_from_proposed_to_active_to_achieved_newest_first(client, world, people_in_two_wards):
    priority = PriorityFactory(ward=world["ward"], status=PS.PROPOSED)
    client.force_login(people_in_two_wards["councillor"])
    url = reverse("wards:priority-update-add", args=[priority.pk])
    assert client.post(url, {"text": "Work has begun", "status": "active"}).status_code == 302
    assert client.post(url, {"text": "Crossing installed", "status": "achieved"}).status_code == 302
    priority.refresh_from_db()
    assert priority.status == PS.ACHIEVED
    assert [u.status for u in priority.updates.all()] == [PS.ACHIEVED, PS.ACTIVE]
    page = client.get(reverse("wards:priority-detail", args=[priority.pk])).content.decode()
    assert page.index("Crossing installed") < page.index("Work has begun")


@pytest.mark.parametrize("start,move,message", [
    (PS.PROPOSED, PS.ACHIEVED, "A priority that is proposed can only become active or dropped"),
    (PS.ACHIEVED, PS.ACTIVE, "This priority is achieved: it cannot become active again"),
    (PS.DROPPED, PS.PROPOSED, "This priority is dropped: it cannot become proposed again"),
    (PS.ACTIVE, PS.PROPOSED, "A priority that is active can only become achieved or dropped"),
])
def test_an_illegal_status_move_is_refused_with_a_message(client, ward, people_in_two_wards, start, move, message):
    priority = PriorityFactory(ward=ward, status=start)
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-update-add", args=[priority.pk]), {"text": "x", "status": move})
    assert response.status_code == 200
    assert errors_of(response, "update_form")["status"] == [message]
    assert message in response.content.decode()
    priority.refresh_from_db()
    assert priority.status == start and not priority.updates.exists()


def test_the_service_refuses_an_illegal_move_that_skips_the_form(ward, liaison):
    priority = PriorityFactory(ward=ward, status=PS.PROPOSED)
    with pytest.raises(ValidationError):
        priority_add_update(priority=priority, by=liaison, text="x", status=PS.ACHIEVED)
    assert not PriorityUpdate.objects.exists()


@pytest.mark.parametrize("data,message", [
    ({"text": "", "status": "active"}, "Enter the progress made"),
    ({"text": "x" * 2001, "status": "active"}, "Progress must be 2000 characters or fewer"),
    ({"text": "x", "status": ""}, "Choose the status after this update"),
])
def test_a_bad_progress_update_is_refused(client, ward, people_in_two_wards, data, message):
    priority = PriorityFactory(ward=ward, status=PS.ACTIVE)
    client.force_login(people_in_two_wards["councillor"])
    response = client.post(reverse("wards:priority-update-add", args=[priority.pk]), data)
    assert message in sum(errors_of(response, "update_form").values(), [])
    assert not PriorityUpdate.objects.exists()


def test_editing_a_priority_keeps_its_status(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    priority = world["priority"]
    client.post(reverse("wards:priority-edit", args=[priority.pk]),
                priority_data(title="Renamed", status="proposed"))
    priority.refresh_from_db()
    assert priority.title == "Renamed" and priority.status == PS.ACTIVE


def test_the_priority_list_filters_by_ward_and_status(client, ward, other_ward, people_in_two_wards):
    PriorityFactory(ward=ward, title="Dalton active", status=PS.ACTIVE)
    PriorityFactory(ward=ward, title="Dalton dropped", status=PS.DROPPED)
    PriorityFactory(ward=other_ward, title="Batley active", status=PS.ACTIVE)
    client.force_login(people_in_two_wards["liaison"])
    page = client.get(reverse("wards:priorities"), {"ward": ward.pk, "status": "active"}).content.decode()
    assert "Dalton active" in page and "Dalton dropped" not in page and "Batley active" not in page
    page = client.get(reverse("wards:priorities")).content.decode()
    assert all(title in page for title in ("Dalton active", "Dalton dropped", "Batley active"))


def test_a_councillor_lands_on_their_own_wards_priorities(client, ward, other_ward, people_in_two_wards):
    PriorityFactory(ward=ward, title="Dalton's")
    PriorityFactory(ward=other_ward, title="Batley's")
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:priorities")).content.decode()
    assert "Dalton&#x27;s" in page and "Batley&#x27;s" not in page


def test_the_priority_page_lists_its_funding_and_meetings(client, world, people_in_two_wards, liaison):
    meeting = WardMeetingFactory(ward=world["ward"], title="Spring meeting", created_by=liaison)
    meeting.priorities.add(world["priority"])
    client.force_login(people_in_two_wards["manager"])
    page = client.get(reverse("wards:priority-detail", args=[world["priority"].pk])).content.decode()
    assert "Spring meeting" in page and world["award"].recipient in page


# ================================================================ briefings

def briefing_data(ward_=None, /, **overrides):
    data = {"ward": ward_.pk if ward_ else "", "title": "Road closure", "text": "Wakefield Road is shut",
            "link": "", "publish_on": d(TODAY()), "expires_on": d(TODAY() + 14 * DAY)}
    data.update(overrides)
    return data


def test_the_liaison_team_publishes_a_briefing_with_a_file_kept_under_a_random_name(client, ward, people_in_two_wards,
                                                                                    private_storage):
    client.force_login(people_in_two_wards["liaison"])
    upload = SimpleUploadedFile("Ward plan (final).pdf", PDF, "application/pdf")
    response = client.post(reverse("wards:briefing-create"),
                           briefing_data(ward, key_issue="on", link="www.kirklees.gov.uk", upload=upload))
    assert response.status_code == 302
    briefing = Briefing.objects.get()
    assert briefing.key_issue and briefing.author == people_in_two_wards["liaison"]
    assert briefing.link == "https://www.kirklees.gov.uk"
    assert briefing.file_name == "Ward plan (final).pdf"
    assert "Ward plan" not in briefing.file.name and briefing.file.name.startswith("briefings/")
    assert (private_storage / briefing.file.name).read_bytes() == PDF

    client.force_login(people_in_two_wards["other_councillor"])
    download = client.get(reverse("wards:briefing-file", args=[briefing.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "Ward plan (final).pdf" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


def test_replacing_or_removing_a_briefings_file(client, world, people_in_two_wards, private_storage,
                                                django_capture_on_commit_callbacks):
    briefing = world["briefing"]
    old = private_storage / briefing.file.name
    assert old.exists()
    client.force_login(people_in_two_wards["liaison"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wards:briefing-edit", args=[briefing.pk]), briefing_data(
            world["ward"], upload=SimpleUploadedFile("photo.png", PNG, "image/png")))
    briefing.refresh_from_db()
    assert briefing.file_name == "photo.png" and not old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wards:briefing-edit", args=[briefing.pk]), briefing_data(world["ward"], remove_file="on"))
    briefing.refresh_from_db()
    assert not briefing.file and briefing.file_name == ""


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": "", "text": ""}, "title", "Enter a title for the briefing"),
    ({"text": ""}, "text", "Enter the briefing"),
    ({"text": "x" * 1001}, "text", "The briefing must be 1000 characters or fewer, to keep it bite-size "
                                   "(it has 1001): link to the detail instead"),
    ({"title": "x" * 121}, "title", "Title must be 120 characters or fewer"),
    ({"expires_on": ""}, "expires_on", "Enter the expiry date"),
    ({"expires_on": d(TODAY() - DAY)}, "expires_on", "The expiry date must be after the publish date"),
    ({"expires_on": d(TODAY())}, "expires_on", "The expiry date must be after the publish date"),
    ({"publish_on": "tomorrow"}, "publish_on", "Enter a real date, like 14/10/2026"),
    ({"link": "not a link"}, "link", "Enter a web address, like https://www.kirklees.gov.uk/"),
    ({"ward": "999999"}, "ward", "Choose a ward from the list"),
])
def test_a_bad_briefing_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:briefing-create"), briefing_data(ward, **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert not Briefing.objects.exists()


def test_line_breaks_count_once_towards_the_briefing_limit(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["liaison"])
    text = ("x" * 99 + "\r\n") * 10  # 1000 characters as the user sees them; 1010 as the browser sends them
    assert client.post(reverse("wards:briefing-create"), briefing_data(ward, text=text)).status_code == 302


@pytest.mark.parametrize("name,content,message", [
    ("notes.pdf", b"#!/bin/sh\necho this is not a PDF\n", "The selected file must be a PDF, an Office document"),
    ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "The selected file must be"),
    ("page.html", b"<html><script>alert(1)</script></html>", "The selected file must be"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_a_briefing_file_of_the_wrong_type_by_content_is_refused(
        client, ward, people_in_two_wards, private_storage, name, content, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:briefing-create"), briefing_data(
        ward, upload=SimpleUploadedFile(name, content, "application/pdf")))
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)["upload"])
    assert not Briefing.objects.exists() and not any(private_storage.rglob("*"))


def test_an_oversize_briefing_file_is_refused(client, ward, people_in_two_wards, private_storage, monkeypatch):
    monkeypatch.setattr(briefing_services, "BRIEFING_FILE_MAX_BYTES", 1024 * 1024)
    client.force_login(people_in_two_wards["liaison"])
    big = PDF + b"\x00" * (1024 * 1024)
    response = client.post(reverse("wards:briefing-create"), briefing_data(
        ward, upload=SimpleUploadedFile("big.pdf", big, "application/pdf")))
    assert errors_of(response)["upload"] == ["The selected file must be smaller than 1 MB"]
    assert not Briefing.objects.exists() and not any(private_storage.rglob("*"))


def test_the_briefing_service_refuses_expiry_before_publish_and_councillors(ward, liaison, owner):
    with pytest.raises(ValidationError):
        briefing_create(by=liaison, ward=ward, title="x", text="y", publish_on=TODAY(),
                                       expires_on=TODAY() - DAY)
    with pytest.raises(PermissionDenied):
        briefing_create(by=owner.user, ward=ward, title="x", text="y", publish_on=TODAY(),
                                       expires_on=TODAY() + DAY)
    assert not Briefing.objects.exists()


def test_current_briefings_are_the_wards_and_all_wards_published_and_not_expired_key_issues_first(
        ward, other_ward, liaison):
    today = TODAY()
    mine = BriefingFactory(ward=ward, title="Mine", publish_on=today - 3 * DAY, author=liaison)
    everyone = BriefingFactory(ward=None, title="Everyone", publish_on=today - DAY, author=liaison)
    key = BriefingFactory(ward=ward, title="Key", key_issue=True, publish_on=today - 10 * DAY, author=liaison)
    last_day = BriefingFactory(ward=ward, title="Last day", publish_on=today - 5 * DAY, expires_on=today,
                               author=liaison)
    starts_today = BriefingFactory(ward=None, title="Starts today", publish_on=today, author=liaison)
    BriefingFactory(ward=ward, title="Expired", publish_on=today - 9 * DAY, expires_on=today - DAY, author=liaison)
    BriefingFactory(ward=ward, title="Scheduled", publish_on=today + DAY, author=liaison)
    BriefingFactory(ward=other_ward, title="Elsewhere", author=liaison)
    current = list(current_briefings_for_ward(ward, today))
    assert current == [key, starts_today, everyone, mine, last_day]
    # Elsewhere and Everyone were published the same day: the newer record first.
    assert [b.title for b in current_briefings_for_ward(other_ward, today)] == [
        "Starts today", "Elsewhere", "Everyone"]


def test_the_briefing_list_separates_current_scheduled_and_expired(client, ward, people_in_two_wards, liaison):
    BriefingFactory(ward=ward, title="Now showing", author=liaison)
    BriefingFactory(ward=None, title="Coming soon", publish_on=TODAY() + 3 * DAY, author=liaison)
    BriefingFactory(ward=ward, title="Over", publish_on=TODAY() - 9 * DAY, expires_on=TODAY() - DAY, author=liaison)
    client.force_login(people_in_two_wards["manager"])
    pages = {state: client.get(reverse("wards:briefings"), {"show": state}).content.decode()
             for state in ("current", "scheduled", "expired")}
    assert "Now showing" in pages["current"] and "Coming soon" not in pages["current"]
    assert "Coming soon" in pages["scheduled"] and "Over" not in pages["scheduled"]
    assert "Over" in pages["expired"] and "Now showing" not in pages["expired"]
    assert "Current (1)" in pages["current"] and "Scheduled (1)" in pages["current"]


def test_deleting_a_briefing_removes_its_file(client, world, people_in_two_wards, private_storage,
                                              django_capture_on_commit_callbacks):
    path = private_storage / world["briefing"].file.name
    client.force_login(people_in_two_wards["liaison"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("wards:briefing-delete", args=[world["briefing"].pk])).status_code == 302
    assert not Briefing.objects.exists() and not path.exists()


# ================================================================ funding

def award_data(scheme_, /, **overrides):
    data = {"scheme": scheme_.pk, "recipient": "Moldgreen Community Café", "purpose": "Fit-out", "amount": "£1,500.50",
            "place": "", "priority": "", "status": "applied", "applied_on": d(TODAY() - 5 * DAY),
            "decided_on": "", "monitoring_due_on": ""}
    data.update(overrides)
    return data


def test_the_data_admin_records_an_award_and_moves_it_forward_one_step_at_a_time(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    ward, scheme = world["ward"], world["scheme"]
    response = client.post(reverse("wards:funding-award-create") + f"?ward={ward.pk}",
                           award_data(scheme, place=world["place"].pk, priority=world["priority"].pk))
    award = FundingAward.objects.get(recipient="Moldgreen Community Café")
    assert response.status_code == 302 and award.amount == Decimal("1500.50") and award.status == S.APPLIED
    status_url = reverse("wards:funding-award-status", args=[award.pk])
    assert client.post(status_url, {"status": "approved"}).status_code == 302
    award.refresh_from_db()
    assert award.status == S.APPROVED and award.decided_on == TODAY()
    client.post(status_url, {"status": "paid", "monitoring_due_on": d(TODAY() + 90 * DAY)})
    client.post(status_url, {"status": "monitoring_due"})
    client.post(status_url, {"status": "closed"})
    award.refresh_from_db()
    assert award.status == S.CLOSED and award.monitoring_due_on == TODAY() + 90 * DAY


@pytest.mark.parametrize("overrides,field,message", [
    ({"amount": "-50"}, "amount", "Enter an amount more than £0"),
    ({"amount": "0"}, "amount", "Enter an amount more than £0"),
    ({"amount": "lots"}, "amount", "Enter the amount in pounds, like 1500 or 1500.50"),
    ({"amount": "10.505"}, "amount", "Enter the amount to the nearest penny, like 1500.50"),
    ({"amount": "100000000"}, "amount", "Enter an amount less than £100,000,000"),
    ({"amount": ""}, "amount", "Enter the amount"),
    ({"recipient": ""}, "recipient", "Enter the recipient organisation"),
    ({"recipient": "x" * 201}, "recipient", "Recipient organisation must be 200 characters or fewer"),
    ({"scheme": ""}, "scheme", "Choose the funding scheme"),
    ({"status": "paid", "decided_on": d(TODAY() - DAY)}, "monitoring_due_on",
     "Enter the date the monitoring report is due: it is needed once an award is paid"),
    ({"status": "approved"}, "decided_on", "Enter the date the award was decided"),
    ({"status": "approved", "decided_on": d(TODAY() - 30 * DAY)}, "decided_on",
     "The decision date must be on or after the date applied"),
    ({"status": "approved", "decided_on": d(TODAY() + 3 * DAY)}, "decided_on",
     "The decision date must be today or in the past"),
    ({"status": "sent"}, "status", "Choose the award’s status"),
])
def test_a_bad_award_is_refused_with_a_message_and_nothing_written(
        client, world, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-create") + f"?ward={world['ward'].pk}",
                           award_data(world["scheme"], **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert FundingAward.objects.count() == 1


def test_an_award_cannot_be_for_another_wards_place_or_priority(world, other_ward, data_admin):
    elsewhere = PriorityFactory(ward=other_ward)
    with pytest.raises(ValidationError) as refused:
        funding_award_create(
            by=data_admin, scheme=world["scheme"], ward=world["ward"], recipient="x", purpose="y",
            amount=Decimal("10"), applied_on=TODAY(), priority=elsewhere, place=PlaceFactory(ward=other_ward))
    assert set(refused.value.message_dict) == {"priority", "place"}
    with pytest.raises(ValidationError):
        funding_award_create(by=data_admin, scheme=world["scheme"], ward=world["ward"],
                                            recipient="x", purpose="y", amount=Decimal("-1"), applied_on=TODAY())
    assert FundingAward.objects.count() == 1


@pytest.mark.parametrize("start,move,message", [
    (S.APPLIED, S.PAID, "An award that is applied can only move on to approved"),
    (S.APPROVED, S.CLOSED, "An award that is approved can only move on to paid"),
    (S.PAID, S.APPROVED, "An award’s status only moves forward: this one is paid, so it cannot go back to approved"),
    (S.MONITORING_DUE, S.APPLIED, "An award’s status only moves forward: this one is monitoring due, "
                                  "so it cannot go back to applied"),
    (S.CLOSED, S.MONITORING_DUE, "This award is closed: its status cannot change"),
    (S.APPROVED, S.APPROVED, "This award is already approved"),
])
def test_an_illegal_award_status_move_is_refused_with_a_message(
        client, world, people_in_two_wards, start, move, message):
    award = FundingAwardFactory(scheme=world["scheme"], ward=world["ward"], status=start, decided_on=TODAY(),
                                monitoring_due_on=TODAY() + 30 * DAY)
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-status", args=[award.pk]), {"status": move})
    assert response.status_code == 200
    assert errors_of(response, "status_form")["status"] == [message]
    award.refresh_from_db()
    assert award.status == start
    with pytest.raises(ValidationError):
        funding_award_set_status(award=award, by=people_in_two_wards["data_admin"], status=move)


def test_paying_an_award_needs_the_monitoring_report_due_date(client, world, people_in_two_wards):
    award = world["award"]
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-status", args=[award.pk]), {"status": "paid"})
    assert errors_of(response, "status_form")["monitoring_due_on"] == [
        "Enter the date the monitoring report is due: it is needed once an award is paid"]
    award.refresh_from_db()
    assert award.status == S.APPROVED
    with pytest.raises(ValidationError):
        funding_award_set_status(award=award, by=people_in_two_wards["data_admin"], status=S.PAID)


def test_editing_an_award_keeps_its_status_and_a_new_due_date_earns_a_new_reminder(client, world, people_in_two_wards):
    award = FundingAwardFactory(scheme=world["scheme"], ward=world["ward"], status=S.MONITORING_DUE,
                                decided_on=TODAY() - 20 * DAY, applied_on=TODAY() - 30 * DAY,
                                monitoring_due_on=TODAY(), monitoring_reminded_on=TODAY() - 5 * DAY)
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-edit", args=[award.pk]), award_data(
        world["scheme"], amount="900", applied_on=d(award.applied_on), decided_on=d(award.decided_on),
        monitoring_due_on=d(TODAY() + 60 * DAY), status="applied"))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == S.MONITORING_DUE and award.amount == Decimal("900")
    assert award.monitoring_reminded_on is None


@pytest.mark.parametrize("data,message", [
    ({"name": ""}, "Enter the name of the scheme"),
    ({"name": "ward members’ fund"}, "There is already a funding scheme with this name"),
    ({"name": "x" * 151}, "Name of the scheme must be 150 characters or fewer"),
])
def test_a_bad_funding_scheme_is_refused(client, world, people_in_two_wards, data, message):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-scheme-create"), data)
    assert message in errors_of(response)["name"]
    assert FundingScheme.objects.count() == 1


def test_the_data_admin_adds_and_closes_a_scheme(client, people_in_two_wards, db):
    client.force_login(people_in_two_wards["data_admin"])
    client.post(reverse("wards:funding-scheme-create"), {"name": "Community Grants", "is_open": "on"})
    scheme = FundingScheme.objects.get()
    assert scheme.is_open
    client.post(reverse("wards:funding-scheme-edit", args=[scheme.pk]), {"name": "Community Grants"})
    scheme.refresh_from_db()
    assert not scheme.is_open


# ---------------------------------------------------------------- funding totals

@pytest.fixture
def money(ward, other_ward):
    """Awards with hand-computed totals. The financial year 2026–27 runs 1 April 2026 to 31 March 2027."""
    x, y = FundingSchemeFactory(name="X fund"), FundingSchemeFactory(name="Y fund")

    def award(scheme, ward_, amount, status, decided):
        return FundingAwardFactory(scheme=scheme, ward=ward_, amount=Decimal(amount), status=status,
                                   applied_on=datetime.date(2025, 1, 1), decided_on=decided,
                                   monitoring_due_on=datetime.date(2027, 6, 1) if status not in (
                                       S.APPLIED, S.APPROVED) else None)

    award(x, ward, "1000.00", S.APPROVED, datetime.date(2026, 4, 1))         # first day of the year
    award(x, ward, "250.50", S.PAID, datetime.date(2027, 3, 31))             # last day of the year
    award(y, ward, "400.00", S.CLOSED, datetime.date(2026, 3, 31))           # the year before
    award(y, ward, "999.00", S.APPLIED, None)                                # not decided: not awarded
    award(y, ward, "100.00", S.MONITORING_DUE, datetime.date(2026, 6, 15))
    award(x, other_ward, "5000.00", S.PAID, datetime.date(2026, 5, 1))
    return x, y


def test_the_financial_year_runs_from_april_to_march():
    assert financial_year(datetime.date(2026, 11, 25)) == (datetime.date(2026, 4, 1),
                                                                           datetime.date(2027, 3, 31))
    assert financial_year(datetime.date(2027, 3, 31)) == (datetime.date(2026, 4, 1),
                                                                          datetime.date(2027, 3, 31))
    assert financial_year(datetime.date(2026, 4, 1))[0] == datetime.date(2026, 4, 1)
    assert financial_year_label(datetime.date(2026, 1, 10)) == "2025–26"


def test_funding_awarded_in_the_year_is_what_was_decided_in_that_financial_year(money, ward):
    awards = list(funding_awarded_in_year(ward, datetime.date(2026, 11, 25)))
    assert sorted(a.amount for a in awards) == [Decimal("100.00"), Decimal("250.50"), Decimal("1000.00")]
    assert sum(a.amount for a in awards) == Decimal("1350.50")
    earlier = list(funding_awarded_in_year(ward, datetime.date(2026, 3, 31)))
    assert [a.amount for a in earlier] == [Decimal("400.00")]


def test_ward_funding_totals_match_the_hand_computed_figures(money, ward, django_assert_num_queries):
    x, y = money
    with django_assert_num_queries(2):
        summary = funding_summary_for_ward(ward, datetime.date(2026, 11, 25))
    assert (summary.year_total, summary.year_count) == (Decimal("1350.50"), 3)
    assert summary.all_total == Decimal("1750.50")
    assert (summary.applied_total, summary.applied_count) == (Decimal("999.00"), 1)
    by_scheme = {row["scheme__name"]: row for row in summary.by_scheme}
    assert (by_scheme["X fund"]["year_total"], by_scheme["X fund"]["all_total"]) == (Decimal("1250.50"),
                                                                                     Decimal("1250.50"))
    assert (by_scheme["Y fund"]["year_total"], by_scheme["Y fund"]["all_total"],
            by_scheme["Y fund"]["applied_total"]) == (Decimal("100.00"), Decimal("500.00"), Decimal("999.00"))


def test_totals_by_ward_and_by_scheme_match_the_hand_computed_figures(money, ward, other_ward):
    today = datetime.date(2026, 11, 25)
    by_ward = {row["ward__name"]: (row["total"], row["awards"])
               for row in funding_totals_by_ward(today)}
    assert by_ward == {"Dalton": (Decimal("1350.50"), 3), "Batley East": (Decimal("5000.00"), 1)}
    by_scheme = {s.name: (s.year_total, s.all_total, s.applied_total) for s in
                 funding_totals_by_scheme(today)}
    assert by_scheme == {"X fund": (Decimal("6250.50"), Decimal("6250.50"), Decimal("0.00")),
                         "Y fund": (Decimal("100.00"), Decimal("500.00"), Decimal("999.00"))}
    assert funding_year_total(today) == {"total": Decimal("6350.50"), "awards": 4}


def test_the_funding_page_shows_a_chosen_financial_years_totals(client, money, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:funding"), {"year": "2026"}).content.decode()
    assert "2026–27" in page and "£6,350.50" in page and "£1,350.50" in page
    page = client.get(reverse("wards:funding"), {"year": "2025"}).content.decode()
    assert "2025–26" in page and "£400.00" in page


# ---------------------------------------------------------------- monitoring reminders

@pytest.fixture
def due_soon(world, ward, other_ward, colleague):
    """Awards around the 5-day horizon, and who should hear of them."""
    today = TODAY()

    def award(status, due, ward_=ward, **kw):
        return FundingAwardFactory(scheme=world["scheme"], ward=ward_, status=status, decided_on=today - 40 * DAY,
                                   applied_on=today - 50 * DAY, monitoring_due_on=due, **kw)

    return {
        "in_5_days": award(S.PAID, today + 5 * DAY),
        "overdue": award(S.PAID, today - 3 * DAY),
        "marked_by_hand": award(S.MONITORING_DUE, today + 2 * DAY),
        "in_6_days": award(S.PAID, today + 6 * DAY),
        "not_paid": award(S.APPROVED, today + DAY),
        "already_reminded": award(S.MONITORING_DUE, today, monitoring_reminded_on=today - 7 * DAY),
        "closed": award(S.CLOSED, today),
        "elsewhere": award(S.PAID, today + DAY, ward_=other_ward),
    }


def test_the_monitoring_job_marks_awards_due_within_5_days_and_notifies_once(
        due_soon, people_in_two_wards, data_admin, owner, colleague, liaison, manager):
    second_admin = UserFactory(role=User.Role.WARD_DATA_ADMIN)
    retired = CouncillorFactory(ward=owner.ward, term_end=TODAY() - 30 * DAY)
    assert funding_monitoring_reminders_send() == 4
    assert funding_monitoring_reminders_send() == 0  # running twice notifies once

    def status(name):
        due_soon[name].refresh_from_db()
        return due_soon[name].status, due_soon[name].monitoring_reminded_on

    for name in ("in_5_days", "overdue", "marked_by_hand", "elsewhere"):
        assert status(name) == (S.MONITORING_DUE, TODAY()), name
    assert status("in_6_days") == (S.PAID, None)
    assert status("not_paid") == (S.APPROVED, None)
    assert status("already_reminded") == (S.MONITORING_DUE, TODAY() - 7 * DAY)

    notified = {n.user_id: n for n in Notification.objects.filter(kind="funding_monitoring_due")}
    assert Notification.objects.filter(kind="funding_monitoring_due").count() == len(notified)
    assert set(notified) == {data_admin.pk, second_admin.pk, owner.user_id, colleague.user_id,
                             people_in_two_wards["other_councillor"].pk}
    assert retired.user_id not in notified and liaison.pk not in notified and manager.pk not in notified
    assert notified[owner.user_id].title == "Monitoring reports due for 3 funding awards in Dalton"
    assert (notified[people_in_two_wards["other_councillor"].pk].title
            == "Monitoring report due for 1 funding award in Batley East")
    assert notified[data_admin.pk].title == "Monitoring reports due for 4 funding awards"
    assert due_soon["in_5_days"].recipient in notified[owner.user_id].body
    assert due_soon["elsewhere"].recipient not in notified[owner.user_id].body
    assert notified[owner.user_id].url == (reverse("wards:funding-awards")
                                           + f"?status=monitoring_due&ward={owner.ward_id}")


def test_the_monitoring_job_is_recorded_and_is_a_management_command(due_soon, capsys):
    funding_monitoring_reminders()
    run = JobRun.objects.get(name="funding-monitoring-reminders")
    assert run.ok and run.summary == "4 awards marked monitoring due"
    call_command("send_funding_monitoring_reminders")
    assert "0 awards marked monitoring due" in capsys.readouterr().out
    assert JobRun.objects.filter(name="funding-monitoring-reminders").count() == 2
    # The data admin, the two Dalton councillors and the one in Batley East: each told once.
    assert Notification.objects.filter(kind="funding_monitoring_due").count() == 4


def test_the_monitoring_job_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["funding-monitoring-reminders"]
    assert entry["task"] == "wards.tasks.funding_monitoring_reminders"


def test_the_monitoring_job_with_nothing_due_sends_nothing(world, db):
    with CaptureQueriesContext(connection) as captured:
        assert funding_monitoring_reminders_send() == 0
    assert [q["sql"].split()[0] for q in captured if "SAVEPOINT" not in q["sql"]] == ["UPDATE"]
    assert not Notification.objects.exists()


# ================================================================ CSV exports

def test_the_exports_carry_each_list(client, world, people_in_two_wards, other_ward):
    PlaceFactory(ward=other_ward, name="Chickenley")
    client.force_login(people_in_two_wards["councillor"])
    ward = world["ward"]
    places = csv_rows(client.get(reverse("wards:places-export"), {"ward": ward.pk}))
    assert places == [["ward", "name", "kind"], ["Dalton", "Moldgreen", "neighbourhood"]]
    assert len(csv_rows(client.get(reverse("wards:places-export")))) == 3

    figures = csv_rows(client.get(reverse("wards:figures-export")))
    assert figures == [["ward", "name", "value", "unit", "source", "as_of"],
                       ["Dalton", "Population", "17842.00", "people", "ONS", "2023-06-30"]]

    priorities = csv_rows(client.get(reverse("wards:priorities-export"), {"ward": ward.pk}))
    assert priorities[1][1:5] == ["Dalton", "Moldgreen", world["priority"].title, "Active"]
    assert priorities[1][-1].startswith("Progress")

    awards = csv_rows(client.get(reverse("wards:funding-awards-export"), {"status": "approved"}))
    assert awards[1][1:7] == ["Ward Members’ Fund", world["award"].recipient, "Equipment", "1000.00", "Dalton", ""]

    client.force_login(people_in_two_wards["liaison"])
    briefings = csv_rows(client.get(reverse("wards:briefings-export")))
    assert briefings[1][1:4] == ["Dalton", "Road closure", "Wakefield Road shut"]
    assert briefings[1][5] == "closure notice.pdf" and briefings[1][9] == "current"


def test_the_people_finder_export_hides_inactive_officers_from_all_but_the_data_admin(
        client, ward, people_in_two_wards):
    OfficerFactory(full_name="Active Annie", wards=[ward])
    OfficerFactory(full_name="Gone Gary", is_active=False)
    client.force_login(people_in_two_wards["councillor"])
    rows = csv_rows(client.get(reverse("wards:people-export")))
    assert rows[0][:4] == ["email", "full_name", "job_title", "service"]
    assert [r[1] for r in rows[1:]] == ["Active Annie"] and rows[1][5] == "Dalton"
    client.force_login(people_in_two_wards["data_admin"])
    assert [r[1] for r in csv_rows(client.get(reverse("wards:people-export")))[1:]] == ["Active Annie", "Gone Gary"]


def test_an_export_quotes_cells_a_spreadsheet_would_run(client, ward, people_in_two_wards):
    PlaceFactory(ward=ward, name="=HYPERLINK(\"http://evil\")")
    client.force_login(people_in_two_wards["liaison"])
    rows = csv_rows(client.get(reverse("wards:places-export")))
    assert rows[1][1].startswith("'=")


# ================================================================ a fixed number of queries

def fill_ward(ward, liaison, size: int, scheme):
    for n in range(size):
        place = PlaceFactory(ward=ward)
        WardFigureFactory(ward=ward, as_of=datetime.date(2020 + n % 4, 1, 1))
        priority = PriorityFactory(ward=ward, place=place, created_by=liaison, status=PS.ACTIVE)
        for _ in range(2):
            PriorityUpdateFactory(priority=priority, by=liaison)
        BriefingFactory(ward=ward, author=liaison, key_issue=n % 2 == 0)
        FundingAwardFactory(scheme=scheme if n % 2 else FundingSchemeFactory(), ward=ward, priority=priority,
                            status=S.PAID, decided_on=TODAY() - DAY, monitoring_due_on=TODAY() + 60 * DAY)
        officer = OfficerFactory(wards=[ward])
        officer.places.add(place)
        meeting = WardMeetingFactory(ward=ward, created_by=liaison)
        meeting.priorities.add(priority)
        meeting.officers.add(officer)
        MeetingActionFactory(meeting=meeting, owner_officer=officer, due_on=TODAY() + n * DAY)


def test_the_ward_page_runs_the_same_queries_for_a_small_and_a_large_ward(client, people_in_two_wards, liaison):
    small, large = WardFactory(name="Small"), WardFactory(name="Large")
    scheme = FundingSchemeFactory()
    fill_ward(small, liaison, 1, scheme)
    fill_ward(large, liaison, 12, scheme)
    client.force_login(people_in_two_wards["councillor"])
    assert queries_for(client, reverse("wards:detail", args=[small.pk])) == queries_for(
        client, reverse("wards:detail", args=[large.pk]))


@pytest.mark.parametrize("url_name", ["wards:priorities", "wards:funding-awards", "wards:briefings", "wards:funding",
                                      "wards:list"])
def test_a_list_runs_the_same_queries_for_few_and_many_rows(client, people_in_two_wards, liaison, url_name):
    client.force_login(people_in_two_wards["liaison"])
    scheme = FundingSchemeFactory()
    fill_ward(WardFactory(), liaison, 1, scheme)
    few = queries_for(client, reverse(url_name))
    for _ in range(3):
        fill_ward(WardFactory(), liaison, 4, scheme)
    assert queries_for(client, reverse(url_name)) == few


def test_the_priority_page_runs_the_same_queries_however_much_it_links_to(
        client, people_in_two_wards, liaison, ward, owner):
    priority = PriorityFactory(ward=ward, created_by=liaison)
    client.force_login(people_in_two_wards["liaison"])
    url = reverse("wards:priority-detail", args=[priority.pk])
    few = queries_for(client, url)
    for _ in range(6):
        PriorityUpdateFactory(priority=priority, by=UserFactory())
        FundingAwardFactory(ward=ward, priority=priority)
        WardMeetingFactory(ward=ward, created_by=liaison).priorities.add(priority)
    case = make_case(owner)
    type(case).objects.filter(pk=case.pk).update(ward_priority=priority)
    assert queries_for(client, url) == few


def test_the_councillor_account_selectors_are_one_query_each(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(current_briefings_for_ward(world["ward"], TODAY()))
    with django_assert_num_queries(1):
        awards = list(funding_awarded_in_year(world["ward"], TODAY()))
        [a.scheme.name for a in awards]


# ================================================================ demo data

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
