import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_task(age: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        task_path="assessments.tasks.example", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", queue_name="default", run_after=timezone.now() - age,
    )
    return task


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
    queued_task(timedelta(seconds=5))
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert body["tasks"]["queued"] == 1
    assert body["tasks"]["oldest_queued_seconds"] < settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS


@pytest.mark.django_db
def test_healthz_is_degraded_with_503_when_tasks_wait_too_long(client, settings):
    settings.TASKS = DB_BACKEND
    settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS = 60
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
    for secret in (settings.SECRET_KEY, settings.DATABASES["default"]["NAME"].__str__(), "traceback", "password"):
        assert secret not in text
