"""Every download names its file in one well-formed Content-Disposition line, whatever the
project's reference holds. Older records were saved before references were checked, so a
reference may carry a line break or a quote; such a project must still download, and its
reference must never add a header or a parameter of its own."""

from decimal import Decimal
from email.message import Message

import pytest
from django.test import Client

from assessments.enums import AssessmentStatus, Role
from assessments.models import Action, CapitalProject, LifecycleStage, ReportJob, StageAssessment
from tests.factories import make_assessment, make_user

pytestmark = pytest.mark.django_db

# Saved straight to the database, as legacy data would be: a quote that would close the filename
# early and add a parameter, and a line break that would start a header of its own.
BAD_REFERENCES = [
    'GCC-7"; filename="evil.exe',
    "GCC-7\r\nSet-Cookie: sessionid=stolen",
]


@pytest.fixture(params=BAD_REFERENCES, ids=["quote", "line-break"])
def legacy_project(request, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    signed = make_assessment(council=glasgow, by=pm, budget=Decimal("1000000"))
    project = signed.project
    CapitalProject.objects.filter(pk=project.pk).update(reference=request.param)
    StageAssessment.objects.filter(pk=signed.pk).update(status=AssessmentStatus.SIGNED_OFF)
    project.refresh_from_db()
    project.current_stage = LifecycleStage.objects.get(code="OBC")
    project.save()
    draft = make_assessment(project=project, by=pm)
    Action.objects.create(
        assessment=draft,
        text="Quiet hours on site",
        owner="Site manager",
        due_stage=project.current_stage,
        created_by=pm,
    )
    return project, signed, draft


def _download_urls(client, project, signed, draft, on_commit) -> list[str]:
    with on_commit(execute=True):  # the report task is queued once the request commits
        response = client.post(f"/projects/{project.pk}/report/")
    assert response.status_code == 302, response.status_code
    job = ReportJob.objects.get(project=project)
    assert job.status == "done", job.error
    return [
        f"/projects/{project.pk}/export.json",
        f"/projects/{project.pk}/actions.csv",
        f"/projects/{project.pk}/actions.xlsx",
        f"/projects/{project.pk}/report/{job.pk}/download/",
        f"/assessments/{signed.pk}/report.pdf",
        f"/assessments/{signed.pk}/community-summary.pdf",
        f"/assessments/{draft.pk}/report.pdf",
        f"/assessments/{draft.pk}/community-summary.pdf",
        "/dashboard/export.csv",
        "/dashboard/export.xlsx",
    ]


def test_every_download_survives_a_reference_with_a_quote_or_line_break(
    legacy_project, django_capture_on_commit_callbacks
):
    project, signed, draft = legacy_project
    client = Client(raise_request_exception=False)
    # The programme office sees every council's projects and the dashboard.
    client.force_login(make_user(role=Role.PMO_VIEWER))
    problems = []
    for url in _download_urls(client, project, signed, draft, django_capture_on_commit_callbacks):
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url} -> {response.status_code}")
            continue
        header = response["Content-Disposition"]
        if "\r" in header or "\n" in header or "Set-Cookie" in response.headers:
            problems.append(f"{url}: the reference broke the header into lines: {header!r}")
            continue
        parsed = Message()
        parsed["Content-Disposition"] = header
        params = [name for name, _ in parsed.get_params(header="Content-Disposition")[1:]]
        if parsed.get_content_disposition() != "attachment" or len(params) != 1:
            problems.append(f"{url}: not one attachment with one file name: {header!r}")
            continue
        name = parsed.get_filename()
        if name == "evil.exe" or not name.endswith((".json", ".csv", ".xlsx", ".pdf")):
            problems.append(f"{url}: the file name became {name!r} ({header!r})")
    assert not problems, "Downloads broken by the reference:\n" + "\n".join(problems)
