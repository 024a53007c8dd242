"""Helpers that tests in several files need: a form's errors, a page's query count, a CSV download's
rows, a date as typed, racing threads."""
import csv
import datetime
import io
import threading

from django.db import connection
from django.test.utils import CaptureQueriesContext


def errors_of(response, name="form") -> dict:
    """The errors of the form called `name` on the page, field by field."""
    return {field: list(errors) for field, errors in response.context[name].errors.items()}


def queries_for(client, url) -> int:
    """How many queries the page takes to open (it must open)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (it must be one)."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def d(day: datetime.date) -> str:
    """A date as a user types it into a date box: 25/11/2026."""
    return day.strftime("%d/%m/%Y")


def run_at_once(*calls) -> list[Exception]:
    """Run each call in its own thread, all let go at the same moment, and wait for them all.

    Each thread has its own database connection, so the calls race as two requests or workers
    would; the test needs `django_db(transaction=True)` for them to see its data. Returns what the
    calls raised: a race that breaks something shows there rather than vanishing with its thread.
    """
    start = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as exc:  # pragma: no cover - handed back to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[call]) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
