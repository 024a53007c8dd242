"""The liaison managers' handover pages: who has cases to hand over and why, a choice per case or per
ward for the ticked ones, refusals shown beside the case they are about, the letter to print; and the
cases a boundary change moved out of their councillor's ward."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from casework import handover
from casework.models import Case, CaseEvent
from kirklees.users.models import User
from pages.services.boundary import Mapping, boundary_change_apply, boundary_preview, preview_fingerprint

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory

TERM_END = datetime.date(2026, 5, 8)
LIST = reverse("handover:list")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 11, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def successor(ward):
    return CouncillorFactory(user__full_name="Cllr Successor", ward=ward)


@pytest.fixture
def departed(owner, category):
    """The owner, with two cases, whose term ended on 8 May."""
    cases = [make_case(owner, category=category, summary="Bins not collected"),
             make_case(owner, category=category, summary="Pothole on Main Street")]
    owner.term_start, owner.term_end = datetime.date(2022, 5, 5), TERM_END
    owner.save()
    return cases


def page_url(councillor):
    return reverse("handover:councillor", args=[councillor.pk])


def form_data(shown, **choices):
    data = {f"version-{c.pk}": c.version for c in shown}
    return data | choices


def test_the_handover_list_names_each_councillor_with_how_many_cases_and_why(client, manager, owner, departed):
    client.force_login(manager)
    page = client.get(LIST).content.decode()
    assert "Cllr Owner" in page and page_url(owner) in page
    assert "Term ended on 8 May 2026" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


def test_the_queue_tells_the_managers_how_many_cases_need_handover(client, manager, liaison, departed):
    client.force_login(manager)
    assert "2 cases need handover" in client.get(reverse("casework:queue")).content.decode()
    client.force_login(liaison)
    assert "need handover" not in client.get(reverse("casework:queue")).content.decode()


def test_the_successor_choice_offers_only_councillors_serving_the_cases_ward(
        client, manager, owner, successor, departed):
    CouncillorFactory(user__full_name="Cllr Elsewhere", ward=WardFactory(name="Almondbury"))
    CouncillorFactory(user__full_name="Cllr Gone", ward=owner.ward, term_end=TERM_END)
    client.force_login(manager)
    page = client.get(page_url(owner)).content.decode()
    assert "Pass to Cllr Successor" in page
    assert "Cllr Elsewhere" not in page and "Cllr Gone" not in page and "Pass to Cllr Owner" not in page
    assert "Pass to the Support &amp; Liaison Team" in page and "Close it with a letter to the resident" in page


def test_a_choice_per_case_hands_over_just_that_case(client, manager, owner, successor, departed):
    first, second = departed
    client.force_login(manager)
    response = client.post(page_url(owner), form_data(departed, **{f"choice-{first.pk}": f"successor:{successor.pk}"}),
                           follow=True)
    assert "1 case handed over: 1 to Cllr Successor." in response.content.decode()
    assert Case.objects.get(pk=first.pk).owner == successor and Case.objects.get(pk=second.pk).owner == owner


def test_the_ticked_cases_take_their_wards_choice_and_a_rows_own_choice_wins(client, manager, owner, departed):
    first, second = departed
    client.force_login(manager)
    response = client.post(page_url(owner), form_data(
        departed, cases=[first.pk, second.pk], outcome="The service fixed it.",
        **{f"bulk-{owner.ward_id}": "team", f"choice-{second.pk}": "close"}), follow=True)
    page = response.content.decode()
    assert "2 cases handed over: 1 to the Support &amp; Liaison Team; 1 closed with a letter to print and post" in page
    assert Case.objects.get(pk=first.pk).status == Case.Status.TRIAGE
    assert Case.objects.get(pk=second.pk).status == Case.Status.CLOSED
    letter = reverse("handover:letter", args=[second.reference])
    assert letter in page and "to print and post" in page

    printable = client.get(letter).content.decode()
    assert second.resident.full_name in printable and "The service fixed it." in printable
    assert "Print this letter and post it to the resident" in printable and 'class="app-letter"' in printable
    assert "Cllr Owner, who was looking after your case, is no longer a councillor" in printable


def test_a_ticked_case_without_a_choice_is_refused_beside_it_and_nothing_changes(client, manager, owner, departed):
    first, second = departed
    client.force_login(manager)
    response = client.post(page_url(owner), form_data(departed, cases=[first.pk, second.pk],
                                                      **{f"choice-{first.pk}": "team"}))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f"Choose what to do with {second.reference}, or untick it" in page
    assert f'href="#id_choice-{second.pk}"' in page
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.HANDED_OVER).exists()


def test_nothing_chosen_is_refused_with_a_clear_message(client, manager, owner, departed):
    client.force_login(manager)
    page = client.post(page_url(owner), form_data(departed)).content.decode()
    assert "Choose what to do with at least one case" in page


def test_closing_without_saying_what_the_letter_says_is_refused_beside_the_box(client, manager, owner, departed):
    first, _ = departed
    client.force_login(manager)
    page = client.post(page_url(owner), form_data(departed, **{f"choice-{first.pk}": "close"})).content.decode()
    assert "Say what the letter tells the residents whose cases you close" in page and 'href="#id_outcome"' in page
    assert Case.objects.get(pk=first.pk).status == Case.Status.OPEN


def test_a_page_loaded_before_someone_else_handed_over_says_so_and_changes_nothing(
        client, manager, owner, successor, departed):
    first, _ = departed
    stale = form_data(departed, **{f"choice-{first.pk}": "close"}, outcome="Closed")
    handover.cases_hand_over(by=UserFactory(role=User.Role.LIAISON_MANAGER), councillor=owner, decisions=[
        handover.Decision(first.pk, first.version, handover.SUCCESSOR, successor.pk)])
    client.force_login(manager)
    response = client.post(page_url(owner), stale, follow=True)
    assert "Some of these cases were handed over by someone else" in response.content.decode()
    assert Case.objects.get(pk=first.pk).status == Case.Status.OPEN


def test_a_case_changed_since_the_page_was_loaded_says_which_and_changes_nothing(client, manager, owner, liaison,
                                                                                 departed):
    first, second = departed
    stale = form_data(departed, **{f"choice-{first.pk}": "team", f"choice-{second.pk}": "team"})
    Case.objects.filter(pk=second.pk).update(version=second.version + 1)  # someone changed it meanwhile
    client.force_login(manager)
    response = client.post(page_url(owner), stale, follow=True)
    assert f"{second.reference} was changed or handed over by someone else" in response.content.decode()
    assert not Case.objects.filter(pk__in=[first.pk, second.pk], advocacy=True).exists()


@pytest.mark.parametrize("who", ["liaison", "data_admin", "owner"])
def test_nobody_but_a_liaison_manager_opens_the_pages_or_hands_over(client, request, who, owner, successor, departed):
    user = owner.user if who == "owner" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(page_url(owner)).status_code == 403
    first, _ = departed
    assert client.post(page_url(owner), form_data(
        departed, **{f"choice-{first.pk}": f"successor:{successor.pk}"})).status_code == 403
    assert Case.objects.get(pk=first.pk).owner == owner


def test_a_case_not_closed_at_handover_has_no_letter(client, manager, departed):
    client.force_login(manager)
    assert client.get(reverse("handover:letter", args=[departed[0].reference])).status_code == 404
    assert client.get(reverse("handover:letter", args=["KC-2026-99999"])).status_code == 404


# ------------------------------------------------------------------ a boundary change


@pytest.fixture
def moved(ward, owner, category, data_admin):
    """A boundary change: the old Dalton's open work goes to the new Almondbury, whose councillor serves it."""
    new_almondbury = WardFactory(name="Almondbury", valid_from=datetime.date(2026, 5, 7))
    WardFactory(name="Dalton", valid_from=datetime.date(2026, 5, 7))
    case = make_case(owner, category=category)
    mapping = Mapping(main={ward.pk: new_almondbury.pk})
    boundary_change_apply(mapping=mapping, effective_on=datetime.date(2026, 5, 7), by=data_admin,
                          fingerprint=preview_fingerprint(boundary_preview(mapping=mapping)))
    case.refresh_from_db()
    return case, new_almondbury


def test_a_case_a_boundary_change_moved_out_of_its_councillors_ward_needs_handing_over(
        client, manager, owner, category, moved):
    case, new_almondbury = moved
    on_purpose = make_case(owner, category=category)
    Case.objects.filter(pk=on_purpose.pk).update(ward=new_almondbury)  # recorded in a neighbouring ward
    new_cllr = CouncillorFactory(user__full_name="Cllr New", ward=new_almondbury)
    assert list(handover.cases_needing_handover()) == [case]
    [row] = handover.handover_councillors()
    assert row.reason == handover.BOUNDARY
    client.force_login(manager)
    assert "Boundary change" in client.get(LIST).content.decode()
    page = client.get(page_url(owner)).content.decode()
    assert "Pass to Cllr New" in page
    client.post(page_url(owner), form_data([case], **{f"choice-{case.pk}": f"successor:{new_cllr.pk}"}))
    case.refresh_from_db()
    assert case.owner == new_cllr
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.HANDED_OVER).text == (
        "Handed over from Cllr Owner to Cllr New (a boundary change moved the cases out of their ward)")
    assert not handover.cases_needing_handover().exists()


def test_the_handover_pages_cost_the_same_whatever_the_number_of_cases(client, manager, owner, category, successor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(owner)).status_code == 200
            assert client.get(LIST).status_code == 200
        return len(captured)

    make_case(owner, category=category)
    owner.term_start, owner.term_end = datetime.date(2022, 5, 5), TERM_END
    owner.save()
    client.force_login(manager)
    few = queries()
    owner.term_end = None
    owner.save()
    for _ in range(6):
        make_case(owner, category=category)
    owner.term_end = TERM_END
    owner.save()
    assert queries() == few
