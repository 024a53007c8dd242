"""The forms of every ward intelligence feature, sent back as the browser shows them
(wards/forms/)."""
import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from wards.models import FundingAward

S = FundingAward.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


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
