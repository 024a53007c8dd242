"""Every change to Place Standard engagement: exercises and their status, responses (online, paper,
imported), publishing results to councillors, and proposing ward priorities from them.

Permissions are in engagement/permissions.py; the public survey has no user, so its service
checks only that the exercise is open.
"""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from councillors.models import Councillor
from kirklees.govuk.submissions import submission_claim
from kirklees.notifications.services import Message, notify_many
from kirklees.permissions import require
from kirklees.refusals import InvalidTransition, Refused
from wards.models import Place, Priority, Ward
from wards.services.priorities import priority_create

from . import permissions
from .imports import ParsedFile, parse_responses_csv
from .models import SCORE_FIELDS, Exercise, Response, ResponseComment, ResponseImport, Theme, score_field
from .selectors import theme_summary

Status = Exercise.Status

NOTIFICATION_KIND = "place_standard_published"
# The team types in paper forms and imports other tools' responses after the public survey has
# closed, so staff entry runs on past "open"; never once results are published, which would
# change figures councillors have already read.
STAFF_ENTRY_STATUSES = (Status.OPEN, Status.CLOSED)


class ExerciseNotTakingResponses(Refused):
    """The exercise's status does not let responses in (any more, or yet)."""

    def __init__(self, exercise: Exercise, message: str, *, field: str | None = None):
        self.exercise = exercise
        super().__init__(message, field=field)


class ImportNotReady(Refused):
    """The file has errors, or was imported already: nothing was written. `parsed` lists the errors."""

    def __init__(self, message: str, parsed: ParsedFile | None = None, *, field: str | None = None):
        self.parsed = parsed
        super().__init__(message, field=field)


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


# --- exercises -----------------------------------------------------------------------------------

def facilitator_error(user) -> str | None:
    if user is None or not user.is_active or not user.role or user.is_councillor:
        return "Choose a member of council staff as the facilitator"
    return None


def _check_exercise(*, ward: Ward, place: Place | None, starts_on: datetime.date, ends_on: datetime.date,
                    facilitator) -> None:
    errors = {}
    if place is not None and place.ward_id != ward.pk:
        errors["place"] = f"{place.name} is not in {ward.name}: choose a place in the ward, or none"
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if facilitator_error(facilitator):
        errors["facilitator"] = facilitator_error(facilitator)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exercise_create(*, by, ward: Ward, title: str, starts_on: datetime.date, ends_on: datetime.date,
                    method: str, facilitator, place: Place | None = None) -> Exercise:
    require(permissions.can_manage_exercises(by))
    _check_exercise(ward=ward, place=place, starts_on=starts_on, ends_on=ends_on, facilitator=facilitator)
    return Exercise.objects.create(ward=ward, place=place, title=_tidy(title), starts_on=starts_on, ends_on=ends_on,
                                   method=method, facilitator=facilitator, created_by=by)


@transaction.atomic
def exercise_update(*, exercise: Exercise, by, ward: Ward, title: str, starts_on: datetime.date,
                    ends_on: datetime.date, method: str, facilitator, place: Place | None = None) -> Exercise:
    """Its details, until results are published. The ward is fixed once the exercise has opened:
    the responses already in were about that ward."""
    require(permissions.can_manage_exercises(by))
    current = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if current.status == Status.PUBLISHED:
        raise InvalidTransition("Published results cannot be edited: they are what councillors and residents read")
    if ward.pk != current.ward_id and current.status != Status.PLANNED:
        raise Refused("The ward cannot change once the exercise has opened", field="ward")
    _check_exercise(ward=ward, place=place, starts_on=starts_on, ends_on=ends_on, facilitator=facilitator)
    exercise.ward, exercise.place, exercise.title = ward, place, _tidy(title)
    exercise.starts_on, exercise.ends_on = starts_on, ends_on
    exercise.method, exercise.facilitator = method, facilitator
    exercise.save(update_fields=["ward", "place", "title", "starts_on", "ends_on", "method", "facilitator"])
    return exercise


# Each action, the status it needs, the status it gives and the timestamp it sets.
TRANSITIONS = {
    "open": (Status.PLANNED, Status.OPEN, "opened_at"),
    "close": (Status.OPEN, Status.CLOSED, "closed_at"),
    "publish": (Status.CLOSED, Status.PUBLISHED, "published_at"),
}
ORDER = [Status.PLANNED, Status.OPEN, Status.CLOSED, Status.PUBLISHED]


def transition_refusal(current: str, action: str) -> str:
    needed, target, _ = TRANSITIONS[action]
    if current == target:
        return f"This exercise is already {Status(target).label.lower()}"
    if ORDER.index(current) > ORDER.index(target):
        return (f"This exercise is {Status(current).label.lower()}: exercises only move forward "
                "(planned, open, closed, published), never back")
    hints = {
        "close": "Only an open exercise can be closed: open it first",
        "publish": "Close the exercise before publishing, so that results do not change after councillors read them",
    }
    return hints.get(action, f"Only a {Status(needed).label.lower()} exercise can be {action}ed")


def _transition(*, exercise: Exercise, by, action: str, **extra) -> Exercise:
    require(permissions.can_manage_exercises(by))
    needed, target, stamp = TRANSITIONS[action]
    now = timezone.now()
    # Conditional on the status we expect, so that two clicks (or two people) move it once.
    moved = Exercise.objects.filter(pk=exercise.pk, status=needed).update(status=target, **{stamp: now}, **extra)
    if moved != 1:
        current = Exercise.objects.values_list("status", flat=True).get(pk=exercise.pk)
        raise InvalidTransition(transition_refusal(current, action))
    exercise.refresh_from_db()
    return exercise


@transaction.atomic
def exercise_open(*, exercise: Exercise, by) -> Exercise:
    """The public link starts taking responses; the team may type in paper forms."""
    return _transition(exercise=exercise, by=by, action="open")


@transaction.atomic
def exercise_close(*, exercise: Exercise, by) -> Exercise:
    """The public link stops taking responses; the team may still type in the last paper forms."""
    return _transition(exercise=exercise, by=by, action="close")


@transaction.atomic
def exercise_publish(*, exercise: Exercise, by) -> Exercise:
    """Results are final: councillors may read them and the ward's councillors are told now."""
    exercise = _transition(exercise=exercise, by=by, action="publish", published_by=by)
    councillor_user_ids = list(
        Councillor.objects.serving().filter(ward_id=exercise.ward_id, user__is_active=True)
        .order_by("user_id").values_list("user_id", flat=True))
    responses = Response.objects.filter(exercise=exercise).count()
    url = reverse("engagement:results", args=[exercise.pk])
    title = f"Place Standard results published: {exercise.title}"
    body = (f"The results of “{exercise.title}” in {exercise.area_name} ({responses:,} "
            f"response{'' if responses == 1 else 's'}) are published. See what residents scored each theme, "
            "the themes with most room for improvement and what people said.")
    notify_many([Message(user_id, NOTIFICATION_KIND, title, body, url) for user_id in councillor_user_ids])
    return exercise


# --- responses -----------------------------------------------------------------------------------

@dataclass
class ResponseData:
    """One questionnaire's answers, however they arrived. Scores by theme number; None is skipped."""

    scores: dict[int, int | None]
    comments: list[tuple[int, str, str]] = field(default_factory=list)  # (theme number, kind, text)
    age_band: str = ""
    postcode_district: str = ""


def _insert(*, exercise: Exercise, answers: list[ResponseData], source: str, by=None,
            batch: ResponseImport | None = None) -> list[Response]:
    now = timezone.now()
    responses = Response.objects.bulk_create([
        Response(exercise=exercise, source=source, age_band=data.age_band, postcode_district=data.postcode_district,
                 submitted_at=now, entered_by=by, import_batch=batch,
                 **{score_field(n): score for n, score in data.scores.items()})
        for data in answers
    ], batch_size=2000)
    ResponseComment.objects.bulk_create([
        ResponseComment(response=response, exercise=exercise, theme_id=theme, kind=kind, text=text.strip())
        for response, data in zip(responses, answers, strict=True)
        for theme, kind, text in data.comments if text.strip()
    ], batch_size=2000)
    return responses


def _check_answers(answers: list[ResponseData]) -> None:
    for data in answers:
        if not any(score is not None for score in data.scores.values()):
            raise Refused("Each response needs at least one theme scored from 1 to 7")
        if set(data.scores) - set(range(1, len(SCORE_FIELDS) + 1)):
            raise Refused("Scores are for themes 1 to 14")


@transaction.atomic
def response_submit_online(*, exercise: Exercise, data: ResponseData, submission_key: str | None = None) -> Response:
    """A resident's answers from the public survey. Anonymous: no user, no IP address. Raises
    AlreadySubmitted if the same form was sent before (Back and send again): counted once."""
    status = Exercise.objects.values_list("status", flat=True).get(pk=exercise.pk)
    if status != Status.OPEN:
        raise ExerciseNotTakingResponses(exercise, "This survey is not taking responses")
    _check_answers([data])
    submission_claim(submission_key)
    (response,) = _insert(exercise=exercise, answers=[data], source=Response.Source.ONLINE)
    return response


def _check_staff_entry(exercise: Exercise, *, field: str | None = None) -> None:
    status = Exercise.objects.values_list("status", flat=True).get(pk=exercise.pk)
    if status not in STAFF_ENTRY_STATUSES:
        message = ("Open the exercise before typing in responses" if status == Status.PLANNED else
                   "Its results are published: responses can no longer be added")
        raise ExerciseNotTakingResponses(exercise, message, field=field)


@transaction.atomic
def responses_enter_paper(*, exercise: Exercise, by, answers: list[ResponseData]) -> int:
    """A stack of paper forms, typed in by the team: all of them, or (on any error) none."""
    require(permissions.can_manage_exercises(by))
    _check_staff_entry(exercise)
    _check_answers(answers)
    return len(_insert(exercise=exercise, answers=answers, source=Response.Source.PAPER, by=by))


def _answers_from(parsed: ParsedFile) -> list[ResponseData]:
    return [ResponseData(scores=row.scores, comments=row.comments, age_band=row.age_band,
                         postcode_district=row.postcode_district) for row in parsed.rows]


@transaction.atomic
def response_import_upload(*, exercise: Exercise, by, file_name: str, content: str,
                           themes: list[Theme]) -> tuple[ResponseImport, ParsedFile]:
    """Keep a file that parses cleanly until someone confirms it. A file with errors is not kept."""
    require(permissions.can_manage_exercises(by))
    _check_staff_entry(exercise, field="file")
    parsed = parse_responses_csv(content, themes)
    if not parsed.ok:
        raise ImportNotReady("The file has errors, listed below: correct them and upload it again. "
                             "Nothing has been imported.", parsed, field="file")
    batch = ResponseImport.objects.create(exercise=exercise, file_name=file_name[:255], content=content,
                                          uploaded_by=by, row_count=len(parsed.rows))
    return batch, parsed


@transaction.atomic
def response_import_apply(*, batch: ResponseImport, by, themes: list[Theme]) -> int:
    """Write every response in the file, or none. A second confirmation writes nothing."""
    require(permissions.can_manage_exercises(by))
    claimed = ResponseImport.objects.filter(pk=batch.pk, applied_at__isnull=True).update(applied_at=timezone.now())
    if not claimed:
        raise ImportNotReady("This file has already been imported")
    _check_staff_entry(batch.exercise)
    parsed = parse_responses_csv(batch.content, themes)
    if not parsed.ok:  # the themes changed since the preview: refuse rather than guess
        raise ImportNotReady("The file no longer matches the questionnaire: upload it again", parsed)
    responses = _insert(exercise=batch.exercise, answers=_answers_from(parsed), source=Response.Source.IMPORT,
                        by=by, batch=batch)
    return len(responses)


# --- priorities from results ---------------------------------------------------------------------

class AlreadySeeded(Refused):
    """A priority was proposed from this theme already; `priority` is that one."""

    def __init__(self, priority: Priority):
        self.priority = priority
        super().__init__(f"“{priority.title}” was already proposed from this theme")


@transaction.atomic
def priority_propose_from_theme(*, exercise: Exercise, theme: Theme, by) -> Priority:
    """Propose a ward priority from a theme residents scored low, for the ward to agree or drop.

    The priority is made by wards' own service (its rules on places and permissions apply), and
    linked back to the exercise so that the results page shows it was done, once per theme.
    """
    require(permissions.can_manage_exercises(by))
    if exercise.status not in (Status.CLOSED, Status.PUBLISHED):
        raise InvalidTransition("Propose priorities once the exercise has closed and its results are complete")
    existing = exercise.priority_seeds.filter(theme=theme).select_related("priority").first()
    if existing:
        raise AlreadySeeded(existing.priority)
    summary = theme_summary(exercise, theme)
    mean = f"{summary.mean:.1f}" if summary.mean is not None else "no score"
    median = f"{summary.median:g}" if summary.median is not None else "none"
    description = (
        f"In the Place Standard exercise “{exercise.title}” ({exercise.starts_on:%-d %B %Y} to "
        f"{exercise.ends_on:%-d %B %Y}), residents scored {theme.name.lower()} {mean} out of 7 on average "
        f"(median {median}, {summary.n:,} answer{'' if summary.n == 1 else 's'}). "
        f"1 means a lot of room for improvement and 7 very little.\n\nThe question: {theme.question}"
    )
    priority = priority_create(
        by=by, ward=exercise.ward, place=exercise.place, title=f"{theme.name} in {exercise.area_name}"[:150],
        description=description, outcome_sought="To be agreed with the ward councillors and residents.",
        status=Priority.Status.PROPOSED,
    )
    try:
        with transaction.atomic():  # a savepoint: someone may have pressed the same button a moment ago
            exercise.priority_seeds.create(theme=theme, priority=priority, created_by=by)
    except IntegrityError:
        raise AlreadySeeded(exercise.priority_seeds.get(theme=theme).priority) from None
    return priority
