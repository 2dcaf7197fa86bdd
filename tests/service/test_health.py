import io
import json
import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import WorkerHeartbeat
from assessments.review.notifications import deliver_email
from tests.factories import make_user

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_task(age: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        task_path="assessments.tasks.example",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - age,
    )
    return task


def worker_alive(silent_for: timedelta = timedelta(seconds=3)) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker="worker-host:4242", started_at=now - timedelta(hours=1), last_seen=now - silent_for
    )


def test_ping_answers_without_signing_in(client):
    response = client.get(reverse("healthz-ping"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_reports_database_and_tasks_without_signing_in(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["tasks"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_ok_while_the_worker_keeps_up(client, settings):
    settings.TASKS = DB_BACKEND
    worker_alive()
    queued_task(timedelta(seconds=5))
    body = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1").json()
    assert body["status"] == "ok"
    assert body["tasks"]["queued"] == 1
    assert body["tasks"]["oldest_queued_seconds"] < settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS


@pytest.mark.django_db
def test_healthz_is_degraded_with_503_when_tasks_wait_too_long(client, settings):
    settings.TASKS = DB_BACKEND
    settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS = 60
    worker_alive()
    queued_task(timedelta(minutes=10))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["status"] == "ok"
    assert body["tasks"]["status"] == "degraded"
    assert body["tasks"]["oldest_queued_seconds"] >= 600


@pytest.mark.django_db
def test_healthz_reveals_nothing_sensitive(client, settings):
    settings.TASKS = DB_BACKEND
    text = json.dumps(client.get(reverse("healthz")).json())
    for secret in (
        settings.SECRET_KEY,
        settings.DATABASES["default"]["NAME"].__str__(),
        "traceback",
        "password",
    ):
        assert secret not in text


# --- Who sees what: the public gets the status, staff and the server itself the figures.

OUTSIDE = "203.0.113.9"


@pytest.mark.django_db
def test_the_public_gets_the_status_alone(client, settings):
    settings.TASKS = DB_BACKEND
    worker_alive()
    response = client.get(reverse("healthz"), REMOTE_ADDR=OUTSIDE)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    # Through a reverse proxy on the same machine the request arrives from loopback, but it is
    # still the public's.
    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OUTSIDE)
    assert response.json() == {"status": "ok"}
    # A signed-in council officer is no operator either.
    client.force_login(make_user(council=None, username="officer"))
    assert client.get(reverse("healthz"), REMOTE_ADDR=OUTSIDE).json() == {"status": "ok"}
    # When something is wrong the public learns that much, from the body and the HTTP code.
    settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS = 60
    queued_task(timedelta(minutes=10))
    response = client.get(reverse("healthz"), REMOTE_ADDR=OUTSIDE)
    assert (response.status_code, response.json()) == (503, {"status": "degraded"})


@pytest.mark.django_db
def test_staff_and_the_server_itself_get_the_figures(client, settings):
    settings.TASKS = DB_BACKEND
    local = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1").json()
    assert local["database"]["vendor"] and local["tasks"]["queued"] == 0
    client.force_login(make_user(council=None, username="operator", is_staff=True))
    remote = client.get(reverse("healthz"), REMOTE_ADDR=OUTSIDE).json()
    assert remote["database"]["vendor"] and remote["tasks"]["queued"] == 0


# --- A task queued the ordinary way and no worker to take it.


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_with_no_worker_turns_healthz_degraded(client, settings):
    settings.TASKS = DB_BACKEND
    settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS = 1
    worker_alive()  # a worker that is alive but takes nothing: the age of the queue tells
    deliver_email.enqueue("[CHIIA] Test", "Body", "someone@example.org")
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok" and body["tasks"]["queued"] == 1
    time.sleep(2.2)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["tasks"]["status"] == "degraded"
    assert body["tasks"]["queued"] == 1
    assert body["tasks"]["oldest_queued_seconds"] >= 2
    assert body["tasks"]["worker_seen_seconds_ago"] >= 3


# --- No worker running at all, with nothing queued yet.


@pytest.mark.django_db
def test_healthz_is_degraded_when_no_worker_has_been_seen(client, settings):
    settings.TASKS = DB_BACKEND
    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["tasks"]["worker_seen_seconds_ago"] is None
    worker_alive(silent_for=timedelta(seconds=settings.CHIIA_WORKER_MAX_SILENCE_SECONDS + 30))
    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503 and response.json()["tasks"]["status"] == "degraded"


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_keeps_healthz_ok_while_the_queue_is_empty(client, settings):
    settings.TASKS = DB_BACKEND
    assert client.get(reverse("healthz")).status_code == 503
    call_command("run_worker", batch=True, interval=0, stdout=io.StringIO(), stderr=io.StringIO())
    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response.json()["tasks"]["worker_seen_seconds_ago"] <= 5
    assert WorkerHeartbeat.objects.get().worker.endswith(f":{os.getpid()}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to end a session")
@pytest.mark.django_db(transaction=True)
def test_a_database_connection_the_server_ended_turns_healthz_degraded_then_recovers(client):
    """The server ends the app's connection (a restart, a failover): the next /healthz says
    so with 503 and drops the dead connection, and the one after is healthy again."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    time.sleep(0.2)  # the server's goodbye reaches the socket

    response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "error"}
    assert (
        client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1").json()["database"]["status"] == "ok"
    )
