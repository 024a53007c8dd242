"""The Support & Liaison Team's Place Standard pages: who may use each one, planning and running an
exercise, publishing to councillors, paper entry, CSV import and proposing ward priorities."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagement import services
from engagement.models import Exercise, PrioritySeed, Response, ResponseComment, ResponseImport, Theme
from kirklees.notifications.models import Notification
from kirklees.users.models import User
from wards.models import Place, Priority

from ..factories.councillors import CouncillorFactory
from ..factories.engagement import ExerciseFactory, add_comment, add_responses
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory

Status = Exercise.Status


@pytest.fixture
def councillor(owner):
    return owner.user


@pytest.fixture
def exercise(ward, liaison):
    exercise = ExerciseFactory(ward=ward, title="Dalton 2026", status=Status.OPEN, facilitator=liaison)
    (response,) = add_responses(exercise, [[2, 3, 4]])
    add_comment(response, 1, "Broken pavements on Wakefield Road")
    return exercise


@pytest.fixture
def published(ward):
    exercise = ExerciseFactory(ward=WardFactory(name="Almondbury"), title="Almondbury 2025", status=Status.PUBLISHED)
    (response,) = add_responses(exercise, [[5, 5, 5]])
    add_comment(response, 1, "Nice walks")
    return exercise


@pytest.fixture
def batch(exercise, liaison):
    return ResponseImport.objects.create(exercise=exercise, file_name="x.csv", content="moving_around\n4\n",
                                         uploaded_by=liaison, row_count=1)


# --- who may use what ----------------------------------------------------------------------------

TEAM_ONLY = ["create", "detail", "edit", "paper", "import", "import-template", "import-preview", "responses-csv"]


def team_url(name, exercise, batch):
    if name == "create":
        return reverse("engagement:create")
    if name == "import-preview":
        return reverse("engagement:import-preview", args=[exercise.pk, batch.pk])
    return reverse(f"engagement:{name}", args=[exercise.pk])


@pytest.mark.parametrize("name", TEAM_ONLY)
@pytest.mark.parametrize("who,expected", [("liaison", 200), ("manager", 200), ("councillor", 403),
                                          ("data_admin", 403)])
def test_only_the_liaison_team_may_open_the_running_pages(
        client, councillor_and_staff, exercise, batch, name, who, expected):
    client.force_login(councillor_and_staff[who])
    assert client.get(team_url(name, exercise, batch)).status_code == expected


@pytest.mark.parametrize("who,expected", [("liaison", 200), ("manager", 200), ("councillor", 200),
                                          ("data_admin", 403)])
def test_the_list_of_exercises_is_for_the_team_and_councillors(client, councillor_and_staff, who, expected):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("engagement:list")).status_code == expected


@pytest.mark.parametrize("name", ["results", "results-csv"])
@pytest.mark.parametrize("who,unpublished,published_", [("liaison", 200, 200), ("manager", 200, 200),
                                                        ("councillor", 404, 200), ("data_admin", 403, 403)])
def test_councillors_read_published_results_of_any_ward_and_unpublished_of_none(
        client, councillor_and_staff, exercise, published, name, who, unpublished, published_):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse(f"engagement:{name}", args=[exercise.pk])).status_code == unpublished
    assert client.get(reverse(f"engagement:{name}", args=[published.pk])).status_code == published_


@pytest.mark.parametrize("who,unpublished,published_", [("liaison", 200, 200), ("councillor", 404, 200),
                                                        ("data_admin", 403, 403)])
def test_comments_follow_the_same_rule_as_results(
        client, councillor_and_staff, exercise, published, who, unpublished, published_):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("engagement:theme-comments", args=[exercise.pk, "moving_around"])
                      ).status_code == unpublished
    response = client.get(reverse("engagement:theme-comments", args=[published.pk, "moving_around"]))
    assert response.status_code == published_
    if published_ == 200:
        assert "Nice walks" in response.content.decode()


def test_a_councillors_list_shows_published_exercises_only(client, councillor, exercise, published):
    client.force_login(councillor)
    page = client.get(reverse("engagement:list")).content.decode()
    assert "Almondbury 2025" in page and "Dalton 2026" not in page
    assert reverse("engagement:results", args=[published.pk]) in page
    assert f'<option value="{exercise.ward_id}"' not in page  # not even a hint in the ward filter
    page = client.get(reverse("engagement:list"), {"ward": exercise.ward_id, "status": "open"}).content.decode()
    assert "Dalton 2026" not in page


def test_an_empty_upload_is_refused_beside_the_file_box(client, liaison, exercise):
    client.force_login(liaison)
    response = client.post(reverse("engagement:import", args=[exercise.pk]))
    assert response.status_code == 400
    assert "Choose a CSV file to upload" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_from_every_staff_page(client, exercise, published, batch):
    urls = [reverse("engagement:list"), reverse("engagement:results", args=[published.pk]),
            reverse("engagement:results-csv", args=[published.pk]),
            reverse("engagement:theme-comments", args=[published.pk, "moving_around"])]
    urls += [team_url(name, exercise, batch) for name in TEAM_ONLY]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    for url in [reverse("engagement:transition", args=[exercise.pk, "close"]),
                reverse("engagement:propose-priority", args=[exercise.pk])]:
        response = client.post(url, {"theme": 1})
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    exercise.refresh_from_db()
    assert exercise.status == Status.OPEN and not Priority.objects.exists()


@pytest.mark.parametrize("who", ["councillor", "data_admin"])
def test_others_cannot_change_an_exercise_or_type_in_or_import_responses(
        client, councillor_and_staff, exercise, batch, who):
    client.force_login(councillor_and_staff[who])
    before = Response.objects.count()
    assert client.post(reverse("engagement:transition", args=[exercise.pk, "close"])).status_code == 403
    assert client.post(reverse("engagement:edit", args=[exercise.pk]), {"title": "Mine"}).status_code == 403
    assert client.post(reverse("engagement:paper", args=[exercise.pk]), paper_data([["4"] * 14])).status_code == 403
    assert client.post(reverse("engagement:import-preview", args=[exercise.pk, batch.pk])).status_code == 403
    exercise.status = Status.CLOSED
    exercise.save()
    assert client.post(reverse("engagement:propose-priority", args=[exercise.pk]), {"theme": 1}).status_code == 403
    exercise.refresh_from_db()
    assert (exercise.status, exercise.title) == (Status.CLOSED, "Dalton 2026")
    assert Response.objects.count() == before and not Priority.objects.exists()


def test_a_team_page_for_an_exercise_that_does_not_exist_is_404(client, liaison, exercise):
    client.force_login(liaison)
    assert client.get(reverse("engagement:detail", args=[exercise.pk + 1000])).status_code == 404
    assert client.get(reverse("engagement:results", args=[exercise.pk + 1000])).status_code == 404


@pytest.mark.parametrize("who,sees", [("liaison", True), ("manager", True), ("councillor", True),
                                      ("data_admin", False)])
def test_engagement_is_in_the_menu_for_the_team_and_councillors(client, councillor_and_staff, who, sees):
    client.force_login(councillor_and_staff[who])
    page = client.get(reverse("home"), follow=True).content.decode()
    assert (f'href="{reverse("engagement:list")}"' in page) == sees


# --- planning and running ------------------------------------------------------------------------

def exercise_data(ward, facilitator, **overrides):
    data = {"title": "Dalton spring 2026", "ward": ward.pk, "place": "", "starts_on": "1/3/2026",
            "ends_on": "31/3/2026", "method": "street_stall", "facilitator": facilitator.pk}
    data.update(overrides)
    return data


def test_the_team_plans_an_exercise_in_a_place_in_the_ward(client, liaison, ward):
    place = Place.objects.create(ward=ward, name="Moldgreen")
    client.force_login(liaison)
    response = client.post(reverse("engagement:create"), exercise_data(ward, liaison, place=place.pk))
    exercise = Exercise.objects.get()
    assert response.status_code == 302 and response.url == reverse("engagement:detail", args=[exercise.pk])
    assert (exercise.status, exercise.place, exercise.method, exercise.created_by) == (
        Status.PLANNED, place, "street_stall", liaison)
    assert exercise.starts_on == datetime.date(2026, 3, 1)
    page = client.get(response.url).content.decode()
    assert exercise.token in page and "Moldgreen, Dalton" in page


def test_a_place_in_another_ward_dates_the_wrong_way_round_and_a_councillor_facilitator_are_refused(
        client, liaison, ward, councillor):
    elsewhere = Place.objects.create(ward=WardFactory(name="Almondbury"), name="Castle Hill")
    client.force_login(liaison)
    response = client.post(reverse("engagement:create"), exercise_data(
        ward, councillor, place=elsewhere.pk, starts_on="31/3/2026", ends_on="1/3/2026"))
    errors = response.context["form"].errors
    assert errors["place"] == ["Castle Hill is not in Dalton: choose a place in the ward, or the whole ward"]
    assert errors["ends_on"] == ["The end date must be the same as or after the start date"]
    assert errors["facilitator"] == ["Choose a member of staff from the list"]
    assert not Exercise.objects.exists()


def test_the_service_refuses_a_councillor_facilitator_too(liaison, ward, councillor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.exercise_create(by=liaison, ward=ward, title="x", starts_on=datetime.date(2026, 1, 1),
                                 ends_on=datetime.date(2026, 1, 2), method="online", facilitator=councillor)


def test_an_exercise_moves_forward_from_planned_to_published(client, liaison, ward):
    exercise = ExerciseFactory(ward=ward, status=Status.PLANNED)
    client.force_login(liaison)
    for action, status in [("open", Status.OPEN), ("close", Status.CLOSED), ("publish", Status.PUBLISHED)]:
        response = client.post(reverse("engagement:transition", args=[exercise.pk, action]), follow=True)
        exercise.refresh_from_db()
        assert exercise.status == status
        assert "Success" in response.content.decode()
    assert exercise.opened_at and exercise.closed_at and exercise.published_at and exercise.published_by == liaison


@pytest.mark.parametrize("status,action,message", [
    (Status.OPEN, "publish", "Close the exercise before publishing"),
    (Status.PLANNED, "close", "Only an open exercise can be closed: open it first"),
    (Status.CLOSED, "open", "exercises only move forward"),
    (Status.PUBLISHED, "close", "exercises only move forward"),
    (Status.PUBLISHED, "publish", "This exercise is already published"),
])
def test_an_exercise_never_moves_back_or_skips_a_step_and_the_team_is_told_why(
        client, liaison, ward, status, action, message):
    exercise = ExerciseFactory(ward=ward, status=status)
    client.force_login(liaison)
    response = client.post(reverse("engagement:transition", args=[exercise.pk, action]), follow=True)
    assert message in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.status == status


def test_a_made_up_action_is_404(client, liaison, exercise):
    client.force_login(liaison)
    assert client.post(reverse("engagement:transition", args=[exercise.pk, "reopen"])).status_code == 404


def test_published_exercises_cannot_be_edited(client, liaison, published):
    client.force_login(liaison)
    response = client.post(reverse("engagement:edit", args=[published.pk]), exercise_data(
        published.ward, liaison, title="Changed"), follow=True)
    assert "Published results cannot be edited" in response.content.decode()
    published.refresh_from_db()
    assert published.title == "Almondbury 2025"


def test_the_ward_is_fixed_once_an_exercise_has_opened(client, liaison, exercise):
    client.force_login(liaison)
    other = WardFactory(name="Almondbury")
    response = client.post(reverse("engagement:edit", args=[exercise.pk]), exercise_data(other, liaison))
    assert response.context["form"].errors["ward"] == ["The ward cannot change once the exercise has opened"]
    exercise.refresh_from_db()
    assert exercise.ward.name == "Dalton"


# --- publishing tells the ward's councillors ----------------------------------------------------

def test_publishing_tells_each_serving_councillor_of_the_ward_once_in_app_and_by_email(
        client, liaison, ward, owner, colleague, unenrolled, django_capture_on_commit_callbacks):
    former = CouncillorFactory(ward=ward, term_end=datetime.date(2020, 1, 1))
    exercise = ExerciseFactory(ward=ward, status=Status.CLOSED, title="Dalton 2026")
    add_responses(exercise, [[4] * 14] * 3)
    client.force_login(liaison)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("engagement:transition", args=[exercise.pk, "publish"]))
        client.post(reverse("engagement:transition", args=[exercise.pk, "publish"]))  # a second click
    notes = Notification.objects.filter(kind=services.NOTIFICATION_KIND)
    assert sorted(notes.values_list("user_id", flat=True)) == sorted([owner.user_id, colleague.user_id])
    note = notes.first()
    assert note.title == "Place Standard results published: Dalton 2026"
    assert "3 responses" in note.body and note.url == reverse("engagement:results", args=[exercise.pk])
    assert note.email_wanted
    assert len(callbacks) == 1  # the emails are queued once, after the commit
    assert not Notification.objects.filter(user__in=[unenrolled.user, former.user]).exists()


def test_the_published_results_link_in_the_notification_opens_for_the_councillor(client, owner, liaison, ward):
    exercise = ExerciseFactory(ward=ward, status=Status.CLOSED)
    services.exercise_publish(exercise=exercise, by=liaison)
    client.force_login(owner.user)
    note = Notification.objects.get(user=owner.user)
    assert client.get(note.url).status_code == 200


# --- paper entry ---------------------------------------------------------------------------------

def paper_data(rows, total=10, extra=None):
    data = {"row-TOTAL_FORMS": str(total), "row-INITIAL_FORMS": "0", "row-MIN_NUM_FORMS": "0",
            "row-MAX_NUM_FORMS": "50"}
    for index in range(total):
        cells = rows[index] if index < len(rows) else [""] * 14
        for number, value in enumerate(cells, start=1):
            data[f"row-{index}-score_{number}"] = value
        data[f"row-{index}-age_band"] = ""
        data[f"row-{index}-postcode_district"] = ""
    data.update(extra or {})
    return data


def test_the_paper_grid_has_a_labelled_numeric_box_for_each_theme_on_each_row(client, liaison, exercise):
    client.force_login(liaison)
    page = client.get(reverse("engagement:paper", args=[exercise.pk]), {"rows": 25}).content.decode()
    assert page.count('inputmode="numeric"') == 25 * 14
    assert 'for="id_row-24-score_14">Form 25: Influence and sense of control</label>' in page


def test_a_stack_of_paper_forms_is_saved_with_blank_boxes_as_skipped_and_blank_rows_ignored(
        client, liaison, exercise):
    client.force_login(liaison)
    rows = [["1", "2", "", "7"] + [""] * 10, ["7"] * 14, [""] * 14, ["", "", "", "3"] + [""] * 10]
    response = client.post(reverse("engagement:paper", args=[exercise.pk]),
                           paper_data(rows, extra={"row-1-age_band": "75_plus", "row-1-postcode_district": "wf13"}))
    assert response.status_code == 302
    saved = list(Response.objects.filter(exercise=exercise, source="paper").order_by("pk"))
    assert [r.scores()[:4] for r in saved] == [[1, 2, None, 7], [7, 7, 7, 7], [None, None, None, 3]]
    assert (saved[1].age_band, saved[1].postcode_district, saved[1].entered_by) == ("75_plus", "WF13", liaison)
    assert "3 paper forms saved" in client.get(response.url).content.decode()


def test_a_bad_score_anywhere_saves_nothing_and_says_which_form_and_which_theme(client, liaison, exercise):
    client.force_login(liaison)
    before = Response.objects.count()
    rows = [["4"] * 14, ["4", "8"] + ["4"] * 12, ["x", "4", "0"] + [""] * 11]
    response = client.post(reverse("engagement:paper", args=[exercise.pk]), paper_data(rows))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem: nothing has been saved" in page
    assert "Form 2, Public transport: Enter a whole number from 1 to 7, or leave it blank" in page
    assert "Form 3, Moving around: Enter a whole number from 1 to 7, or leave it blank" in page
    assert "Form 3, Traffic and parking: Enter a whole number from 1 to 7, or leave it blank" in page
    assert 'href="#id_row-1-score_2"' in page
    assert 'id="id_row-1-score_2" name="row-1-score_2" type="text" inputmode="numeric" maxlength="1" value="8"' in page
    assert Response.objects.count() == before


def test_a_row_with_details_but_no_scores_is_refused(client, liaison, exercise):
    client.force_login(liaison)
    before = Response.objects.count()
    response = client.post(reverse("engagement:paper", args=[exercise.pk]),
                           paper_data([["5"] * 14], extra={"row-1-postcode_district": "HD8"}))
    assert "Form 2: No scores on this row" in response.content.decode()
    assert Response.objects.count() == before


def test_saving_an_empty_grid_asks_for_a_form(client, liaison, exercise):
    client.force_login(liaison)
    response = client.post(reverse("engagement:paper", args=[exercise.pk]), paper_data([]))
    assert response.status_code == 400
    assert "Type in at least one paper form before saving" in response.content.decode()


@pytest.mark.parametrize("status,message", [(Status.PLANNED, "Open the exercise before typing in paper forms"),
                                            (Status.PUBLISHED, "paper forms can no longer be added")])
def test_paper_forms_are_refused_before_opening_and_after_publishing(client, liaison, ward, status, message):
    exercise = ExerciseFactory(ward=ward, status=status)
    client.force_login(liaison)
    response = client.post(reverse("engagement:paper", args=[exercise.pk]), paper_data([["4"] * 14]))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Response.objects.filter(exercise=exercise).exists()


def test_paper_forms_may_still_be_typed_in_after_the_public_survey_closes(client, liaison, ward):
    exercise = ExerciseFactory(ward=ward, status=Status.CLOSED)
    client.force_login(liaison)
    assert client.post(reverse("engagement:paper", args=[exercise.pk]), paper_data([["4"] * 14])).status_code == 302
    assert Response.objects.filter(exercise=exercise).count() == 1


# --- CSV import ----------------------------------------------------------------------------------

HEADER = "moving_around,Public transport,traffic-and-parking,age_band,postcode_district,moving_around_better\n"


def upload(client, exercise, text, name="responses.csv", encoding="utf-8"):
    return client.post(reverse("engagement:import", args=[exercise.pk]),
                       {"file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")})


def test_a_file_with_bad_rows_shows_each_problem_by_row_and_stores_nothing(client, liaison, exercise):
    client.force_login(liaison)
    before = Response.objects.count()
    text = HEADER + "4,5,6,25 to 34,HD8,More crossings\n8,5,,,,\n,,,35_44,,\n3,x,2,ancient,HD8 4AB,\n"
    response = upload(client, exercise, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file has errors, listed below" in page and "Nothing has been imported" in page
    assert "Moving around: “8” is not a score" in page
    assert "No scores: a response needs at least one theme scored from 1 to 7" in page
    assert "Public transport: “x” is not a score" in page
    assert "“ancient” is not an age band" in page and "“HD8 4AB” is not a postcode district" in page
    assert ">3</th>" in page and ">4</th>" in page and ">5</th>" in page
    assert not ResponseImport.objects.exists() and Response.objects.count() == before


def test_a_good_file_is_previewed_then_imported_whole_once(client, liaison, exercise):
    client.force_login(liaison)
    before = Response.objects.count()
    text = "\ufeff" + HEADER + "4,5,6,25 to 34,hd8,More crossings\n\n1,,7,16_24,,\n"
    response = upload(client, exercise, text)
    batch = ResponseImport.objects.get()
    assert response.url == reverse("engagement:import-preview", args=[exercise.pk, batch.pk])
    assert Response.objects.count() == before  # nothing until it is confirmed
    page = client.get(response.url).content.decode()
    assert "2 responses" in page and "1 comment" in page and "Import 2 responses" in page
    assert "No column for Streets and spaces" in page

    response = client.post(reverse("engagement:import-preview", args=[exercise.pk, batch.pk]), follow=True)
    assert "2 responses imported from responses.csv" in response.content.decode()
    imported = list(Response.objects.filter(import_batch=batch).order_by("pk"))
    assert [r.scores()[:4] for r in imported] == [[4, 5, 6, None], [1, None, 7, None]]
    assert [(r.age_band, r.postcode_district, r.source) for r in imported] == [
        ("25_34", "HD8", "import"), ("16_24", "", "import")]
    assert ResponseComment.objects.filter(response=imported[0]).get().text == "More crossings"

    response = client.post(reverse("engagement:import-preview", args=[exercise.pk, batch.pk]), follow=True)
    assert "This file has already been imported" in response.content.decode()
    assert Response.objects.filter(import_batch=batch).count() == 2


def test_a_file_naming_no_theme_is_refused_as_a_whole(client, liaison, exercise):
    client.force_login(liaison)
    page = upload(client, exercise, "q1,q2\n4,5\n").content.decode()
    assert "No column is named after a theme" in page
    assert not ResponseImport.objects.exists()


def test_a_file_that_is_not_utf8_or_not_a_csv_is_refused(client, liaison, exercise):
    client.force_login(liaison)
    assert "saved as UTF-8" in upload(client, exercise, HEADER + "4,5,6,,,Café\n", encoding="cp1252"
                                      ).content.decode()
    assert "The file must be a CSV" in upload(client, exercise, HEADER, name="responses.xlsx").content.decode()
    assert "The file has a header row but no responses" in upload(client, exercise, HEADER).content.decode()
    assert not ResponseImport.objects.exists()


def test_two_columns_for_the_same_theme_are_refused(client, liaison, exercise):
    client.force_login(liaison)
    page = upload(client, exercise, "moving_around,Moving around\n4,5\n").content.decode()
    assert "are the same question" in page


def test_an_import_is_refused_if_the_results_were_published_meanwhile(client, liaison, exercise, batch):
    client.force_login(liaison)
    Exercise.objects.filter(pk=exercise.pk).update(status=Status.PUBLISHED, published_at=exercise.created_at)
    response = client.post(reverse("engagement:import-preview", args=[exercise.pk, batch.pk]), follow=True)
    assert "responses can no longer be added" in response.content.decode()
    assert not Response.objects.filter(import_batch=batch).exists()
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_an_import_batch_of_another_exercise_is_404(client, liaison, exercise, batch, published):
    client.force_login(liaison)
    assert client.get(reverse("engagement:import-preview", args=[published.pk, batch.pk])).status_code == 404


# --- proposing ward priorities -------------------------------------------------------------------

def test_the_team_proposes_a_ward_priority_from_a_low_scoring_theme_once(client, liaison, ward):
    exercise = ExerciseFactory(ward=ward, status=Status.CLOSED, title="Dalton 2026")
    add_responses(exercise, [[1, 6], [2, 6], [4, 7]])
    client.force_login(liaison)
    page = client.get(reverse("engagement:results", args=[exercise.pk])).content.decode()
    assert "Propose a ward priority" in page
    response = client.post(reverse("engagement:propose-priority", args=[exercise.pk]), {"theme": 1}, follow=True)
    priority = Priority.objects.get()
    assert (priority.ward, priority.place, priority.status, priority.created_by) == (
        ward, None, Priority.Status.PROPOSED, liaison)
    assert priority.title == "Moving around in Dalton"
    assert "2.3 out of 7" in priority.description and "median 2" in priority.description
    assert "Priority proposed for Dalton" in response.content.decode()
    assert "Ward priority proposed" in response.content.decode()
    assert PrioritySeed.objects.get().theme == Theme.objects.get(number=1)

    response = client.post(reverse("engagement:propose-priority", args=[exercise.pk]), {"theme": 1}, follow=True)
    assert "was already proposed from this theme" in response.content.decode()
    assert Priority.objects.count() == 1


def test_no_priority_is_proposed_while_responses_are_still_coming_in(client, liaison, exercise):
    client.force_login(liaison)
    assert "Propose a ward priority" not in client.get(
        reverse("engagement:results", args=[exercise.pk])).content.decode()
    response = client.post(reverse("engagement:propose-priority", args=[exercise.pk]), {"theme": 1}, follow=True)
    assert "Propose priorities once the exercise has closed" in response.content.decode()
    assert not Priority.objects.exists()


def test_a_councillor_reading_results_sees_no_priority_button(client, councillor, published):
    client.force_login(councillor)
    page = client.get(reverse("engagement:results", args=[published.pk])).content.decode()
    assert "Propose a ward priority" not in page and "Nice walks" in page


def test_a_made_up_theme_is_404(client, liaison, published):
    client.force_login(liaison)
    assert client.post(reverse("engagement:propose-priority", args=[published.pk]), {"theme": "99"}).status_code == 404
    assert client.post(reverse("engagement:propose-priority", args=[published.pk]), {"theme": "x"}).status_code == 404


def test_a_superuser_without_a_role_is_treated_as_the_team(client, exercise):
    admin = UserFactory(role="", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("engagement:detail", args=[exercise.pk])).status_code == 200


def test_a_ward_data_admin_never_reads_responses(client, data_admin, exercise, published):
    client.force_login(data_admin)
    for url in [reverse("engagement:responses-csv", args=[exercise.pk]),
                reverse("engagement:results", args=[published.pk])]:
        assert client.get(url).status_code == 403
    assert User.Role.WARD_DATA_ADMIN == data_admin.role
