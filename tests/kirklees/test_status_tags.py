"""One way to draw a status tag ({% govuk_tag label colour %}), with each app's colours beside its
statuses."""

import pytest
from django.template import Context, Template

from casework.models import STATUS_COLOURS, Status
from councillors.models import RoleProfileVersion
from engagement.models import Exercise
from wards.models import FundingAward, MeetingAction, Priority

# GOV.UK Frontend's tag colours (govuk-tag--<colour>).
GOVUK_TAG_COLOURS = {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange",
                     "yellow"}


@pytest.mark.parametrize("statuses, colours", [
    (Status, STATUS_COLOURS),
    (Priority.Status, Priority.STATUS_COLOURS),
    (FundingAward.Status, FundingAward.STATUS_COLOURS),
    (MeetingAction.Status, MeetingAction.STATUS_COLOURS),
    (Exercise.Status, Exercise.STATUS_COLOURS),
    (RoleProfileVersion.Status, RoleProfileVersion.STATUS_COLOURS),
], ids=["case", "priority", "funding award", "meeting action", "exercise", "role profile version"])
def test_every_status_has_a_govuk_tag_colour(statuses, colours):
    assert set(colours) == set(statuses)
    assert set(colours.values()) <= GOVUK_TAG_COLOURS


def test_a_tag_is_drawn_as_govuk_frontend_draws_it_with_its_label_escaped():
    template = Template('{% load govuk %}{% govuk_tag label "light-blue" %}')
    assert template.render(Context({"label": "Awaiting <triage>"})) == (
        '<strong class="govuk-tag govuk-tag--light-blue">Awaiting &lt;triage&gt;</strong>\n')
