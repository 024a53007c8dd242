"""Stories of councillor–officer joint working: drafts, publishing, search, and who sees what."""
import pytest
from django.urls import reverse

from engagement.stories import selectors, services
from engagement.stories.models import Story
from kirklees.notifications.models import Notification
from kirklees.users.models import User
from wards.models import Officer

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.stories import StoryFactory
from ..factories.wards import ServiceFactory, WardFactory
from ..helpers import errors_of, queries_for


# `people_in_one_ward` (tests/conftest.py): `councillor` writes the drafts; `colleague` is another councillor,
# who may not see them.


@pytest.fixture
def officer(db, service):
    return Officer.objects.create(full_name="Omar Officer", job_title="Area officer", service=service,
                                  email="omar.officer@example.org")


@pytest.fixture
def draft(people_in_one_ward):
    return StoryFactory(author=people_in_one_ward["councillor"], title="Dalton Bank fly-tipping cleared")


@pytest.fixture
def published(people_in_one_ward, ward, service):
    return StoryFactory(author=people_in_one_ward["liaison"], published=True, title="Walkabout fixed the lighting",
                        ward=ward, service=service, tags=["lighting", "walkabouts"])


def form_data(**overrides):
    data = {"title": "Youth club saved", "what_happened": "The councillor and the youth service met every week.",
            "outcome": "The club stays open three nights a week.", "others_involved": "", "ward": "",
            "service": "", "tags": ""}
    data.update(overrides)
    return data


# ---------------------------------------------------------------- who may open what

def test_anonymous_visitors_are_sent_to_sign_in_from_every_story_page(client, draft, published):
    gets = [reverse("stories:list"), reverse("stories:create"), reverse("stories:detail", args=[published.pk]),
            reverse("stories:edit", args=[draft.pk])]
    posts = [reverse("stories:publish", args=[draft.pk]), reverse("stories:unpublish", args=[published.pk])]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    for url in posts:
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    draft.refresh_from_db()
    assert draft.is_draft


def test_an_account_without_a_role_may_not_read_or_write_stories(client, no_role, published):
    client.force_login(no_role)
    for url in [reverse("stories:list"), reverse("stories:create"), reverse("stories:detail", args=[published.pk])]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("stories:create"), form_data()).status_code == 403
    assert Story.objects.count() == 1


@pytest.mark.parametrize("who", ["councillor", "colleague", "liaison", "manager", "data_admin"])
def test_every_role_reads_published_stories(client, people_in_one_ward, published, who):
    client.force_login(people_in_one_ward[who])
    assert "Walkabout fixed the lighting" in client.get(reverse("stories:list")).content.decode()
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Walkabout fixed the lighting" in page.content.decode()


@pytest.mark.parametrize("who,expected", [("councillor", 200), ("liaison", 200), ("manager", 200),
                                          ("colleague", 404), ("data_admin", 404)])
def test_a_draft_is_seen_only_by_its_author_and_the_liaison_team(client, people_in_one_ward, draft, who, expected):
    client.force_login(people_in_one_ward[who])
    assert client.get(draft.get_absolute_url()).status_code == expected
    drafts = client.get(reverse("stories:list") + "?show=drafts").content.decode()
    assert ("Dalton Bank fly-tipping cleared" in drafts) == (expected == 200)


def test_drafts_never_appear_among_published_stories_or_their_search(client, people_in_one_ward, draft):
    client.force_login(people_in_one_ward["manager"])
    page = client.get(reverse("stories:list")).content.decode()
    assert "Dalton Bank fly-tipping cleared" not in page
    assert list(client.get(reverse("stories:list") + "?q=fly-tipping").context["page"].object_list) == []
    assert "1 draft waiting to be published" in page


@pytest.mark.parametrize("who,expected", [("councillor", 200), ("liaison", 403), ("manager", 403),
                                          ("colleague", 404), ("data_admin", 404)])
def test_only_the_author_edits_their_draft(client, people_in_one_ward, draft, who, expected):
    client.force_login(people_in_one_ward[who])
    assert client.get(reverse("stories:edit", args=[draft.pk])).status_code == expected
    response = client.post(reverse("stories:edit", args=[draft.pk]), form_data(title="Changed"))
    assert response.status_code == (302 if expected == 200 else expected)
    draft.refresh_from_db()
    assert (draft.title == "Changed") == (expected == 200)


def test_a_published_story_cannot_be_edited_even_by_its_author(client, people_in_one_ward, published):
    client.force_login(people_in_one_ward["liaison"])  # the author
    assert client.get(reverse("stories:edit", args=[published.pk])).status_code == 403
    assert client.post(reverse("stories:edit", args=[published.pk]), form_data()).status_code == 403
    published.refresh_from_db()
    assert published.title == "Walkabout fixed the lighting"


def test_a_draft_published_while_its_author_edits_it_is_not_changed(people_in_one_ward, draft):
    stale = Story.objects.get(pk=draft.pk)  # what the author's form was built from
    services.story_publish(story=draft, by=people_in_one_ward["liaison"])
    with pytest.raises(services.InvalidStoryChange):
        services.story_update(story=stale, by=people_in_one_ward["councillor"], title="Late change")
    draft.refresh_from_db()
    assert draft.title == "Dalton Bank fly-tipping cleared" and not draft.is_draft


# ---------------------------------------------------------------- writing

def test_any_member_of_staff_writes_a_draft_with_the_people_involved(
        client, people_in_one_ward, ward, service, officer, owner):
    client.force_login(people_in_one_ward["data_admin"])
    response = client.post(reverse("stories:create"), form_data(
        title="  Youth   club saved ", councillors=[owner.pk], officers=[officer.pk], ward=ward.pk,
        service=service.pk, others_involved="Dalton Residents' Association",
        tags="Young People, youth clubs, young people"))
    story = Story.objects.get()
    assert response.status_code == 302 and response.url == story.get_absolute_url()
    assert story.is_draft and story.author == people_in_one_ward["data_admin"] and story.published_at is None
    assert story.title == "Youth club saved"
    assert list(story.councillors.all()) == [owner] and list(story.officers.all()) == [officer]
    assert story.ward == ward and story.service == service
    assert story.tags == ["young people", "youth clubs"]
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Omar Officer, Area officer" in page and "Cllr Owner (Dalton)" in page
    assert "Dalton Residents&#x27; Association" in page


def test_the_form_says_to_leave_out_residents_personal_data(client, people_in_one_ward):
    client.force_login(people_in_one_ward["councillor"])
    page = client.get(reverse("stories:create")).content.decode()
    assert "No residents’ personal data" in page
    assert "Do not name residents or give their addresses, phone numbers or other personal details" in page


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", "Enter a title"),
    ({"what_happened": "  "}, "what_happened", "Enter what happened"),
    ({"outcome": ""}, "outcome", "Enter the outcome"),
    ({"title": "x" * 151}, "title", "Title must be 150 characters or fewer"),
    ({"what_happened": "x" * 5001}, "what_happened", "What happened must be 5000 characters or fewer"),
    ({"others_involved": "x" * 301}, "others_involved", "Anyone else involved must be 300 characters or fewer"),
    ({"what_happened": "We visited Mrs Smith at HD5 9QQ about it."}, "what_happened", "must not include a postcode"),
    ({"outcome": "Call her on 07700 900982 if it happens again."}, "outcome", "must not include a phone number"),
    ({"others_involved": "resident jo@example.com"}, "others_involved", "must not include an email address"),
    ({"ward": "999999"}, "ward", "Choose a ward from the list"),
    ({"service": "abc"}, "service", "Choose a service from the list"),
    ({"councillors": ["999999"]}, "councillors", "Choose councillors from the list"),
    ({"tags": "x" * 41}, "tags", "Each tag must be 40 characters or fewer"),
    ({"tags": ",".join(f"t{n}" for n in range(11))}, "tags", "Enter 10 tags or fewer"),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(
        client, people_in_one_ward, overrides, field, message):
    client.force_login(people_in_one_ward["councillor"])
    response = client.post(reverse("stories:create"), form_data(**overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field]
    assert any(message in error for error in errors[field]), errors
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#id_{field}' in page
    assert Story.objects.count() == 0


def test_bad_input_on_edit_leaves_the_draft_as_it_was(client, people_in_one_ward, draft):
    client.force_login(people_in_one_ward["councillor"])
    response = client.post(reverse("stories:edit", args=[draft.pk]), form_data(title="", outcome="x" * 2001))
    assert set(errors_of(response)) == {"title", "outcome"}
    draft.refresh_from_db()
    assert draft.title == "Dalton Bank fly-tipping cleared"


# ---------------------------------------------------------------- publishing

@pytest.mark.parametrize("who", ["councillor", "data_admin"])
def test_someone_outside_the_liaison_team_cannot_publish(client, people_in_one_ward, who):
    story = StoryFactory(author=people_in_one_ward[who])
    client.force_login(people_in_one_ward[who])
    assert client.post(reverse("stories:publish", args=[story.pk])).status_code == 403
    story.refresh_from_db()
    assert story.is_draft


def test_publish_must_be_a_post(client, people_in_one_ward, draft):
    client.force_login(people_in_one_ward["liaison"])
    assert client.get(reverse("stories:publish", args=[draft.pk])).status_code == 405
    draft.refresh_from_db()
    assert draft.is_draft


@pytest.mark.parametrize("who", ["liaison", "manager"])
def test_the_liaison_team_publishes_a_draft_and_its_author_is_told(client, people_in_one_ward, draft, who):
    client.force_login(people_in_one_ward[who])
    response = client.post(reverse("stories:publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.published_by == people_in_one_ward[who] and draft.published_at is not None
    note = Notification.objects.get(user=people_in_one_ward["councillor"])
    assert note.kind == "story_published" and note.url == draft.get_absolute_url()
    # Now every member of staff can read it.
    client.force_login(people_in_one_ward["colleague"])
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Dalton Bank fly-tipping cleared" in client.get(reverse("stories:list")).content.decode()


def test_publishing_twice_changes_nothing_the_second_time(client, people_in_one_ward, draft):
    client.force_login(people_in_one_ward["liaison"])
    client.post(reverse("stories:publish", args=[draft.pk]))
    draft.refresh_from_db()
    first = draft.published_at
    response = client.post(reverse("stories:publish", args=[draft.pk]), follow=True)
    assert "already been published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published_at == first
    assert Notification.objects.filter(user=people_in_one_ward["councillor"]).count() == 1


@pytest.mark.parametrize("who", ["liaison", "councillor", "colleague", "data_admin"])
def test_only_a_liaison_manager_unpublishes(client, people_in_one_ward, published, who):
    client.force_login(people_in_one_ward[who])
    assert client.post(reverse("stories:unpublish", args=[published.pk])).status_code == 403
    published.refresh_from_db()
    assert not published.is_draft


def test_a_manager_unpublishes_and_it_becomes_its_authors_draft_again(client, people_in_one_ward, published):
    client.force_login(people_in_one_ward["manager"])
    assert client.post(reverse("stories:unpublish", args=[published.pk])).status_code == 302
    published.refresh_from_db()
    assert published.is_draft and published.published_at is None
    assert Notification.objects.get(user=people_in_one_ward["liaison"]).kind == "story_unpublished"
    client.force_login(people_in_one_ward["colleague"])
    assert client.get(published.get_absolute_url()).status_code == 404
    client.force_login(people_in_one_ward["liaison"])  # the author may edit it again
    assert client.get(reverse("stories:edit", args=[published.pk])).status_code == 200


def test_the_story_page_offers_only_the_actions_its_reader_may_take(client, people_in_one_ward, draft, published):
    def buttons(who, story):
        client.force_login(people_in_one_ward[who])
        page = client.get(story.get_absolute_url()).content.decode()
        return {name for name in ("Publish to all staff", "Edit draft", "Unpublish") if name in page}

    assert buttons("councillor", draft) == {"Edit draft"}
    assert buttons("liaison", draft) == {"Publish to all staff"}
    assert buttons("manager", published) == {"Unpublish"}
    assert buttons("liaison", published) == set()
    assert buttons("colleague", published) == set()


# ---------------------------------------------------------------- search

def titles(client, query="") -> list[str]:
    response = client.get(reverse("stories:list") + query)
    assert response.status_code == 200
    return [story.title for story in response.context["page"].object_list]


def test_search_finds_words_in_title_what_happened_and_outcome_with_stemming(client, people_in_one_ward, ward, service):
    author = people_in_one_ward["liaison"]
    StoryFactory(author=author, published=True, title="Gully cleaning", what_happened="Drains blocked by leaves.",
                 outcome="Flooding stopped.")
    StoryFactory(author=author, published=True, title="Park benches", what_happened="New benches installed.",
                 outcome="Older residents use the park again.")
    StoryFactory(author=author, published=True, title="Flooded underpass", what_happened="Pumps repaired.",
                 outcome="Open again.")
    client.force_login(people_in_one_ward["colleague"])
    assert titles(client, "?q=bench") == ["Park benches"]
    assert titles(client, "?q=draining") == ["Gully cleaning"]
    # The title weighs more than the body.
    assert titles(client, "?q=flood") == ["Flooded underpass", "Gully cleaning"]
    assert titles(client, '?q="older residents"') == ["Park benches"]
    assert titles(client, "?q=nothing+like+this") == []


def test_search_filters_by_ward_service_and_tag(client, people_in_one_ward, ward, service):
    other_ward, other_service = WardFactory(name="Almondbury"), ServiceFactory(name="Highways")
    author = people_in_one_ward["liaison"]
    StoryFactory(author=author, published=True, title="A", ward=ward, service=service, tags=["lighting"])
    StoryFactory(author=author, published=True, title="B", ward=other_ward, service=service, tags=["potholes"])
    StoryFactory(author=author, published=True, title="C", ward=ward, service=other_service,
                 tags=["potholes", "lighting"])
    client.force_login(people_in_one_ward["councillor"])
    assert sorted(titles(client, f"?ward={ward.pk}")) == ["A", "C"]
    assert sorted(titles(client, f"?service={service.pk}")) == ["A", "B"]
    assert sorted(titles(client, "?tag=potholes")) == ["B", "C"]
    assert titles(client, f"?ward={ward.pk}&tag=potholes&service={other_service.pk}") == ["C"]


def test_an_unknown_tag_or_ward_in_the_search_is_refused_beside_the_field(client, people_in_one_ward, published):
    client.force_login(people_in_one_ward["councillor"])
    response = client.get(reverse("stories:list") + "?tag=nosuchtag&ward=0")
    errors = errors_of(response)
    assert errors["tag"] == ["Choose a tag from the list"] and errors["ward"] == ["Choose a ward from the list"]


def test_the_list_runs_the_same_number_of_queries_for_2_and_30_stories(client, people_in_one_ward, ward, service):
    client.force_login(people_in_one_ward["liaison"])

    def add(count):
        for index in range(count):
            StoryFactory(author=UserFactory(), published=True, ward=ward if index % 2 else None,
                         service=service, tags=[f"tag{index}"])
            StoryFactory(author=people_in_one_ward["liaison"])

    urls = [reverse("stories:list"), reverse("stories:list") + f"?q=alleyway&ward={ward.pk}",
            reverse("stories:list") + "?show=drafts"]
    add(2)
    few = [queries_for(client, url) for url in urls]
    add(28)
    assert [queries_for(client, url) for url in urls] == few


def test_a_story_page_runs_a_fixed_number_of_queries(client, people_in_one_ward, published, service):
    client.force_login(people_in_one_ward["councillor"])
    few = queries_for(client, published.get_absolute_url())
    for index in range(5):
        published.councillors.add(CouncillorFactory())
        published.officers.add(Officer.objects.create(full_name=f"Officer {index}", job_title="Officer",
                                                      service=service, email=f"o{index}@example.org"))
    assert queries_for(client, published.get_absolute_url()) == few


# ---------------------------------------------------------------- the Councillor Account's selector

def test_recent_published_stories_are_the_newest_published_in_the_ward_in_one_query(people_in_one_ward, ward,
                                                                                     django_assert_num_queries):
    other = WardFactory(name="Almondbury")
    author = people_in_one_ward["liaison"]
    stories = [StoryFactory(author=author, published=True, ward=ward, title=f"Dalton {n}") for n in range(4)]
    for index, story in enumerate(stories):  # Dalton 3 is the newest
        Story.objects.filter(pk=story.pk).update(published_at=story.published_at.replace(year=2025, day=1 + index))
    StoryFactory(author=author, published=True, ward=other, title="Almondbury")
    StoryFactory(author=author, ward=ward, title="Dalton draft")
    with django_assert_num_queries(1):
        recent = selectors.recent_published_stories(ward=ward)
        assert [story.title for story in recent] == ["Dalton 3", "Dalton 2", "Dalton 1"]
        assert recent[0].ward.name == "Dalton"
    assert len(selectors.recent_published_stories(limit=10)) == 5
    assert "Dalton draft" not in [story.title for story in selectors.recent_published_stories(limit=10)]


# ---------------------------------------------------------------- navigation and demo data

@pytest.mark.parametrize("who", ["councillor", "liaison", "manager", "data_admin"])
def test_every_role_has_stories_and_learning_in_the_menu(client, people_in_one_ward, who):
    client.force_login(people_in_one_ward[who])
    page = client.get(reverse("stories:list")).content.decode()
    assert f'href="{reverse("stories:list")}" aria-current="page"' in page
    assert f'href="{reverse("learning:events")}"' in page


def test_the_demo_stories_load_twice_without_duplicates(db):
    from engagement.stories.demo import seed_demo_stories

    dalton = WardFactory(name="Dalton")
    WardFactory(name="Almondbury")
    ServiceFactory(name="Highways")
    UserFactory(email="councillor@example.org", full_name="Cllr Sarah Haigh")
    CouncillorFactory(user__email="councillor2@example.org", ward=dalton)
    UserFactory(email="liaison@example.org", role=User.Role.LIAISON_OFFICER)
    seed_demo_stories()
    count = Story.objects.count()
    seed_demo_stories()
    assert Story.objects.count() == count >= 4
    assert Story.objects.drafts().count() >= 1
    assert Story.objects.published().filter(ward=dalton).count() >= 2
