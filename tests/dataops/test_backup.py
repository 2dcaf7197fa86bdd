import gzip
import json
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from assessments.answering import editing
from assessments.dataops.backup import read_dump
from assessments.dataops.demo import seed_demo
from assessments.enums import Role
from assessments.models import (
    Answer,
    AssessmentSection,
    CapitalProject,
    Council,
    Determinant,
    StageAssessment,
)
from assessments.scoring import snapshots as scoring
from tests.factories import make_assessment, make_user


def canonical(path):
    return sorted(json.dumps(record, sort_keys=True) for record in read_dump(path))


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_a_populated_database(reference, tmp_path):
    seed_demo()
    make_assessment(council=Council.objects.get(code="S12000049"), title="Ünïcode ✓ <b>project</b>")
    first = tmp_path / "first.json.gz"
    call_command("backup", str(first))
    with gzip.open(first, "rt") as handle:
        assert json.load(handle), "the backup is gzip-compressed JSON"
    counts = {
        model: model.objects.count() for model in (CapitalProject, Answer, Answer.history.model)
    }

    call_command("flush", interactive=False, verbosity=0)
    assert not CapitalProject.objects.exists()
    call_command("restore", str(first))

    assert {model: model.objects.count() for model in counts} == counts
    second = tmp_path / "second.json.gz"
    call_command("backup", str(second))
    assert canonical(second) == canonical(first)
    # Timestamps keep their microseconds (Django's own JSON would cut them to milliseconds).
    assert any(
        len(r["fields"].get("created_at") or "") == len("2026-01-01T00:00:00.000000Z")
        for r in read_dump(first)
    )
    # Restored users can sign in with their old passwords and keep their roles.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="pm.glasgow")
    assert user.check_password("chiia-demo-2026")
    assert user.memberships.get().council.code == "S12000049"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_holds_data(reference, tmp_path):
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_backup_names_must_say_json(reference, tmp_path):
    with pytest.raises(CommandError, match="json"):
        call_command("backup", str(tmp_path / "backup.sql"))


# --- A backup taken while people work (PostgreSQL: concurrent writers commit between reads).

FROM_TABLE = re.compile(r'\bFROM "([a-z0-9_]+)"')


def as_stored(value):
    """A score result as it reads back from its JSON column."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_people_work_restores_and_every_assessment_rescores(glasgow, tmp_path):
    manager = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    working = make_assessment(council=glasgow, by=manager)
    codes = list(Determinant.objects.order_by("order").values_list("code", flat=True))
    projects_at_start = CapitalProject.objects.count()
    bursts = []

    def colleagues_work():
        """Commit, from other connections, a section save that re-scores the assessment and a
        new project with its first assessment."""
        errors = []

        def save_a_section():
            try:
                code = codes[len(bursts) % len(codes)]
                with transaction.atomic():
                    section = AssessmentSection.objects.get(
                        assessment=working, determinant__code=code
                    )
                    answers = list(working.answers.filter(question__determinant__code=code))
                    change = {
                        "direction": "negative",
                        "likelihood": 4,
                        "severity": 3,
                        "duration": "long",
                        "reach": "locality",
                        "groups": ["SE_AREA_DEP"],
                        "disproportionate": [],
                        "notes": f"burst {len(bursts)}",
                    }
                    editing.save_section(
                        working,
                        section.determinant,
                        version=section.version,
                        answers={a.pk: change for a in answers},
                        not_assessed_reason="",
                        by=manager,
                    )
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                connection.close()

        def create_a_project():
            try:
                with transaction.atomic():
                    make_assessment(council=glasgow, by=manager)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for work in (save_a_section, create_a_project)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        bursts.append(1)

    seen = set()

    def between_reads(execute, sql, params, many, context):
        # After the backup first reads a table of ours, colleagues commit more work before it
        # reads the next one: the widest window a real backup could meet.
        result = execute(sql, params, many, context)
        table = FROM_TABLE.search(sql)
        if table and table.group(1).startswith("assessments_") and table.group(1) not in seen:
            seen.add(table.group(1))
            colleagues_work()
        return result

    path = tmp_path / "during-work.json.gz"
    with connection.execute_wrapper(between_reads):
        call_command("backup", str(path))
    assert len(bursts) >= 10
    assert CapitalProject.objects.count() == projects_at_start + len(bursts)

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path))
    connection.check_constraints()
    # The backup is the database as it stood when the backup began...
    assert CapitalProject.objects.count() == projects_at_start
    # ...and every assessment in it re-scores to the score it was stored with.
    assessments = list(StageAssessment.objects.all())
    assert assessments
    for assessment in assessments:
        rescored = as_stored(scoring.evaluate(assessment).to_dict())
        assert rescored == assessment.score_snapshot, assessment
        assert assessment.sections.count() == len(codes)
