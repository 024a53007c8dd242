"""The public Place Standard survey: no login, a link per exercise, bad input refused and nothing
written, spam and floods stopped, no personal data kept."""
import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from engagement import throttle
from engagement.models import Exercise, Response, ResponseComment

from ..factories.engagement import ExerciseFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Every test client posts from 127.0.0.1: start each test with that address's count at zero."""
    key = throttle._key(RequestFactory().get("/"))
    cache.delete(key)
    yield
    cache.delete(key)


@pytest.fixture
def exercise(ward):
    return ExerciseFactory(ward=ward, title="Dalton 2026", status=Exercise.Status.OPEN)


def url(exercise):
    return reverse("engagement:survey", args=[exercise.token])


def answers(**overrides):
    data = {f"score_{n}": "" for n in range(1, 15)}
    data.update({"score_1": "2", "score_2": "7", "score_12": "skip", "age_band": "", "postcode_district": "",
                 "leave_blank": ""})
    data.update(overrides)
    return data


def test_the_survey_link_is_long_and_unguessable_and_differs_per_exercise(exercise, ward):
    other = ExerciseFactory(ward=ward)
    assert len(exercise.token) >= 24 and exercise.token != other.token
    assert str(exercise.pk) not in url(exercise).split("/")


def test_anyone_can_open_the_survey_without_signing_in_and_sees_fourteen_questions_in_fieldsets(client, exercise):
    response = client.get(url(exercise))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<fieldset class="govuk-fieldset"') == 15  # 14 themes and the age band
    assert page.count("<legend") == 15
    assert "How safe do you feel here, day and night?" in page
    assert 'name="score_14"' in page and 'value="skip"' in page
    assert 'name="leave_blank"' in page and "govuk-!-display-none" in page
    assert "Have your say about Dalton" in page


def test_answers_are_saved_with_skipped_themes_empty_and_the_person_thanked(client, exercise):
    data = answers(good_1="Good paths", better_2="More buses at night", age_band="35_44", postcode_district="hd8 ")
    response = client.post(url(exercise), data)
    assert response.status_code == 302
    assert response.url == reverse("engagement:survey-thanks", args=[exercise.token])
    saved = Response.objects.get(exercise=exercise)
    assert saved.scores() == [2, 7] + [None] * 12
    assert (saved.source, saved.age_band, saved.postcode_district) == ("online", "35_44", "HD8")
    assert saved.entered_by is None
    assert sorted(ResponseComment.objects.values_list("theme_id", "kind", "text")) == [
        (1, "good", "Good paths"), (2, "better", "More buses at night")]
    assert "Thank you" in client.get(response.url).content.decode()


def test_no_ip_address_is_stored_with_a_response(client, exercise):
    client.post(url(exercise), answers(), REMOTE_ADDR="203.0.113.9")
    saved = Response.objects.filter(exercise=exercise).values().get()
    assert not any("ip" in name.split("_") or "address" in name for name in saved)
    assert "203.0.113.9" not in str(saved)


@pytest.mark.parametrize("bad", ["0", "8", "x", "3.5", "-1", "77"])
def test_a_score_out_of_range_is_refused_beside_its_question_and_nothing_is_written(client, exercise, bad):
    response = client.post(url(exercise), answers(score_2=bad))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Public transport: choose a score from 1 to 7, or skip the question" in page
    assert 'href="#id_score_2_0"' in page
    assert not Response.objects.exists()


def test_a_survey_with_every_question_skipped_is_refused(client, exercise):
    data = answers(score_1="", score_2="skip", score_12="")
    page = client.post(url(exercise), data).content.decode()
    assert "Score at least one theme from 1 to 7 before sending your answers" in page
    assert not Response.objects.exists()


def test_a_full_postcode_or_a_made_up_one_is_refused(client, exercise):
    for bad in ["HD8 9PL", "12", "HHHD8"]:
        page = client.post(url(exercise), answers(postcode_district=bad)).content.decode()
        assert "Enter the first part of a postcode only, like HD8 or WF13" in page
    assert not Response.objects.exists()


def test_a_comment_over_the_limit_is_refused(client, exercise):
    page = client.post(url(exercise), answers(better_3="x" * 2001)).content.decode()
    assert "Traffic and parking, what could be better: write 2000 characters or fewer" in page
    assert " open>" in page  # the comment box is shown, not folded away
    assert not Response.objects.exists()


def test_a_missing_exercise_is_404(client, exercise):
    assert client.get(reverse("engagement:survey", args=["no-such-link"])).status_code == 404
    assert client.post(reverse("engagement:survey", args=["no-such-link"]), answers()).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize("status,code,words", [
    (Exercise.Status.CLOSED, 410, "This survey has closed"),
    (Exercise.Status.PUBLISHED, 410, "This survey has closed"),
    (Exercise.Status.PLANNED, 403, "This survey has not opened yet"),
])
def test_an_exercise_that_is_not_open_takes_no_responses_and_says_so(client, ward, status, code, words):
    exercise = ExerciseFactory(ward=ward, status=status)
    for response in (client.get(url(exercise)), client.post(url(exercise), answers())):
        assert response.status_code == code
        assert words in response.content.decode()
    assert not Response.objects.exists()


def test_answers_sent_after_the_exercise_closed_are_refused(client, exercise, liaison):
    from engagement.services import exercise_close

    assert client.get(url(exercise)).status_code == 200
    exercise_close(exercise=exercise, by=liaison)
    response = client.post(url(exercise), answers())
    assert response.status_code == 410 and "yours could not be saved" in response.content.decode()
    assert not Response.objects.exists()


def test_a_filled_in_honeypot_is_refused_with_a_clear_page_and_nothing_is_written(client, exercise):
    response = client.post(url(exercise), answers(leave_blank="http://spam.example"))
    assert response.status_code == 400
    assert "Your answers could not be sent" in response.content.decode()
    assert not Response.objects.exists()


def test_a_flood_from_one_address_is_refused_with_a_clear_page_and_nothing_more_is_written(client, exercise,
                                                                                           monkeypatch):
    monkeypatch.setattr(throttle, "SURVEY_LIMIT", 3)
    for _ in range(3):
        assert client.post(url(exercise), answers()).status_code == 302
    response = client.post(url(exercise), answers())
    assert response.status_code == 429
    assert "Too many answers have been sent from your connection" in response.content.decode()
    assert Response.objects.count() == 3
    # Someone else, elsewhere, is not held up by it.
    assert client.post(url(exercise), answers(), REMOTE_ADDR="198.51.100.7").status_code == 302
    cache.delete(throttle._key(RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")))


def test_bad_submissions_count_towards_the_limit_too(client, exercise, monkeypatch):
    monkeypatch.setattr(throttle, "SURVEY_LIMIT", 2)
    client.post(url(exercise), answers(score_1="9"))
    client.post(url(exercise), answers(score_1="9"))
    assert client.post(url(exercise), answers()).status_code == 429
    assert not Response.objects.exists()


def test_the_rate_limit_keeps_no_address_in_the_cache_key(exercise):
    key = throttle._key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9"))
    assert "203.0.113.9" not in key
    assert key != throttle._key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.10"))


def test_if_the_cache_is_down_answers_are_still_taken(client, exercise, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(throttle.cache, "add", broken)
    assert client.post(url(exercise), answers()).status_code == 302
    assert Response.objects.count() == 1


PROXY = "10.0.0.1"  # a TLS-terminating proxy in front of the app: every request reaches Django from it


def _forget(*addresses):
    for address in addresses:
        cache.delete(throttle._key(RequestFactory().get("/", HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR=address)))


def test_behind_a_proxy_residents_are_counted_by_their_own_address_not_the_proxys(client, exercise, monkeypatch,
                                                                                   settings):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(throttle, "SURVEY_LIMIT", 2)
    _forget(PROXY, "203.0.113.20", "203.0.113.21")
    flood = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.20"}
    for _ in range(2):
        assert client.post(url(exercise), answers(), **flood).status_code == 302
    assert client.post(url(exercise), answers(), **flood).status_code == 429
    # Another resident, through the same proxy, is not shut out by the flood.
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.21"}
    assert client.post(url(exercise), answers(), **other).status_code == 302
    _forget(PROXY, "203.0.113.20", "203.0.113.21")


@pytest.mark.parametrize("proxies", [0, 1])
def test_addresses_a_client_writes_into_x_forwarded_for_do_not_get_it_past_the_limit(client, exercise,
                                                                                     monkeypatch, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    monkeypatch.setattr(throttle, "SURVEY_LIMIT", 2)
    real = "203.0.113.30" if proxies else "127.0.0.1"
    _forget(PROXY, real)
    statuses = []
    for n in range(4):
        # The client makes up an address each time; a trusted proxy appends the real one after it.
        forwarded = f"198.51.100.{n}, {real}" if proxies else f"198.51.100.{n}"
        statuses.append(client.post(url(exercise), answers(), REMOTE_ADDR=PROXY if proxies else real,
                                    HTTP_X_FORWARDED_FOR=forwarded).status_code)
    assert statuses == [302, 302, 429, 429]
    _forget(PROXY, real)
