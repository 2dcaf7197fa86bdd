"""Two members of the project team confirming the same move at the same moment, on real
PostgreSQL: the assessment's row lock lets one move it; the other finds it already moved and
changes nothing."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from assessments.models import StageAssessment, StatusChange
from assessments.questionbank import moving
from tests.factories import make_bank_version, make_methodology_owner, make_team_project, start

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL pointing at PostgreSQL"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_at_once_move_it_once(team):
    assessment = start(make_team_project(team), by=team.pm)
    target = make_bank_version(
        make_methodology_owner(), reword={"D01-E-2": "Could what people nearby pay go up?"}
    )
    from_bank = assessment.question_bank_id
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, user, linger):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            if name == "second":
                time.sleep(0.1)  # let the first take the row lock
            with transaction.atomic():
                done = moving.move_assessment(
                    assessment, from_bank_id=from_bank, to_bank_id=target.pk, by=user
                )
                time.sleep(linger)
            outcomes[name] = "already" if done.already else "moved"
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", team.pm, 0.5)),
        threading.Thread(target=run, args=("second", team.contributor, 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"first": "moved", "second": "already"}
    assert StatusChange.objects.filter(assessment=assessment, event=moving.EVENT).count() == 1
    moved = StageAssessment.objects.get(pk=assessment.pk)
    assert moved.question_bank_id == target.pk
    assert moved.answers.filter(reworded_from__isnull=False).count() == 1
