"""What the service records about itself for monitoring."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """The latest sign of life of one background worker process (`manage.py run_worker`).

    The task library records a worker only when it takes a task, so an idle worker and a dead
    one look the same; each worker therefore writes this row every few seconds, and /healthz
    reports degraded when no worker has written for CHIIA_WORKER_MAX_SILENCE_SECONDS."""

    worker = models.CharField(max_length=200, unique=True, help_text="host and process id")
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker} (last seen {self.last_seen:%Y-%m-%d %H:%M:%S})"
