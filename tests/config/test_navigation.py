"""Every page a role may use is reachable from the navigation: linked from the header or the Menu, or
from a page the Menu links to (the Wards page is the hub for the ward-wide lists)."""

import re

import pytest
from django.urls import reverse

MENU = re.compile(r'<header.*?</header>.*?<nav aria-label="Menu".*?</nav>', re.S)
HREF = re.compile(r'href="([^"#?]+)')

EVERY_ROLE = ["wards:list", "wards:priorities", "wards:funding", "wards:funding-awards", "wards:people",
              "wards:services", "wards:meetings", "stories:list", "learning:events", "learning:resources",
              "learning:my-bookings", "notifications:inbox", "councillors:role-profile"]
TEAM = ["casework:queue", "account:supported-councillors", "councillors:list", "engagement:list",
        "wards:briefings"]
PAGES = {
    "councillor": ["account:councillor-account", "casework:my-cases", "casework:case-create", "engagement:list"],
    "liaison": TEAM,
    "manager": [*TEAM, "casework:targets", "jobs:list", "councillors:advocacy", "access:people"],
    "data_admin": ["dataimport:index", "councillors:list", "councillors:groups", "boundary:change"],
}


def links(html: str) -> set[str]:
    return set(HREF.findall(html))


@pytest.mark.parametrize("role", PAGES)
def test_every_page_a_role_may_use_is_reachable_from_the_navigation(client, people_in_one_ward, role):
    client.force_login(people_in_one_ward[role])
    menu = links(MENU.search(client.get(reverse("wards:list")).content.decode()).group(0))
    one_click_away = set(menu)
    for url in menu:
        response = client.get(url)
        if response.status_code == 200:
            one_click_away |= links(response.content.decode())
    unreachable = []
    for name in [*EVERY_ROLE, *PAGES[role]]:
        url = reverse(name)
        assert client.get(url).status_code == 200, f"{role} may not use {url}"
        if url not in one_click_away:
            unreachable.append(url)
    assert not unreachable, f"{role} cannot reach {unreachable} from the navigation"


@pytest.mark.parametrize("role", PAGES)
def test_the_menu_links_the_role_profile_for_every_role(client, people_in_one_ward, role):
    client.force_login(people_in_one_ward[role])
    menu = links(MENU.search(client.get(reverse("wards:list")).content.decode()).group(0))
    assert reverse("councillors:role-profile") in menu


def test_the_liaison_managers_menu_links_the_advocacy_roll_out(client, people_in_one_ward):
    client.force_login(people_in_one_ward["manager"])
    menu = links(MENU.search(client.get(reverse("wards:list")).content.decode()).group(0))
    assert reverse("councillors:advocacy") in menu
