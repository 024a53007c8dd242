"""The queue's search finds a case by part of its reference ('00201', '2026-201') and by the resident's
postcode, however it is typed, as well as by words in the summary or the resident's name."""

import pytest
from django.urls import reverse

from casework.models import Case, Resident

from ..factories.casework import make_case, walk


@pytest.fixture
def cases(owner, liaison, category):
    found = {}
    for reference, postcode, summary in [("KC-2026-00201", "HD8 0AA", "Pothole on Church Lane"),
                                         ("KC-2026-00315", "HD1 2TA", "Bins not collected"),
                                         ("KC-2025-00201", "WF13 1HQ", "Street light out")]:
        case = walk(make_case(owner, category=category, summary=summary), Case.Status.TRIAGE, team=liaison)
        Case.objects.filter(pk=case.pk).update(reference=reference)
        Resident.objects.filter(pk=case.resident_id).update(postcode=postcode)
        found[reference] = case
    return found


def searched(client, text: str) -> set[str]:
    response = client.get(reverse("casework:queue"), {"q": text})
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


@pytest.mark.parametrize("text, expected", [
    ("00201", {"KC-2026-00201", "KC-2025-00201"}),
    ("2026-201", {"KC-2026-00201"}),
    ("2026-00201", {"KC-2026-00201"}),
    ("kc-2026-002", {"KC-2026-00201"}),
    ("315", {"KC-2026-00315"}),
    ("KC-2026-00315", {"KC-2026-00315"}),
])
def test_the_queue_finds_a_case_by_part_of_its_reference(client, liaison, cases, text, expected):
    client.force_login(liaison)
    assert searched(client, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("HD8 0AA", {"KC-2026-00201"}),
    ("hd80aa", {"KC-2026-00201"}),
    (" wf13 1hq ", {"KC-2025-00201"}),
    ("HD1", {"KC-2026-00315"}),
])
def test_the_queue_finds_a_case_by_the_residents_postcode(client, liaison, cases, text, expected):
    client.force_login(liaison)
    assert searched(client, text) == expected


def test_words_in_the_summary_still_find_a_case(client, liaison, cases):
    client.force_login(liaison)
    assert searched(client, "pothole") == {"KC-2026-00201"}
