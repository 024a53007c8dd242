"""Who may see and do what in ward intelligence: every page tried as anonymous, a councillor in the
ward and in another ward, a liaison officer, a liaison manager and the ward data admin
(wards/permissions.py)."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wards.models import FundingAward, FundingScheme, Place, WardFigure

from ..helpers import d

S = FundingAward.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
ROLES = ["councillor", "other_councillor", "liaison", "manager", "data_admin"]


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


@pytest.mark.parametrize("url_name", ["wards:detail", "wards:places", "wards:figures", "wards:priority-detail",
                                      "wards:funding-award-detail", "wards:briefing-file", "wards:place-edit"])
def test_a_record_that_does_not_exist_is_404(client, people_in_two_wards, url_name):
    client.force_login(people_in_two_wards["data_admin"])
    assert client.get(reverse(url_name, args=[999999])).status_code == 404
