"""Queueing background work so that a broker outage never costs a user their change.

Work is sent after the transaction commits. If Redis cannot be reached, the request still
succeeds: the periodic sweeps work from the database and do what the message would have done.
The Celery app is the one config/celery.py makes (the current app); this floor knows no more of it.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args) -> None:
    def send():
        try:
            current_app.send_task(task_name, args=args, retry=False)
        except Exception:  # the broker is down or unreachable: the sweeps will catch up
            logger.warning("Could not queue %s; the next sweep will do it", task_name, exc_info=True)

    transaction.on_commit(send)
