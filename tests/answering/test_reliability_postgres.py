"""Saves under contention and failure: one winner per section version, nothing lost, nothing
half-written. The thread tests need PostgreSQL's row locks (SQLite serialises the whole file)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection

from assessments.answering import editing
from assessments.enums import Role
from assessments.models import Answer, AnswerGroup, AssessmentSection, Determinant
from tests.factories import make_assessment, make_user

THREADS = 6
ROUNDS = 3
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locking"
)


@pytest.fixture
def setup(glasgow):
    people = [make_user(council=glasgow, role=Role.PROJECT_MANAGER) for _ in range(THREADS)]
    assessment = make_assessment(council=glasgow, by=people[0])
    return assessment, people


def answers_of(assessment, code):
    return list(
        assessment.answers.filter(question__determinant__code=code).order_by("question__order")
    )


def submission(answers, label: str) -> dict[int, dict]:
    first, *rest = answers
    data = {
        answer.pk: {"direction": "no_impact", "notes": f"{label} q{answer.pk}"} for answer in rest
    }
    data[first.pk] = {
        "direction": "positive",
        "likelihood": 3,
        "severity": 2,
        "duration": "long",
        "reach": "locality",
        "groups": ["SE_AREA_DEP", "PC_AGE_CHILD"],
        "disproportionate": ["SE_AREA_DEP"],
        "notes": f"{label} q{first.pk}",
    }
    return data


def run_together(work):
    """Run work(i) in THREADS threads released at the same instant; return what each returned."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def target(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except editing.StaleSection as exc:
            results[i] = ("stale", exc)
        except Exception as exc:  # noqa: BLE001 - anything else is a failure the test reports
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_section_have_exactly_one_winner_per_version(setup):
    assessment, people = setup
    determinant = Determinant.objects.get(code="D05")
    answers = answers_of(assessment, "D05")
    history_before = Answer.history.filter(id__in=[a.pk for a in answers]).count()
    for round_ in range(ROUNDS):
        results = run_together(
            lambda i, round_=round_: editing.save_section(
                assessment,
                determinant,
                version=round_,
                answers=submission(answers, f"person {i} round {round_}"),
                not_assessed_reason="",
                by=people[i],
            )
        )
        outcomes = [kind for kind, _ in results]
        assert outcomes.count("ok") == 1, results
        assert outcomes.count("stale") == THREADS - 1, results
        winner = outcomes.index("ok")
        # The losers are told who saved first, with the conflict message the page shows.
        for kind, exc in results:
            if kind == "stale":
                assert "saved this section after you opened it" in str(exc)
                assert exc.section.version == round_ + 1
        section = AssessmentSection.objects.get(assessment=assessment, determinant=determinant)
        assert section.version == round_ + 1
        assert section.updated_by == people[winner]
        # Count them: every answer of the section holds the winner's text, none lost, none doubled.
        stored = answers_of(assessment, "D05")
        assert len(stored) == len(answers)
        assert [a.notes for a in stored] == [
            f"person {winner} round {round_} q{a.pk}" for a in answers
        ]
        assert AnswerGroup.objects.filter(answer__in=stored).count() == 2
    assert Answer.objects.filter(assessment=assessment).count() == assessment.answers.count()
    # One history record per answer per winning save: no write from a losing save slipped in.
    assert Answer.history.filter(
        id__in=[a.pk for a in answers]
    ).count() == history_before + ROUNDS * len(answers)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_different_sections_all_succeed_and_all_answers_are_kept(setup):
    assessment, people = setup
    codes = [f"D{n:02d}" for n in range(1, 13)]
    codes = [code for code in codes if answers_of(assessment, code)][:THREADS]
    assert len(codes) == THREADS

    def save(i):
        return editing.save_section(
            assessment,
            Determinant.objects.get(code=codes[i]),
            version=0,
            answers=submission(answers_of(assessment, codes[i]), f"section {codes[i]}"),
            not_assessed_reason="",
            by=people[i],
        )

    results = run_together(save)
    assert [kind for kind, _ in results] == ["ok"] * THREADS, results
    for code in codes:
        stored = answers_of(assessment, code)
        assert all(a.notes == f"section {code} q{a.pk}" for a in stored)
        assert (
            AssessmentSection.objects.get(assessment=assessment, determinant__code=code).version
            == 1
        )
    # The score snapshot saw every section's answers (the last save re-scored all of them).
    assessment.refresh_from_db()
    answered = assessment.answers.exclude(direction="").count()
    assert answered == sum(len(answers_of(assessment, code)) for code in codes)
    assert assessment.score_snapshot["completeness"]["answered"] == answered


@pytest.mark.django_db
def test_a_database_error_in_the_middle_of_a_save_leaves_nothing_half_written(setup):
    assessment, people = setup
    determinant = Determinant.objects.get(code="D05")
    answers = answers_of(assessment, "D05")
    assert len(answers) >= 2
    data = submission(answers, "should not stick")
    # The last answer breaks a database CHECK constraint (a likelihood on a "no impact" answer),
    # which the form would have refused: the earlier answers are already written when it fails.
    data[answers[-1].pk] = {"direction": "no_impact", "likelihood": 3}
    history_before = Answer.history.count()
    snapshot_before = assessment.score_snapshot
    with pytest.raises(IntegrityError):
        editing.save_section(
            assessment, determinant, version=0, answers=data, not_assessed_reason="x", by=people[0]
        )
    section = AssessmentSection.objects.get(assessment=assessment, determinant=determinant)
    assert (section.version, section.not_assessed_reason) == (0, "")
    assert all(a.direction == "" and a.notes == "" for a in answers_of(assessment, "D05"))
    assert not AnswerGroup.objects.filter(answer__assessment=assessment).exists()
    assert Answer.history.count() == history_before
    assessment.refresh_from_db()
    assert assessment.score_snapshot == snapshot_before


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_it_is_used():
    """A kept-open connection ended by the server (a restart, pg_terminate_backend) between two
    requests is noticed by the health check and replaced, so the next request still works."""
    import time

    import psycopg2

    settings_dict = connection.settings_dict
    connection.ensure_connection()
    assert connection.is_usable()
    old = connection.connection
    admin = psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old.get_backend_pid()])
    admin.close()
    time.sleep(0.2)  # the server's goodbye message reaches the socket

    assert not connection.is_usable()
    connection.health_check_done = False  # as at the start of a new request
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not old
