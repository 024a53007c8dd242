import datetime

import pytest
from django.urls import reverse

from councillors.models import PoliticalGroup
from wards.models import Briefing, Officer, Place, Priority

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..factories.wards import ServiceFactory, WardFactory


@pytest.fixture
def dalton_with_everything(ward, owner, data_admin, liaison):
    """A ward holding public and private things side by side."""
    owner.group = PoliticalGroup.objects.create(name="Green Party")
    owner.save()
    place = Place.objects.create(ward=ward, name="Rawthorpe")
    for status in ["proposed", "active", "achieved", "dropped"]:
        Priority.objects.create(ward=ward, place=place if status == "active" else None,
                                title=f"Priority {status}", description=f"About {status}",
                                outcome_sought=f"Outcome {status}", status=status, created_by=data_admin)
    Briefing.objects.create(ward=ward, title="Internal briefing on the tip", text="Not for the public",
                            expires_on=datetime.date(2099, 1, 1), author=liaison)
    officer = Officer.objects.create(full_name="Pat Parks", job_title="Ranger", service=ServiceFactory(),
                                     email="pat.parks@kirklees.gov.uk", phone="01484 221000")
    officer.wards.add(ward)
    make_case(owner, summary="Mould in the back bedroom")
    CouncillorFactory(ward=ward, user__full_name="Former Councillor", term_start=datetime.date(2014, 5, 1),
                      term_end=datetime.date(2018, 5, 2))
    return ward


def test_public_ward_page_shows_councillors_and_current_priorities_without_login(client, dalton_with_everything,
                                                                                  owner):
    response = client.get(reverse("public:ward-detail", args=[dalton_with_everything.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cllr Owner, Green Party" in page
    assert "Priority active" in page and "Rawthorpe" in page and "Outcome active" in page
    assert "Priority achieved" in page
    assert "noindex" not in page  # the public may find it


def test_public_ward_page_leaks_nothing_private(client, dalton_with_everything, owner):
    page = client.get(reverse("public:ward-detail", args=[dalton_with_everything.pk])).content.decode()

    for private in ["Priority proposed", "Priority dropped",  # not agreed, or given up
                    "Internal briefing", "Not for the public",  # briefings are for councillors
                    "pat.parks@", "01484 221000",  # officers' details
                    "Mould", "KC-20",  # cases, residents
                    owner.user.email, "Former Councillor", "Sign out"]:
        assert private not in page, private


def test_public_ward_list_lists_the_current_wards_and_their_serving_councillors(client, dalton_with_everything,
                                                                             django_assert_max_num_queries):
    WardFactory(name="Almondbury")
    WardFactory(name="Old Ward", valid_from=datetime.date(1990, 1, 1), valid_to=datetime.date(2004, 6, 10))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("public:ward-list"))
    page = response.content.decode()
    assert "Dalton" in page and "Almondbury" in page and "Old Ward" not in page
    assert "Cllr Owner (Green Party)" in page and "Former Councillor" not in page


def test_an_unknown_ward_is_not_found(client, db):
    assert client.get(reverse("public:ward-detail", args=[999])).status_code == 404


def test_public_ward_page_shows_published_place_standard_scores_but_no_comments(client, dalton_with_everything):
    from engagement.models import Exercise

    from ..factories.engagement import ExerciseFactory, add_comment, add_responses

    published = ExerciseFactory(ward=dalton_with_everything, title="Dalton Place Standard 2026",
                                status=Exercise.Status.PUBLISHED)
    responses = add_responses(published, [[2, 6], [4, 7], [3]])
    add_comment(responses[0], 1, "The bus to Huddersfield never comes")
    ExerciseFactory(ward=dalton_with_everything, title="Still being collected", status=Exercise.Status.CLOSED)

    page = client.get(reverse("public:ward-detail", args=[dalton_with_everything.pk])).content.decode()

    assert "Dalton Place Standard 2026" in page and "3 responses" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3.0</td>' in page  # (2 + 4 + 3) / 3
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6.5</td>' in page
    assert 'role="img"' in page  # the compass, beside its table
    assert "Still being collected" not in page
    assert "never comes" not in page and "/engagement/" not in page
