"""Two reviewers acting on the same assessment at the same moment, on real PostgreSQL: the row
lock makes exactly one transition win; the other person gets a clear message and nothing else
changes."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from assessments.enums import AssessmentStatus as S
from assessments.models import StageAssessment, StatusChange
from assessments.review import workflow
from tests.factories import ready_to_submit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL pointing at PostgreSQL"
    ),
]


def _race(first, second):
    """Run `first` (which holds its transaction open a moment after acting) and `second` at once."""
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, call, linger):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            if name == "second":
                time.sleep(0.1)  # let the first take the row lock
            with transaction.atomic():
                call()
                time.sleep(linger)  # keep the lock while the other waits on it
            outcomes[name] = "won"
        except workflow.WorkflowError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, 0.5)),
        threading.Thread(target=run, args=("second", second, 0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _in_review(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    return a


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once(team):
    a = _in_review(team)
    outcomes = _race(
        lambda: workflow.approve(a, team.reviewer), lambda: workflow.approve(a, team.reviewer2)
    )
    assert outcomes["first"] == "won"
    assert isinstance(outcomes["second"], workflow.WorkflowError)
    assert "cannot approve it" in str(outcomes["second"]) and "Approved by reviewer" in str(
        outcomes["second"]
    )
    assert StatusChange.objects.filter(assessment=a, event="approve").count() == 1
    assert StageAssessment.objects.get(pk=a.pk).status == S.APPROVED


@pytest.mark.django_db(transaction=True)
def test_approve_and_request_changes_at_once(team):
    a = _in_review(team)
    outcomes = _race(
        lambda: workflow.request_changes(
            a, team.reviewer2, note="More evidence", expected_status=S.IN_REVIEW
        ),
        lambda: workflow.approve(a, team.reviewer, expected_status=S.IN_REVIEW),
    )
    assert outcomes["first"] == "won"
    message = str(outcomes["second"])
    assert "while you were looking at it" in message and "Changes requested" in message
    assert StageAssessment.objects.get(pk=a.pk).status == S.CHANGES_REQUESTED
    assert not StatusChange.objects.filter(assessment=a, event="approve").exists()
