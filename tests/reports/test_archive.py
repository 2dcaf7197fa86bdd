"""A signed-off stage's report is generated once, stored with its SHA-256 and served identically."""

import hashlib
import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from assessments.enums import Role
from assessments.models import Answer, ArchivedReport, ReportKind, RuleSet
from assessments.reports import archive
from assessments.review import workflow
from tests import factories as f
from tests.factories import ready_to_submit


@pytest.fixture
def pm(glasgow):
    return f.make_user("pm.archive", council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.mark.django_db
def test_signed_off_report_is_stored_once_and_never_changes(pm, client_for):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-ARCH"
    )
    assessment = f.sign_off(f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=4))
    client = client_for(pm)
    url = reverse("assessments:stage-report-pdf", args=[assessment.pk])

    first = client.get(url)
    # Data changes underneath (as a careless admin edit might); the published copy must not.
    Answer.objects.filter(assessment=assessment).update(pathway="Changed after sign-off")
    project.title = "Renamed project"
    project.save()
    second = client.get(url)

    stored = ArchivedReport.objects.get()
    assert stored.kind == ReportKind.STAGE and stored.assessment == assessment
    assert first.content == second.content == bytes(stored.pdf)
    assert stored.sha256 == hashlib.sha256(first.content).hexdigest() == second["X-Content-SHA256"]
    assert second["ETag"] == f'"{stored.sha256}"'
    # Published and unchangeable: the reader's own browser may keep it, no shared cache may.
    assert second["Cache-Control"] == "private, max-age=86400, immutable"
    assert stored.rule_set_version == RuleSet.objects.latest().version
    assert stored.question_bank_version == "1"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert "DRAFT" not in text
    assert "signed-off record" in text
    assert "Renamed project" not in text and "Changed after sign-off" not in text


@pytest.mark.django_db
def test_sign_off_publishes_both_reports_as_they_stood_at_that_moment(
    team, client_for, django_capture_on_commit_callbacks
):
    assessment = ready_to_submit(team)
    workflow.submit(assessment, team.pm)
    workflow.start_review(assessment, team.reviewer)
    workflow.approve(assessment, team.reviewer)
    workflow.accept_action_plan(assessment, team.sro)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(assessment, team.reviewer)

    # Stored by the queued task, before anyone has asked for them.
    stored = {copy.kind: copy for copy in ArchivedReport.objects.filter(assessment=assessment)}
    assert set(stored) == {ReportKind.STAGE, ReportKind.COMMUNITY}
    assessment.project.title = "Renamed after sign-off"
    assessment.project.save()
    response = client_for(team.pm).get(
        reverse("assessments:stage-report-pdf", args=[assessment.pk])
    )
    assert response.content == bytes(stored[ReportKind.STAGE].pdf)
    assert hashlib.sha256(response.content).hexdigest() == stored[ReportKind.STAGE].sha256
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Renamed after sign-off" not in text and "DRAFT" not in text


@pytest.mark.django_db
def test_archive_task_for_a_stage_no_longer_signed_off_stores_nothing(pm):
    # The task runs some time after sign-off; a stage re-opened meanwhile must not be published.
    from assessments.reports import tasks

    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-REOPEN"
    )
    assessment = f.start(project, "STRATEGIC", by=pm)

    assert tasks.archive_signed_off_stage.call(assessment.pk) == []
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_draft_reports_are_never_archived(pm):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-DRAFT"
    )
    assessment = f.start(project, "STRATEGIC", by=pm)

    data, filename, sha = archive.stage_pdf(assessment)

    assert (
        data.startswith(b"%PDF")
        and sha is None
        and filename.startswith("GCC-DRAFT-STRATEGIC-stage-report-")
    )
    with pytest.raises(archive.NotSignedOff):
        archive.get_or_create_archive(assessment)
    assert not ArchivedReport.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_requests_store_exactly_one_copy(reference):
    pm = f.make_user(
        "pm.race", council=f.Council.objects.get(code="S12000049"), role=Role.PROJECT_MANAGER
    )
    project = f.make_report_project(pm=pm, reference="GCC-RACE")
    assessment = f.sign_off(f.start(project, "STRATEGIC", by=pm))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def fetch():
        try:
            barrier.wait()
            results.append(archive.get_or_create_archive(assessment).sha256)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ArchivedReport.objects.count() == 1
    assert results == [ArchivedReport.objects.get().sha256] * 2
