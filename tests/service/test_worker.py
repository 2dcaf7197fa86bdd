"""`manage.py run_worker`: the task worker outlives a database outage instead of exiting, so
queued tasks (emails, published reports) still run once the database is back."""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments.review.notifications import deliver_email

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_the_database_failing_and_runs_the_task_afterwards(settings):
    settings.TASKS = DB_BACKEND
    deliver_email.enqueue("[CHIIA] Signed off", "The stage was signed off.", "officer@example.org")
    queue = DBTaskResult._meta.db_table
    # The worker's first look at the queue fails with a real database error: the queue table is
    # out of reach, as in the middle of a database restart.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {queue} RENAME TO {queue}_away")
    output = io.StringIO()

    def database_back():
        # Once the worker has met the error, the table comes back (the worker itself must run in
        # the main thread: it installs signal handlers).
        try:
            deadline = time.monotonic() + 20
            while "Database error" not in output.getvalue() and time.monotonic() < deadline:
                time.sleep(0.05)
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {queue}_away RENAME TO {queue}")
        finally:
            connection.close()

    restorer = threading.Thread(target=database_back)
    restorer.start()
    try:
        call_command("run_worker", batch=True, interval=0, stderr=output, stdout=io.StringIO())
    finally:
        restorer.join(30)

    assert "starting the worker again in 1s" in output.getvalue()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
