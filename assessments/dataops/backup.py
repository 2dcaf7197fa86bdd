"""Portable backups: every record CHIIA holds, as compressed JSON that `restore` loads into an
empty database of either engine (SQLite or PostgreSQL).

For a production PostgreSQL server, pg_dump is the primary backup (docs/deploy.md); this format
is for moving data between servers or engines and for checking that a restore is complete. It
leaves out what is rebuilt or worthless after a restore: content types and permissions (made by
`migrate`), sessions (everyone signs in again) and sign-in throttling records.
"""

from __future__ import annotations

import gzip
import json
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from assessments.dataops import backup_format
from assessments.projects import latest

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
]
SUFFIXES = (".json.gz", ".json.xz", ".json.bz2", ".json")


class BackupError(Exception):
    pass


@dataclass
class BackupReport:
    path: Path
    records: int
    models: dict[str, int]

    def summary(self) -> str:
        return f"{self.records} records from {len(self.models)} tables in {self.path}"


def default_path(directory: Path) -> Path:
    return directory / f"chiia-{timezone.now():%Y%m%d-%H%M%S}.json.gz"


def _excluded(model) -> bool:
    label = model._meta.label.lower()
    return any(label == e.lower() or model._meta.app_label == e for e in EXCLUDED)


def backed_up_models() -> list:
    return [
        m for m in apps.get_models() if not _excluded(m) and m._meta.managed and not m._meta.proxy
    ]


def read_dump(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def count_by_model(records: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    return dict(sorted(counts.items()))


@contextmanager
def snapshot():
    """One read transaction that sees the whole database as it stood at its first read, so a
    backup taken while people work holds no section without its assessment and no score without
    the answers it was computed from. PostgreSQL's default isolation (READ COMMITTED) gives each
    query its own moment, so the transaction asks for REPEATABLE READ; an SQLite transaction
    reads one state of the file already."""
    connection = transaction.get_connection()
    # Django sets an isolation level only for a whole connection (OPTIONS["isolation_level"]).
    # On "default" that would change every request's transactions. A second alias on the same
    # database with that option is Django's own way, but it is a second connection: it cannot
    # see a transaction the caller has begun (a backup inside a test's or a command's atomic
    # block would dump none of its rows), and it holds one more connection per worker. So this
    # one transaction asks for the level with its first statement; a transaction already begun
    # is left as it is (the caller's transaction is then the snapshot). Measured: with this one statement taken out,
    # test_a_backup_taken_while_people_work_restores_and_every_assessment_rescores fails on
    # PostgreSQL: the dump holds an assessment section whose assessment was committed after the
    # sections table was read, and restoring it is refused by the foreign key.
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup(path: Path) -> BackupReport:
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"Name the backup file …{' or …'.join(SUFFIXES)}, not {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if backup_format.FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(backup_format.FORMAT, "assessments.dataops.backup_format")
    with snapshot():
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            format=backup_format.FORMAT,
            natural_foreign=True,
            natural_primary=True,
            indent=None,
            output=str(path),
            verbosity=0,
        )
    counts = count_by_model(read_dump(path) if path.suffix in (".gz", ".json") else [])
    return BackupReport(path, sum(counts.values()), counts)


def existing_records() -> dict[str, int]:
    return {m._meta.label_lower: n for m in backed_up_models() if (n := m._default_manager.count())}


def restore(path: Path, *, flush: bool = False) -> BackupReport:
    if not path.exists():
        raise BackupError(f"No backup file at {path}")
    present = existing_records()
    if present and not flush:
        listed = ", ".join(f"{n} {label}" for label, n in list(present.items())[:5])
        raise BackupError(
            f"This database already holds data ({listed}…). Restore into an empty, migrated database, "
            "or pass --flush to delete everything in it first."
        )
    with transaction.atomic():
        if present:
            call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
        # A backup from before StageAssessment.is_latest existed brings no flags: derive them.
        latest.refresh_all()
    counts = count_by_model(read_dump(path) if path.suffix in (".gz", ".json") else [])
    return BackupReport(path, sum(counts.values()), counts)
