"""Place Standard results: exact aggregates against hand-worked figures, comparisons, the compass,
the selectors other pages use, and the results page and its CSV."""
import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagement import selectors
from engagement.models import Exercise, Response, Theme
from wards.models import Place

from ..factories.engagement import ExerciseFactory, add_comment, add_responses
from ..factories.wards import WardFactory

PUBLISHED = Exercise.Status.PUBLISHED

# Four responses; theme 3 skipped by everyone, theme 1 by the last person.
#             theme: 1     2   3     4
HAND_WORKED = [[1,    1, None, 7],
               [2,    2, None, 7],
               [4,    5, None, 6],
               [None, 7, None, 5]]


@pytest.fixture
def themes(db):
    return list(Theme.objects.order_by("number"))


@pytest.fixture
def exercise(ward):
    exercise = ExerciseFactory(ward=ward, title="Dalton 2026", status=PUBLISHED)
    add_responses(exercise, HAND_WORKED[:2], age_band=Response.AgeBand.FROM_16)
    add_responses(exercise, HAND_WORKED[2:], age_band=Response.AgeBand.FROM_65)
    return exercise


def by_number(results):
    return {t.theme.number: t for t in results.themes}


def test_the_migration_loads_the_fourteen_themes_from_the_data_file_in_order(themes):
    with open("data/place_standard_themes.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(t.number, t.slug, t.name) for t in themes] == [(int(r["number"]), r["slug"], r["name"]) for r in rows]
    assert all(t.question.endswith("?") and t.hint for t in themes)


def test_an_odd_number_of_answers_gives_the_middle_one_as_median_and_the_exact_mean(exercise, themes):
    theme = by_number(selectors.exercise_results(exercise, themes))[1]
    assert theme.n == 3  # the fourth person skipped it
    assert theme.mean == pytest.approx(7 / 3)
    assert theme.median == 2
    assert theme.counts == [1, 1, 0, 1, 0, 0, 0]


def test_an_even_number_of_answers_gives_the_halfway_point_of_the_middle_two_as_median(exercise, themes):
    themes_ = by_number(selectors.exercise_results(exercise, themes))
    assert (themes_[2].n, themes_[2].mean, themes_[2].median) == (4, pytest.approx(3.75), 3.5)
    assert themes_[2].counts == [1, 1, 0, 0, 1, 0, 1]
    assert (themes_[4].n, themes_[4].mean, themes_[4].median) == (4, pytest.approx(6.25), 6.5)


def test_a_theme_everyone_skipped_has_no_mean_no_median_and_no_answers(exercise, themes):
    results = selectors.exercise_results(exercise, themes)
    theme = by_number(results)[3]
    assert (theme.n, theme.mean, theme.median, theme.counts) == (0, None, None, [0] * 7)
    assert results.responses == 4
    assert theme not in results.lowest


def test_the_lowest_scoring_themes_are_called_out_lowest_first(exercise, themes):
    lowest = selectors.exercise_results(exercise, themes).lowest
    assert [t.theme.number for t in lowest] == [1, 2, 4]


def test_results_filtered_by_age_band_count_only_that_group(exercise, themes):
    results = selectors.exercise_results(exercise, themes, age_band=Response.AgeBand.FROM_16)
    theme = by_number(results)
    assert results.responses == 2
    assert (theme[1].n, theme[1].mean, theme[1].median) == (2, 1.5, 1.5)
    assert (theme[4].mean, theme[4].median) == (7, 7)


def test_an_exercises_results_take_two_queries_however_many_responses(exercise, themes):
    add_responses(exercise, [[3] * 14] * 200)
    with CaptureQueriesContext(connection) as queries:
        results = selectors.exercise_results(exercise, themes)
    assert len(queries) == 2
    assert results.responses == 204
    assert [n for code, _, n in results.age_bands if code in ("16_24", "65_74", "")] == [2, 2, 200]


# --- the tallies the results are read from -------------------------------------------------------

def raw_figures(exercise_ids, age_band=""):
    """n, mean, percentile_cont(0.5) and the distribution of every theme, straight from the raw
    responses: what the tallies must always agree with."""
    figures = {}
    where = "exercise_id = ANY(%s)" + (" AND age_band = %s" if age_band else "")
    params = [list(exercise_ids)] + ([age_band] if age_band else [])
    with connection.cursor() as cursor:
        for n in range(1, 15):
            column = f"score_{n}"
            counts = ", ".join(f"count(*) FILTER (WHERE {column} = {s})" for s in range(1, 8))
            cursor.execute(f"SELECT count({column}), avg({column})::float8, "
                           f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}), {counts} "
                           f"FROM engagement_response WHERE {where}", params)
            total, mean, median, *distribution = cursor.fetchone()
            figures[n] = (total, mean, median, distribution)
    return figures


def tally_figures(results):
    return {t.theme.number: (t.n, t.mean, t.median, t.counts) for t in results.themes}


def assert_same(tallied, raw):
    for number, (n, mean, median, counts) in raw.items():
        got = tallied[number]
        assert (got[0], got[3]) == (n, counts), number
        assert got[1] == (None if mean is None else pytest.approx(mean)), number
        assert got[2] == (None if median is None else pytest.approx(median)), number


@pytest.mark.parametrize("size", [1, 2, 7, 50, 301])
def test_tallied_results_agree_with_percentile_cont_and_avg_over_the_raw_answers(ward, themes, size):
    import random

    rng = random.Random(size)
    exercise = ExerciseFactory(ward=ward)
    bands = ["", "16_24", "45_54"]
    for band in bands:
        rows = [[None if rng.random() < 0.2 else rng.randint(1, 7) for _ in range(14)] for _ in range(size)]
        add_responses(exercise, [row if any(row) else [4] for row in rows], age_band=band)
    for band in ["", *bands[1:]]:
        assert_same(tally_figures(selectors.exercise_results(exercise, themes, age_band=band)),
                    raw_figures([exercise.pk], band))


def test_the_tallies_follow_every_kind_of_write_to_the_responses(exercise, themes):
    from engagement.models import ScoreTally

    add_responses(exercise, [[7, 7, 7]] * 3, age_band="25_34")  # a bulk insert
    Response.objects.filter(exercise=exercise, score_1=7).update(score_1=1)  # an update
    Response.objects.filter(exercise=exercise, age_band="65_74").delete()  # a delete
    assert_same(tally_figures(selectors.exercise_results(exercise, themes)), raw_figures([exercise.pk]))
    assert not ScoreTally.objects.filter(responses__lt=0).exists()


def test_the_borough_average_covers_every_published_exercise_and_nothing_unpublished(exercise, themes):
    other = ExerciseFactory(status=PUBLISHED)
    add_responses(other, [[7, 7, 7, 7]])
    unpublished = ExerciseFactory(status=Exercise.Status.CLOSED)
    add_responses(unpublished, [[1, 1, 1, 1]])
    comparison = selectors.comparison_for(exercise, "borough")
    assert comparison.label == "the Kirklees average (2 published exercises)"
    assert comparison.means[0] == pytest.approx((1 + 2 + 4 + 7) / 4)
    assert comparison.means[2] == pytest.approx(7)  # only the other exercise answered theme 3


def test_the_previous_exercise_is_the_last_published_one_in_the_same_place(ward, themes):
    place = Place.objects.create(ward=ward, name="Moldgreen")
    older = ExerciseFactory(ward=ward, place=place, starts_on=datetime.date(2023, 3, 1),
                            ends_on=datetime.date(2023, 3, 31), status=PUBLISHED)
    previous = ExerciseFactory(ward=ward, place=place, starts_on=datetime.date(2024, 3, 1),
                               ends_on=datetime.date(2024, 3, 31), status=PUBLISHED)
    ExerciseFactory(ward=ward, place=None, starts_on=datetime.date(2025, 3, 1),
                    ends_on=datetime.date(2025, 3, 31), status=PUBLISHED)  # the whole ward: not the same place
    ExerciseFactory(ward=ward, place=place, starts_on=datetime.date(2025, 3, 1),
                    ends_on=datetime.date(2025, 3, 31), status=Exercise.Status.CLOSED)  # not published
    current = ExerciseFactory(ward=ward, place=place, starts_on=datetime.date(2026, 3, 1))
    add_responses(previous, [[2, 2], [3, 4]])
    assert selectors.previous_exercise(current) == previous
    assert selectors.previous_exercise(older) is None
    comparison = selectors.comparison_for(current, "previous")
    assert comparison.exercise == previous and comparison.means[:2] == [2.5, 3.0]


def test_another_ward_is_compared_through_its_latest_published_exercise(exercise, themes):
    almondbury = WardFactory(name="Almondbury")
    ExerciseFactory(ward=almondbury, status=PUBLISHED, ends_on=datetime.date(2026, 3, 31),
                    starts_on=datetime.date(2026, 3, 1))
    older = ExerciseFactory(ward=almondbury, status=PUBLISHED, starts_on=datetime.date(2025, 1, 1),
                            ends_on=datetime.date(2025, 1, 31))
    latest = ExerciseFactory(ward=almondbury, status=PUBLISHED, starts_on=datetime.date(2026, 4, 1),
                             ends_on=datetime.date(2026, 4, 30))
    add_responses(latest, [[6, 5]])
    add_responses(older, [[1, 1]])
    assert selectors.wards_to_compare(exercise) == [almondbury]
    comparison = selectors.comparison_for(exercise, f"ward-{almondbury.pk}")
    assert comparison.exercise == latest and comparison.means[:2] == [6, 5]
    assert selectors.comparison_for(exercise, "ward-abc") is None


def test_the_compass_is_an_svg_with_fourteen_spokes_a_title_and_a_description_of_every_score(exercise, themes):
    results = selectors.with_comparison(selectors.exercise_results(exercise, themes),
                                        selectors.comparison_for(exercise, "borough"))
    compass = selectors.compass_for(results)
    assert len(compass.spokes) == 14 and len(compass.rings) == 7 and len(compass.labels) == 14
    assert "Moving around 2.3" in compass.description and "Traffic and parking no answers" in compass.description
    assert compass.comparison is not None
    # A score of 7 reaches the outer ring; the first theme points straight up.
    x, y = compass.spokes[0][2:]
    assert x == pytest.approx(320) and y < 300


def test_the_comments_sample_takes_the_newest_few_of_each_kind_and_counts_them_all(exercise, themes):
    response = Response.objects.filter(exercise=exercise).first()
    others = list(Response.objects.filter(exercise=exercise).exclude(pk=response.pk))
    for n, each in enumerate([response, *others]):
        add_comment(each, 1, f"Better {n}")
    add_comment(response, 1, "Lovely paths", kind="good")
    with CaptureQueriesContext(connection) as queries:
        sample = selectors.comments_sample(exercise, themes, per_theme=3)
    assert len(queries) == 2
    first = sample[0]
    assert (first.better_total, first.good_total) == (4, 1)
    assert first.better == ["Better 3", "Better 2", "Better 1"] and first.good == ["Lovely paths"]
    assert sample[1].better == [] and sample[1].better_total == 0


# --- selectors for other pages -------------------------------------------------------------------

def test_published_results_for_a_ward_give_the_latest_per_area_with_means_in_four_queries(ward, themes):
    place = Place.objects.create(ward=ward, name="Rawthorpe")
    ExerciseFactory(ward=ward, status=PUBLISHED, starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2024, 1, 31))
    ward_wide = ExerciseFactory(ward=ward, status=PUBLISHED, title="Dalton 2026")
    in_place = ExerciseFactory(ward=ward, place=place, status=PUBLISHED, title="Rawthorpe 2025",
                               starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 5, 31))
    ExerciseFactory(ward=ward, status=Exercise.Status.CLOSED, starts_on=datetime.date(2026, 6, 1),
                    ends_on=datetime.date(2026, 6, 30))
    add_responses(ward_wide, [[1, 7], [3, None]])
    add_responses(in_place, [[5] * 14] * 30)
    with CaptureQueriesContext(connection) as queries:
        results = selectors.published_results_for_ward(ward)
    assert len(queries) == 4
    assert [r.exercise for r in results] == [ward_wide, in_place]
    first = results[0]
    assert first.responses == 2 and first.area_name == "Dalton"
    assert (first.themes[0].name, first.themes[0].n, first.themes[0].mean) == ("Moving around", 2, 2)
    assert first.themes[1].mean == 7 and first.themes[2].mean is None
    assert [m.number for m in first.lowest] == [1, 2]
    assert first.compass.id == f"compass-{ward_wide.pk}"
    assert results[1].responses == 30 and results[1].area_name == "Rawthorpe, Dalton"


def test_published_results_for_a_ward_with_none_published_is_an_empty_list(ward, db):
    ExerciseFactory(ward=ward, status=Exercise.Status.CLOSED)
    assert selectors.published_results_for_ward(ward) == []


# --- the page ------------------------------------------------------------------------------------

def test_the_results_page_shows_the_compass_the_table_and_the_lowest_themes(client, liaison, exercise):
    client.force_login(liaison)
    page = client.get(reverse("engagement:results", args=[exercise.pk])).content.decode()
    assert 'role="img"' in page and 'aria-labelledby="compass-title compass-desc"' in page
    assert "<title id=\"compass-title\">" in page and "<desc id=\"compass-desc\">" in page
    assert page.count("<line ") == 14
    assert "Most room for improvement" in page and "2.3 out of 7" in page
    assert "Average score for each theme" in page and "3.75" in page and "3.5" in page


def test_the_results_page_costs_the_same_number_of_queries_with_more_responses(client, liaison, exercise):
    client.force_login(liaison)
    url = reverse("engagement:results", args=[exercise.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_responses(exercise, [[4] * 14] * 300)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"age_band": "16_24", "compare": "borough"})
    assert len(many) == len(few)


def test_results_filtered_by_age_band_on_the_page(client, liaison, exercise):
    client.force_login(liaison)
    page = client.get(reverse("engagement:results", args=[exercise.pk]), {"age_band": "16_24"}).content.decode()
    assert "2 responses" in page and "from people aged 16 to 24" in page


def test_a_made_up_age_band_or_comparison_is_refused_with_a_message(client, liaison, exercise):
    client.force_login(liaison)
    response = client.get(reverse("engagement:results", args=[exercise.pk]), {"age_band": "old", "compare": "x"})
    page = response.content.decode()
    assert "Choose an age band from the list" in page and "Choose something to compare with from the list" in page
    assert "4 responses" in page  # shown unfiltered


def test_the_results_csv_has_a_row_per_theme_with_exact_figures(client, councillor_elsewhere, exercise):
    client.force_login(councillor_elsewhere)
    response = client.get(reverse("engagement:results-csv", args=[exercise.pk]), {"compare": "none"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["theme number", "theme", "answers", "mean", "median"]
    assert len(rows) == 15
    assert rows[1][:12] == ["1", "Moving around", "3", "2.33", "2", "1", "1", "0", "1", "0", "0", "0"]
    assert rows[1][12] == "1"  # skipped
    assert rows[2][2:5] == ["4", "3.75", "3.5"]
    assert rows[3][2:5] == ["0", "", ""]


def test_the_responses_csv_is_anonymous_and_in_the_import_format(client, liaison, exercise):
    client.force_login(liaison)
    response = client.get(reverse("engagement:responses-csv", args=[exercise.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:6] == ["response", "source", "submitted_at", "age_band", "postcode_district", "moving_around"]
    assert len(rows) == 5
    assert rows[1][3] == "16_24" and rows[1][5:9] == ["1", "1", "", "7"]


@pytest.fixture
def councillor_elsewhere(db):
    from ..factories.councillors import CouncillorFactory

    return CouncillorFactory(user__full_name="Cllr Elsewhere").user


def test_a_publication_date_is_required_of_a_published_exercise(ward, liaison):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Exercise.objects.create(ward=ward, title="x", starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                                method="online", status=PUBLISHED, facilitator=liaison, created_by=liaison)
