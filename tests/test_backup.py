import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.backup import read_dump
from assessments.demo import seed_demo
from assessments.models import Answer, CapitalProject, Council
from tests.factories import make_assessment


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
    counts = {model: model.objects.count() for model in (CapitalProject, Answer, Answer.history.model)}

    call_command("flush", interactive=False, verbosity=0)
    assert not CapitalProject.objects.exists()
    call_command("restore", str(first))

    assert {model: model.objects.count() for model in counts} == counts
    second = tmp_path / "second.json.gz"
    call_command("backup", str(second))
    assert canonical(second) == canonical(first)
    # Timestamps keep their microseconds (Django's own JSON would cut them to milliseconds).
    assert any(len(r["fields"].get("created_at") or "") == len("2026-01-01T00:00:00.000000Z") for r in read_dump(first))
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
