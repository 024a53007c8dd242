"""Learning and networking events with booking, capacity and reminders; the resource library."""
import datetime
import functools
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagement.learning import services
from engagement.learning.models import Booking, Event, Resource
from kirklees.jobs.models import JobRun
from kirklees.notifications.models import Notification
from kirklees.users.models import User

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory, give_second_factor
from ..factories.learning import BookingFactory, EventFactory, ResourceFactory
from ..helpers import errors_of, queries_for, run_at_once
from ..samples import PDF, PNG, docx_bytes

TZ = datetime.timezone.utc


@pytest.fixture
def event(liaison):
    return EventFactory(title="Working in a political environment", kind=Event.Kind.POLITICAL_ENVIRONMENT,
                        capacity=3, created_by=liaison)


@pytest.fixture
def resource(liaison):
    return ResourceFactory(title="Ward newsletter template", created_by=liaison, tags=["newsletters"])


def event_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {"kind": "lunchtime_briefing", "title": "Budget briefing", "description": "How the budget is set.",
            "date": day.strftime("%d/%m/%Y"), "start_time": "12:30", "end_time": "1:15pm",
            "location": "Town Hall", "online_link": "", "ward": "", "capacity": "25", "booking_open": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def book(client, event, **data):
    return client.post(reverse("learning:book", args=[event.pk]), data)


# ---------------------------------------------------------------- who may open what

def test_anonymous_visitors_are_sent_to_sign_in_from_every_learning_page(client, event, resource):
    gets = [reverse("learning:events"), reverse("learning:event", args=[event.pk]),
            reverse("learning:event-create"), reverse("learning:event-edit", args=[event.pk]),
            reverse("learning:event-cancel", args=[event.pk]),
            reverse("learning:event-attendees-csv", args=[event.pk]), reverse("learning:my-bookings"),
            reverse("learning:resources"), reverse("learning:resource-create"),
            reverse("learning:resource-edit", args=[resource.pk]),
            reverse("learning:resource-download", args=[resource.pk])]
    posts = [reverse("learning:book", args=[event.pk]), reverse("learning:cancel-booking", args=[event.pk]),
             reverse("learning:resource-delete", args=[resource.pk])]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    for url in posts:
        response = client.post(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    assert not Booking.objects.exists() and Resource.objects.exists()


def test_an_account_without_a_role_may_not_read_or_book(client, no_role, event, resource):
    client.force_login(no_role)
    for url in [reverse("learning:events"), reverse("learning:event", args=[event.pk]),
                reverse("learning:my-bookings"), reverse("learning:resources"),
                reverse("learning:resource-download", args=[resource.pk])]:
        assert client.get(url).status_code == 403, url
    assert book(client, event).status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize("who", ["councillor", "liaison", "manager", "data_admin"])
def test_every_role_reads_events_their_bookings_and_the_library(client, people_in_one_ward, event, resource, who):
    client.force_login(people_in_one_ward[who])
    assert "Working in a political environment" in client.get(reverse("learning:events")).content.decode()
    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("learning:my-bookings")).status_code == 200
    assert "Ward newsletter template" in client.get(reverse("learning:resources")).content.decode()


@pytest.mark.parametrize("who,expected", [("liaison", 200), ("manager", 200), ("councillor", 403),
                                          ("data_admin", 403)])
def test_only_the_liaison_team_runs_events(client, people_in_one_ward, event, who, expected):
    client.force_login(people_in_one_ward[who])
    for url in [reverse("learning:event-create"), reverse("learning:event-edit", args=[event.pk]),
                reverse("learning:event-cancel", args=[event.pk]),
                reverse("learning:event-attendees-csv", args=[event.pk])]:
        assert client.get(url).status_code == expected, url
    response = client.post(reverse("learning:event-create"), event_data())
    assert response.status_code == (302 if expected == 200 else 403)
    client.post(reverse("learning:event-cancel", args=[event.pk]), {"reason": "Speaker ill"})
    event.refresh_from_db()
    assert event.is_cancelled == (expected == 200)


@pytest.mark.parametrize("who,sees", [("liaison", True), ("manager", True), ("councillor", False),
                                      ("data_admin", False)])
def test_only_the_liaison_team_sees_who_has_booked(client, people_in_one_ward, event, who, sees):
    BookingFactory(event=event, user=UserFactory(full_name="Bella Booker"))
    client.force_login(people_in_one_ward[who])
    page = client.get(event.get_absolute_url()).content.decode()
    assert ("Bella Booker" in page) == sees
    assert ("Download the list" in page) == sees


@pytest.mark.parametrize("who,expected", [("liaison", 200), ("manager", 200), ("councillor", 403),
                                          ("data_admin", 403)])
def test_only_the_liaison_team_manages_the_library(client, people_in_one_ward, resource, who, expected):
    client.force_login(people_in_one_ward[who])
    assert client.get(reverse("learning:resource-create")).status_code == expected
    assert client.get(reverse("learning:resource-edit", args=[resource.pk])).status_code == expected
    response = client.post(reverse("learning:resource-create"), {"title": "Guide", "description": "How to.",
                                                                  "kind": "guidance"})
    assert response.status_code == (302 if expected == 200 else 403)
    response = client.post(reverse("learning:resource-delete", args=[resource.pk]))
    assert response.status_code == (302 if expected == 200 else 403)
    assert Resource.objects.filter(pk=resource.pk).exists() == (expected != 200)


# ---------------------------------------------------------------- booking

@pytest.mark.parametrize("who", ["councillor", "liaison", "data_admin"])
def test_a_councillor_or_any_member_of_staff_books_a_place_and_sees_it_in_their_bookings(
        client, people_in_one_ward, event, who):
    client.force_login(people_in_one_ward[who])
    response = book(client, event)
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    booking = Booking.objects.get()
    assert booking.user == people_in_one_ward[who] and booking.status == Booking.Status.BOOKED
    page = client.get(reverse("learning:my-bookings")).content.decode()
    assert "Working in a political environment" in page and "Booked" in page
    assert "You are booked" in client.get(event.get_absolute_url()).content.decode()


def test_booking_twice_keeps_one_place(client, people_in_one_ward, event):
    client.force_login(people_in_one_ward["councillor"])
    book(client, event)
    response = client.post(reverse("learning:book", args=[event.pk]), follow=True)
    assert "You have already booked a place" in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_at_capacity_is_refused_and_nothing_is_written(client, people_in_one_ward, event):
    for _ in range(event.capacity):
        BookingFactory(event=event)
    client.force_login(people_in_one_ward["councillor"])
    response = client.post(reverse("learning:book", args=[event.pk]), follow=True)
    assert "Sorry, this event is full" in response.content.decode()
    assert not Booking.objects.filter(user=people_in_one_ward["councillor"]).exists()
    assert Booking.objects.filter(event=event).count() == event.capacity
    assert "Join the waiting list" in response.content.decode()


@pytest.mark.parametrize("change,message", [
    ({"status": Event.Status.CANCELLED, "cancelled_at": timezone.now()}, "This event has been cancelled"),
    ({"booking_open": False}, "Booking for this event is closed"),
    ({"starts_at": timezone.now() - datetime.timedelta(minutes=5)}, "This event has already started"),
])
def test_no_booking_on_a_cancelled_closed_or_started_event(client, people_in_one_ward, event, change, message):
    Event.objects.filter(pk=event.pk).update(**change)
    client.force_login(people_in_one_ward["councillor"])
    response = client.post(reverse("learning:book", args=[event.pk]), follow=True)
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_a_full_event_has_a_waiting_list_and_a_cancelled_place_goes_to_the_first_waiting(
        client, people_in_one_ward, event):
    booked = [BookingFactory(event=event).user for _ in range(event.capacity)]
    client.force_login(people_in_one_ward["councillor"])
    book(client, event, waiting_list="yes")
    client.force_login(people_in_one_ward["colleague"])
    book(client, event, waiting_list="yes")
    assert list(Booking.objects.filter(status="waiting").order_by("booked_at").values_list("user", flat=True)) == [
        people_in_one_ward["councillor"].pk, people_in_one_ward["colleague"].pk]

    client.force_login(booked[0])
    assert client.post(reverse("learning:cancel-booking", args=[event.pk])).status_code == 302
    assert not Booking.objects.filter(user=booked[0]).exists()
    assert Booking.objects.get(user=people_in_one_ward["councillor"]).status == Booking.Status.BOOKED
    assert Booking.objects.get(user=people_in_one_ward["colleague"]).status == Booking.Status.WAITING
    assert Booking.objects.filter(event=event, status="booked").count() == event.capacity
    note = Notification.objects.get(user=people_in_one_ward["councillor"])
    assert note.kind == "event_place" and note.url == event.get_absolute_url()
    assert not Notification.objects.filter(user=people_in_one_ward["colleague"]).exists()


def test_cancelling_a_booking_frees_the_place(client, people_in_one_ward, event):
    client.force_login(people_in_one_ward["councillor"])
    book(client, event)
    response = client.post(reverse("learning:cancel-booking", args=[event.pk]), follow=True)
    assert "Your booking has been cancelled" in response.content.decode()
    assert not Booking.objects.exists()
    response = client.post(reverse("learning:cancel-booking", args=[event.pk]), follow=True)
    assert "You have not booked a place" in response.content.decode()


def race_for_the_last_place(racers: int) -> tuple[list[str], Event]:
    """`racers` people press "Book" at the same moment for the one place left on an event, each on
    their own database connection (own thread). Returns what each was told, and the event."""
    event = EventFactory(capacity=3)
    BookingFactory(event=event)
    BookingFactory(event=event)
    outcomes = []

    def race(user):
        try:
            services.booking_create(event=Event.objects.get(pk=event.pk), by=user)
            outcomes.append("booked")
        except services.BookingRefused:
            outcomes.append("refused")

    errors = run_at_once(*[functools.partial(race, UserFactory()) for _ in range(racers)])
    assert errors == []
    return outcomes, event


def counting_slowly(monkeypatch, wait):
    """Make every racer pause between counting the places taken and taking one: the worst timing."""
    count = services._booked_count

    def slow_count(event):
        taken = count(event)
        wait()
        return taken

    monkeypatch.setattr(services, "_booked_count", slow_count)


@pytest.mark.django_db(transaction=True)
def test_people_racing_for_the_last_place_get_it_only_once(monkeypatch):
    counting_slowly(monkeypatch, lambda: time.sleep(0.2))
    outcomes, event = race_for_the_last_place(5)
    assert sorted(outcomes) == ["booked"] + ["refused"] * 4
    assert Booking.objects.filter(event=event, status="booked").count() == 3


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_on_the_event_the_same_race_would_overbook(monkeypatch):
    """Proof that the race above is real: with the row lock taken away, every racer counts two
    places taken before any of them books, and all five get "the last place"."""
    monkeypatch.setattr(services, "_locked", lambda event: Event.objects.get(pk=event.pk))
    everyone_counted = threading.Barrier(5)
    counting_slowly(monkeypatch, lambda: everyone_counted.wait(timeout=10))
    outcomes, event = race_for_the_last_place(5)
    assert outcomes == ["booked"] * 5
    assert Booking.objects.filter(event=event, status="booked").count() == 7


# ---------------------------------------------------------------- events: create, edit, cancel

def test_the_team_adds_an_event(client, people_in_one_ward, ward):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:event-create"), event_data(
        kind="ward_walkabout", title="  Dalton   walkabout ", ward=ward.pk, location="",
        online_link="https://teams.example.org/meet/1"))
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert event.title == "Dalton walkabout" and event.kind == "ward_walkabout" and event.ward == ward
    assert event.capacity == 25 and event.booking_open and event.created_by == people_in_one_ward["liaison"]
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    assert (start.hour, start.minute, end.hour, end.minute) == (12, 30, 13, 15)


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", "Enter a title"),
    ({"title": "x" * 151}, "title", "Title must be 150 characters or fewer"),
    ({"description": ""}, "description", "Enter a description"),
    ({"description": "x" * 3001}, "description", "Description must be 3000 characters or fewer"),
    ({"kind": ""}, "kind", "Choose what kind of event it is"),
    ({"kind": "party"}, "kind", "Choose what kind of event it is"),
    ({"date": ""}, "date", "Enter the date"),
    ({"date": "31/02/2027"}, "date", "Enter a real date"),
    ({"date": "01/01/2020"}, "date", "The date must be today or in the future"),
    ({"start_time": "25:00"}, "start_time", "Enter a real time"),
    ({"end_time": "12:00"}, "end_time", "The end time must be after the start time"),
    ({"end_time": "12:30"}, "end_time", "The end time must be after the start time"),
    ({"capacity": "0"}, "capacity", "Places must be 1 or more"),
    ({"capacity": "-5"}, "capacity", "Places must be 1 or more"),
    ({"capacity": "ten"}, "capacity", "Enter the number of places as a whole number"),
    ({"capacity": ""}, "capacity", "Enter the number of places"),
    ({"location": "", "online_link": ""}, "location", "Enter where it is, or an online link"),
    ({"online_link": "not a link at all"}, "online_link", "Enter a web address"),
    ({"location": "x" * 201}, "location", "must be 200 characters or fewer"),
])
def test_bad_event_input_is_refused_beside_the_field_and_nothing_is_written(
        client, people_in_one_ward, overrides, field, message):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:event-create"), event_data(**overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field]
    assert any(message in error for error in errors[field]), errors
    assert f'href="#id_{field}' in response.content.decode()
    assert not Event.objects.exists()


def test_the_service_refuses_an_event_that_ends_before_it_starts_even_without_the_form(liaison):
    now = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=liaison, kind="freshers_fair", title="Fair", description="d", starts_at=now,
                              ends_at=now - datetime.timedelta(hours=1), capacity=0, location="Hall")
    assert set(refused.value.message_dict) == {"end_time", "capacity"}
    assert not Event.objects.exists()


def test_capacity_cannot_drop_below_the_places_already_booked(client, people_in_one_ward, event):
    for _ in range(3):
        BookingFactory(event=event)
    client.force_login(people_in_one_ward["liaison"])
    data = event_data(capacity="2", date=timezone.localtime(event.starts_at).strftime("%d/%m/%Y"))
    response = client.post(reverse("learning:event-edit", args=[event.pk]), data)
    assert errors_of(response) == {"capacity": ["3 people have booked, so capacity cannot be less than 3"]}
    event.refresh_from_db()
    assert event.capacity == 3 and event.title == "Working in a political environment"


def test_more_places_go_to_the_people_waiting(client, people_in_one_ward, event):
    for _ in range(3):
        BookingFactory(event=event)
    waiting = BookingFactory(event=event, status="waiting")
    client.force_login(people_in_one_ward["liaison"])
    local = timezone.localtime(event.starts_at)
    client.post(reverse("learning:event-edit", args=[event.pk]), event_data(
        capacity="4", date=local.strftime("%d/%m/%Y"), start_time=local.strftime("%H:%M"),
        end_time=timezone.localtime(event.ends_at).strftime("%H:%M"), location=event.location))
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED
    assert Notification.objects.get(user=waiting.user).kind == "event_place"
    # Same time and place: nobody else is told anything.
    assert Notification.objects.count() == 1


def test_moving_an_event_tells_everyone_booked_and_they_are_reminded_again(client, people_in_one_ward, event):
    booking = BookingFactory(event=event, reminded_at=timezone.now())
    client.force_login(people_in_one_ward["liaison"])
    new_day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(reverse("learning:event-edit", args=[event.pk]), event_data(
        date=new_day.strftime("%d/%m/%Y"), capacity="3"))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.reminded_at is None
    note = Notification.objects.get(user=booking.user)
    assert note.kind == "event_changed" and new_day.strftime("%-d %B") in note.body


def test_cancelling_an_event_tells_everyone_booked_or_waiting_once(client, people_in_one_ward, event):
    bookers = [BookingFactory(event=event).user for _ in range(2)]
    waiter = BookingFactory(event=event, status="waiting").user
    client.force_login(people_in_one_ward["manager"])
    response = client.post(reverse("learning:event-cancel", args=[event.pk]), {"reason": "The speaker is ill"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled and event.cancelled_by == people_in_one_ward["manager"]
    assert event.cancel_reason == "The speaker is ill"
    notes = Notification.objects.filter(kind="event_cancelled")
    assert sorted(notes.values_list("user", flat=True)) == sorted(u.pk for u in [*bookers, waiter])
    assert all("The speaker is ill" in note.body for note in notes)
    # A second cancel changes nothing and tells nobody again.
    response = client.post(reverse("learning:event-cancel", args=[event.pk]), {"reason": "Again"})
    assert response.status_code == 409
    assert Notification.objects.filter(kind="event_cancelled").count() == 3
    event.refresh_from_db()
    assert event.cancel_reason == "The speaker is ill"
    client.force_login(people_in_one_ward["councillor"])
    assert "This event has been cancelled" in client.get(event.get_absolute_url()).content.decode()


def test_cancelling_an_event_needs_a_reason(client, people_in_one_ward, event):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:event-cancel", args=[event.pk]), {"reason": " "})
    assert errors_of(response) == {"reason": ["Enter why the event is cancelled"]}
    event.refresh_from_db()
    assert not event.is_cancelled


def test_the_attendee_list_downloads_as_csv(client, people_in_one_ward, event):
    BookingFactory(event=event, user=people_in_one_ward["councillor"])
    BookingFactory(event=event, user=UserFactory(full_name="=HYPERLINK(1)", role=User.Role.WARD_DATA_ADMIN),
                   status="waiting")
    client.force_login(people_in_one_ward["liaison"])
    response = client.get(reverse("learning:event-attendees-csv", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Name,Email,Role,Ward,Booking,Booked at"
    assert lines[1].startswith(f"Cllr Owner,{people_in_one_ward['councillor'].email},Councillor,Dalton,Booked,")
    assert lines[2].startswith("'=HYPERLINK(1),") and ",On the waiting list," in lines[2]


# ---------------------------------------------------------------- reminders

def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def test_reminders_go_once_the_day_before_to_everyone_booked_however_often_the_job_runs(db):
    with at(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=TZ)):
        tomorrow = EventFactory(title="Fresher's fair", starts_at=datetime.datetime(2026, 11, 27, 12, 0, tzinfo=TZ))
        later = EventFactory(starts_at=datetime.datetime(2026, 11, 30, 12, 0, tzinfo=TZ))
        called_off = EventFactory(starts_at=datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ),
                                  status=Event.Status.CANCELLED, cancelled_at=timezone.now())
        booked = [BookingFactory(event=tomorrow) for _ in range(2)]
        waiting = BookingFactory(event=tomorrow, status="waiting")
        BookingFactory(event=later)
        BookingFactory(event=called_off)

        call_command("send_event_reminders")
        call_command("send_event_reminders")

    notes = Notification.objects.filter(kind="event_reminder")
    assert sorted(notes.values_list("user", flat=True)) == sorted(b.user_id for b in booked)
    assert all(note.title == "Reminder: Fresher's fair, tomorrow at 12:00" for note in notes)
    assert not Notification.objects.filter(user=waiting.user).exists()
    runs = JobRun.objects.filter(name="event-reminders").order_by("started_at", "id")
    assert [run.summary for run in runs] == ["2 event reminders sent", "0 event reminders sent"]
    assert all(run.ok for run in runs)


def test_a_reminder_missed_the_day_before_still_goes_before_the_event(db):
    with at(datetime.datetime(2026, 11, 27, 8, 0, tzinfo=TZ)):
        event = EventFactory(starts_at=datetime.datetime(2026, 11, 27, 12, 0, tzinfo=TZ))
        booking = BookingFactory(event=event)
        assert services.event_reminders_send() == 1
    note = Notification.objects.get(user=booking.user)
    assert note.title.endswith("today at 12:00")


@pytest.mark.django_db(transaction=True)
def test_two_reminder_jobs_running_at_once_remind_each_person_once():
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=20))
    for _ in range(30):
        BookingFactory(event=event)
    errors = run_at_once(*[services.event_reminders_send] * 3)
    assert errors == []
    assert Notification.objects.filter(kind="event_reminder").count() == 30


def test_the_reminder_job_runs_a_fixed_number_of_queries(db):
    def queries(count):
        event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=20))
        for _ in range(count):
            BookingFactory(event=event)
        with CaptureQueriesContext(connection) as captured:
            assert services.event_reminders_send() == count
        return len(captured)

    assert queries(2) == queries(20)


def test_the_reminder_job_is_in_the_beat_schedule_and_on_the_scheduled_jobs_page(client, manager, settings):
    entry = settings.CELERY_BEAT_SCHEDULE["event-reminders"]
    assert entry["task"] == "engagement.learning.tasks.send_event_reminders"
    call_command("send_event_reminders")
    client.force_login(manager)
    page = client.get(reverse("jobs:list")).content.decode()
    assert "event-reminders" in page and "0 event reminders sent" in page


# ---------------------------------------------------------------- the resource library

def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def resource_data(**overrides):
    data = {"title": "Newsletter template", "description": "A template for a ward newsletter.",
            "kind": "template", "link": "", "tags": "newsletters, templates"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name,content,mime", [
    ("guide.pdf", PDF, "application/pdf"),
    ("photo.png", PNG, "image/png"),
    ("template.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_a_file_is_stored_under_a_random_name_and_downloads_with_its_own(
        client, people_in_one_ward, name, content, mime):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:resource-create"), resource_data(upload=upload(name, content)))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.file_name == name and resource.content_type == mime and resource.size == len(content)
    assert resource.file.name.startswith("resources/") and name not in resource.file.name
    assert resource.tags == ["newsletters", "templates"]
    client.force_login(people_in_one_ward["councillor"])
    download = client.get(reverse("learning:resource-download", args=[resource.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == mime and name in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    resource.file.delete(save=False)


@pytest.mark.parametrize("name,content,message", [
    ("report.pdf", b"just some text pretending to be a PDF", "must be a PDF, Word, Excel"),
    ("script.docx", b"MZ\x90\x00" + b"\x00" * 100, "must be a PDF, Word, Excel"),
    ("empty.pdf", b"", "The selected file is empty"),
    ("huge.pdf", PDF + b"0" * (services.RESOURCE_MAX_BYTES), "must be smaller than 10 MB"),
])
def test_a_file_of_the_wrong_type_by_its_content_or_too_big_is_refused_beside_the_field(
        client, people_in_one_ward, name, content, message):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:resource-create"), resource_data(upload=upload(name, content)))
    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == ["upload"] and message in errors["upload"][0]
    assert not Resource.objects.exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", "Enter a title"),
    ({"title": "x" * 151}, "title", "Title must be 150 characters or fewer"),
    ({"description": ""}, "description", "Enter a description"),
    ({"kind": "poster"}, "kind", "Choose what kind of resource it is"),
    ({"link": "javascript:alert(1)"}, "link", "Enter a web address"),
    ({"tags": "y" * 41}, "tags", "Each tag must be 40 characters or fewer"),
])
def test_bad_resource_input_is_refused_beside_the_field(client, people_in_one_ward, overrides, field, message):
    client.force_login(people_in_one_ward["liaison"])
    response = client.post(reverse("learning:resource-create"), resource_data(**overrides))
    errors = errors_of(response)
    assert list(errors) == [field] and message in errors[field][0]
    assert not Resource.objects.exists()


def test_replacing_a_file_deletes_the_old_one_once_saved(
        client, people_in_one_ward, django_capture_on_commit_callbacks):
    client.force_login(people_in_one_ward["liaison"])
    client.post(reverse("learning:resource-create"), resource_data(upload=upload("a.pdf", PDF)))
    resource = Resource.objects.get()
    storage, old = resource.file.storage, resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:resource-edit", args=[resource.pk]),
                               resource_data(upload=upload("b.png", PNG)))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.file_name == "b.png" and not storage.exists(old) and storage.exists(resource.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:resource-edit", args=[resource.pk]), resource_data(remove_file="on"))
    resource.refresh_from_db()
    assert not resource.file and resource.file_name == ""
    assert client.get(reverse("learning:resource-download", args=[resource.pk])).status_code == 404


def test_the_django_admin_cannot_put_a_file_in_the_library_around_the_type_check(client, resource):
    """Only the library's own page checks a file's type by its content; the admin must not take one."""
    root = User.objects.create_superuser(email="root@example.org", password="a-long-password-1", full_name="Root")
    give_second_factor(root)
    client.force_login(root)
    for url in (reverse("admin:learning_resource_add"), reverse("admin:learning_resource_change", args=[resource.pk])):
        page = client.get(url).content.decode()
        assert 'type="file"' not in page and 'name="content_type"' not in page, url
    html = SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    response = client.post(reverse("admin:learning_resource_change", args=[resource.pk]), {
        "title": resource.title, "description": resource.description, "kind": resource.kind, "link": "",
        "tags": "newsletters", "created_by": resource.created_by_id, "created_at_0": "2026-01-05",
        "created_at_1": "09:00:00", "updated_at_0": "2026-01-05", "updated_at_1": "09:00:00", "file": html,
        "content_type": "text/html"})
    assert response.status_code == 302  # saved: the other fields still change there
    resource.refresh_from_db()
    assert not resource.file.name.endswith(".html") and resource.content_type != "text/html"

def test_the_library_filters_by_kind_tag_and_words(client, people_in_one_ward):
    ResourceFactory(title="Newsletter template", kind="template", tags=["newsletters"])
    ResourceFactory(title="A good ward leaflet", kind="good_example", tags=["newsletters", "leaflets"])
    ResourceFactory(title="Social media guidance", kind="guidance", tags=["social media"],
                    description="Posting as a councillor.")
    client.force_login(people_in_one_ward["councillor"])

    def titles(query):
        response = client.get(reverse("learning:resources") + query)
        return sorted(r.title for r in response.context["page"].object_list)

    assert titles("?kind=template") == ["Newsletter template"]
    assert titles("?tag=newsletters") == ["A good ward leaflet", "Newsletter template"]
    assert titles("?q=councillor") == ["Social media guidance"]
    assert errors_of(client.get(reverse("learning:resources") + "?tag=nope")) == {
        "tag": ["Choose a tag from the list"]}


# ---------------------------------------------------------------- lists stay fast

def test_the_lists_run_the_same_number_of_queries_however_many_rows(client, people_in_one_ward):
    client.force_login(people_in_one_ward["councillor"])
    urls = [reverse("learning:events"), reverse("learning:events") + "?when=past&kind=ward_walkabout",
            reverse("learning:my-bookings"), reverse("learning:resources"),
            reverse("learning:resources") + "?kind=template&tag=t1"]

    def add(count):
        for index in range(count):
            event = EventFactory(kind=Event.Kind.WARD_WALKABOUT if index % 2 else Event.Kind.FRESHERS_FAIR)
            BookingFactory(event=event, user=people_in_one_ward["councillor"])
            BookingFactory(event=event, status="waiting")
            ResourceFactory(tags=[f"t{index}"])

    add(2)
    few = [queries_for(client, url) for url in urls]
    add(15)
    assert [queries_for(client, url) for url in urls] == few


def test_an_event_page_runs_a_fixed_number_of_queries_for_the_team(client, people_in_one_ward, event):
    client.force_login(people_in_one_ward["liaison"])
    BookingFactory(event=event, user=CouncillorFactory().user)
    few = queries_for(client, event.get_absolute_url())
    for _ in range(2):
        BookingFactory(event=event, user=CouncillorFactory().user)
    for _ in range(5):
        BookingFactory(event=event, status="waiting")
    assert queries_for(client, event.get_absolute_url()) == few


# ---------------------------------------------------------------- demo data

def test_the_demo_events_and_resources_load_twice_without_duplicates(db, liaison):
    from engagement.learning.demo import seed_demo_learning

    UserFactory(email="liaison@example.org", role=User.Role.LIAISON_OFFICER)
    UserFactory(email="councillor@example.org")
    for _ in range(6):
        UserFactory()
    seed_demo_learning()
    counts = (Event.objects.count(), Booking.objects.count(), Resource.objects.count())
    seed_demo_learning()
    assert (Event.objects.count(), Booking.objects.count(), Resource.objects.count()) == counts
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)
    assert any(e.capacity == e.bookings.filter(status="booked").count() for e in Event.objects.all())
    assert Resource.objects.exclude(file="").exists()
    for resource in Resource.objects.exclude(file=""):
        resource.file.delete(save=False)
