"""Health endpoints for load balancers and monitoring. Public (no sign-in), no sensitive data.

/healthz       JSON: database reachable, background task queue being worked. 200 when both are
               fine, 503 otherwise, so a load balancer can take a broken server out of rotation.
               The public gets the overall status alone; the figures behind it (queue length,
               database type) are for staff and for requests made on the server itself
               (permissions.can_view_service_health).
/healthz/ping  plain "ok" without touching the database: proves the process answers at all
               (and is the trivial comparator in bench/load.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments import permissions

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
logger = logging.getLogger(__name__)


def database_status() -> dict:
    # Django's own checks: connect if need be, then ask the backend whether the connection
    # answers (a round trip on PostgreSQL).
    try:
        connection.ensure_connection()
        usable = connection.is_usable()
    except DatabaseError:
        # The error text can name hosts and users: log it, never show it.
        logger.exception("Health check: database unreachable")
        return {"status": "error"}
    if not usable:
        logger.error("Health check: the database connection does not answer")
        connection.close()  # the next request opens a fresh one
        return {"status": "error"}
    return {"status": "ok", "vendor": connection.vendor}


def task_status(now=None) -> dict:
    """Queue health of the database task backend.

    Degraded when a task has been waiting for a worker longer than
    CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS (no worker is taking tasks, or they cannot keep up), or
    when no worker has shown a sign of life for CHIIA_WORKER_MAX_SILENCE_SECONDS: each
    `manage.py run_worker` writes a heartbeat while it runs, idle or busy, so a stopped worker
    is noticed before anything has been left waiting."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_BACKEND:
        return {
            "status": "ok",
            "backend": backend.rsplit(".", 1)[-1],
            "detail": "tasks run without a worker",
        }
    from django.db.models import Max
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from assessments.models import WorkerHeartbeat

    now = now or timezone.now()
    max_wait = settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS
    max_silence = settings.CHIIA_WORKER_MAX_SILENCE_SECONDS
    try:
        # The library's own "ready to run" query: a task queued without a delay carries a
        # far-future run_after, so it has waited since it was queued; a delayed one since its
        # run_after came.
        waiting = DBTaskResult.objects.ready()
        undelayed = waiting.filter(run_after=get_date_max())
        due_since = [
            undelayed.order_by("enqueued_at").values_list("enqueued_at", flat=True).first(),
            waiting.exclude(run_after=get_date_max())
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first(),
        ]
        queued = waiting.count()
        seen = DBTaskResult.objects.aggregate(
            started=Max("started_at"), finished=Max("finished_at")
        )
        last_finished = seen["finished"]
        heartbeat = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
        failed_last_hour = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(hours=1)
        ).count()
    except DatabaseError:
        return {"status": "error", "backend": "database"}
    oldest = min((moment for moment in due_since if moment), default=None)
    oldest_wait = max(round((now - oldest).total_seconds()), 0) if oldest else 0
    worker_seen = max((moment for moment in [*seen.values(), heartbeat] if moment), default=None)
    silence = round((now - worker_seen).total_seconds()) if worker_seen else None
    worker_missing = silence is None or silence > max_silence
    return {
        "status": "degraded" if oldest_wait > max_wait or worker_missing else "ok",
        "backend": "database",
        "queued": queued,
        "oldest_queued_seconds": oldest_wait,
        "max_wait_seconds": max_wait,
        "worker_seen_seconds_ago": silence,
        "worker_max_silence_seconds": max_silence,
        "last_finished_seconds_ago": round((now - last_finished).total_seconds())
        if last_finished
        else None,
        "failed_last_hour": failed_last_hour,
    }


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status()}
    checks["tasks"] = (
        task_status() if checks["database"]["status"] == "ok" else {"status": "unknown"}
    )
    healthy = all(check["status"] == "ok" for check in checks.values())
    body: dict[str, object] = {"status": "ok" if healthy else "degraded"}
    if permissions.can_view_service_health(request.user, request.META):
        body.update(checks)
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def ping(request):
    return HttpResponse("ok", content_type="text/plain")
