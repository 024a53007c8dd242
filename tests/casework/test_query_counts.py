"""The lists run a fixed number of SQL queries, however many cases there are."""

import pytest
from django.urls import reverse

from casework.models import Case

from ..factories.casework import CategoryFactory, make_case, walk
from ..factories.councillors import CouncillorFactory
from ..helpers import queries_for


def add_cases(owner, liaison, count):
    for index in range(count):
        case = make_case(owner, category=CategoryFactory(), sensitive=index % 3 == 0)
        # A mix of states, owners' wards and assignees, so that every column has something to fetch.
        walk(case, [Case.Status.TRIAGE, Case.Status.IN_PROGRESS, Case.Status.AWAITING_SERVICE][index % 3],
             team=liaison)


@pytest.mark.parametrize("url_name,viewer", [("casework:queue", "liaison"), ("casework:my-cases", "owner")])
def test_a_list_runs_the_same_number_of_queries_for_5_and_50_cases(client, owner, liaison, settings,
                                                                    url_name, viewer):
    settings.CASES_PER_PAGE = 100  # every case on one page
    other_owner = CouncillorFactory(liaison_officer=liaison)
    user = owner.user if viewer == "owner" else liaison
    client.force_login(user)
    urls = [reverse(url_name), reverse(url_name) + "?q=bins&status=all"]

    add_cases(owner, liaison, 3)
    add_cases(other_owner, liaison, 2)
    with_5 = [queries_for(client, url) for url in urls]
    add_cases(owner, liaison, 27)
    add_cases(other_owner, liaison, 18)
    with_50 = [queries_for(client, url) for url in urls]
    assert with_5 == with_50


def test_the_case_page_runs_a_fixed_number_of_queries(client, owner, liaison, service):
    from casework import services

    case = walk(make_case(owner), Case.Status.AWAITING_SERVICE, team=liaison, service=service)
    client.force_login(liaison)
    few = queries_for(client, case.get_absolute_url())  # one referral, with its email
    for index in range(10):
        services.case_add_note(case=case, by=liaison, text=f"Chased {index}")
    for index in range(3):
        case.refresh_from_db()
        services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                       details=f"Ask {index}")
    assert queries_for(client, case.get_absolute_url()) == few
