"""Health endpoints for load balancers and monitoring. Public (no sign-in), no sensitive data.

/healthz       JSON: database reachable, background task queue being worked. 200 when both are
               fine, 503 otherwise, so a load balancer can take a broken server out of rotation.
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

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
logger = logging.getLogger(__name__)


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The error text can name hosts and users: log it, never show it.
        logger.exception("Health check: database unreachable")
        return {"status": "error"}
    return {"status": "ok", "vendor": connection.vendor}


def task_status(now=None) -> dict:
    """Queue health of the database task backend: a task waiting longer than
    CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS means no worker is taking tasks."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_BACKEND:
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1], "detail": "tasks run without a worker"}
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    max_wait = settings.CHIIA_TASK_QUEUE_MAX_WAIT_SECONDS
    try:
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
        oldest = waiting.order_by("run_after").values_list("run_after", flat=True).first()
        queued = waiting.count()
        last = DBTaskResult.objects.filter(finished_at__isnull=False).order_by("-finished_at")
        last_finished = last.values_list("finished_at", flat=True).first()
        failed_last_hour = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(hours=1)
        ).count()
    except DatabaseError:
        return {"status": "error", "backend": "database"}
    oldest_wait = round((now - oldest).total_seconds()) if oldest else 0
    return {
        "status": "degraded" if oldest_wait > max_wait else "ok",
        "backend": "database",
        "queued": queued,
        "oldest_queued_seconds": oldest_wait,
        "max_wait_seconds": max_wait,
        "last_finished_seconds_ago": round((now - last_finished).total_seconds()) if last_finished else None,
        "failed_last_hour": failed_last_hour,
    }


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status()}
    checks["tasks"] = task_status() if checks["database"]["status"] == "ok" else {"status": "unknown"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def ping(request):
    return HttpResponse("ok", content_type="text/plain")
