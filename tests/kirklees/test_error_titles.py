"""A page whose form has errors says so first in its title, 'Error: ' (the GOV.UK pattern), from one
mechanism in the base template, whatever the view calls its form."""

import re

import pytest
from django.urls import reverse

from ..factories.casework import make_case


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_a_form_with_errors_has_a_title_starting_error(client, owner):
    client.force_login(owner.user)
    assert title(client.get(reverse("casework:case-create"))).startswith("New case – ")
    response = client.post(reverse("casework:case-create"), {})
    assert response.status_code == 200
    assert title(response).startswith("Error: New case – ")


def test_an_action_form_with_errors_has_a_title_starting_error(client, owner, category):
    case = make_case(owner, category=category)
    client.force_login(owner.user)
    url = reverse("casework:case-action", args=[case.reference, "edit-resident"])
    assert not title(client.get(url)).startswith("Error: ")
    response = client.post(url, {"version": case.version, "full_name": ""})
    assert response.status_code == 200
    assert title(response).startswith("Error: ")


@pytest.mark.parametrize("url", ["casework:queue", "councillors:list"])
def test_a_filter_form_with_errors_has_a_title_starting_error(client, liaison, url):
    client.force_login(liaison)
    assert not title(client.get(reverse(url))).startswith("Error: ")
    response = client.get(reverse(url), {"ward": "999999"})
    assert response.status_code == 200
    assert title(response).startswith("Error: ")


@pytest.mark.parametrize("path, status, heading", [
    ("/cases/?q=bins%00", 400, "Sorry, there is a problem with that request"),
    ("/no-such-page/", 404, "Page not found"),
    ("/jobs/", 403, "You cannot do that"),
])
def test_every_error_is_our_own_generic_page(client, owner, path, status, heading):
    client.force_login(owner.user)
    response = client.get(path)
    assert response.status_code == status
    page = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page and "Traceback" not in page
    assert "govuk-header" in page  # the site's own layout, not Django's or the server's
