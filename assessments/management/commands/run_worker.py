"""Run the background task worker and keep it running through database outages.

django-tasks-db's `db_worker` stops at the first database error it does not expect (a restart
of the database server, a dropped connection, a failover): every queued task then waits until
someone notices. This command runs that same worker and, after a database error, closes the
broken connections, waits and starts it again, doubling the wait each time up to
--max-backoff seconds; a worker that then runs for a while starts again from the shortest wait.
Other errors and signals (Ctrl+C, `systemctl stop`) end it as they end `db_worker`.

While it runs, a heartbeat thread writes the worker's WorkerHeartbeat row every
--heartbeat seconds on its own database connection, so /healthz can tell an idle worker from
one that has stopped.

The worker also raises the cycle collector's first threshold for its own process (see
fewer_cycle_collections); web processes keep Python's default.
"""

from __future__ import annotations

import contextlib
import gc
import os
import socket
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from assessments.models import WorkerHeartbeat

FIRST_BACKOFF_SECONDS = 1.0
# Project reports are laid out by WeasyPrint, which allocates millions of small objects that all
# live until the PDF is written; at Python's default threshold (700) the cycle collector walks
# them thousands of times and frees almost nothing. Collecting after 50,000 new objects took
# about a tenth off a 100-page report (bench/report_pdf.py) without raising its peak memory
# much. Set once for the worker process, which does little else, never around a single render:
# the threshold is process-wide, and a web process serves other requests on other threads.
GC_FIRST_THRESHOLD = 50_000


def fewer_cycle_collections() -> None:
    first, *rest = gc.get_threshold()
    gc.set_threshold(max(first, GC_FIRST_THRESHOLD), *rest)


class Heartbeat(threading.Thread):
    """Writes this process's heartbeat every `every` seconds until stopped, on the thread's own
    database connection. The first beat is written by the worker itself before it starts (see
    Command.handle), so even a worker that runs for a moment is seen. A database error only
    skips one beat: the next one tries again on a fresh connection."""

    def __init__(self, every: float):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.every = every
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.started = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker=self.worker,
                defaults={"last_seen": now},
                create_defaults={"started_at": self.started, "last_seen": now},
            )
        except DatabaseError:
            connection.close()  # the next beat opens a fresh one

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                self.beat()
        finally:
            connection.close()  # this thread's own connection


class Command(BaseCommand):
    help = "Run the task worker (db_worker); after a database error, wait and start it again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name", default="*", help="Queues to work, comma-separated; '*' for all."
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks at an empty queue."
        )
        parser.add_argument(
            "--max-backoff",
            type=float,
            default=60.0,
            help="Longest wait in seconds before starting again after an error.",
        )
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=15.0,
            help="Seconds between the worker's signs of life for /healthz.",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks waiting now, then stop (as db_worker --batch).",
        )

    def handle(self, *, heartbeat, **options):
        fewer_cycle_collections()
        beating = Heartbeat(heartbeat)
        beating.beat()
        beating.start()
        try:
            self.work(**options)
        finally:
            beating.stopping.set()
            beating.join(heartbeat + 5)

    def work(self, *, queue_name, interval, max_backoff, batch, verbosity, **options):
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            started = time.monotonic()
            try:
                call_command(
                    "db_worker",
                    queue_name=queue_name,
                    interval=interval,
                    batch=batch,
                    reload=False,
                    startup_delay=not batch,
                    verbosity=verbosity,
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
                return
            except DatabaseError as exc:
                if time.monotonic() - started > max_backoff:
                    backoff = FIRST_BACKOFF_SECONDS
                # To the journal; the exception's text can name hosts and users, its type cannot.
                self.stderr.write(
                    f"Database error ({type(exc).__name__}); "
                    f"starting the worker again in {backoff:g}s"
                )
                # A connection that cannot even be closed is replaced all the same.
                with contextlib.suppress(DatabaseError):
                    connections.close_all()
                time.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)
