"""Every file handed over is recorded: who, what, which object, when and from which address; a
refused request leaves no record. Council administrators read their own council's log only."""

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import DownloadRecord
from assessments.privacy.downloads import records_download
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_each_existing_download_view_records_who_took_what(team, client_for):
    project = f.make_team_project(team)
    assessment = f.start(project, by=team.pm)
    client = client_for(team.pm)
    urls = [
        reverse("assessments:project-export", args=[project.pk]),
        reverse("assessments:action-export", args=[project.pk, "csv"]),
        reverse("assessments:action-export", args=[project.pk, "xlsx"]),
    ]
    for url in urls:
        assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200
    records = list(DownloadRecord.objects.order_by("id"))
    assert [r.kind for r in records] == [
        "Project export JSON",
        "Action plan export (csv)",
        "Action plan export (xlsx)",
    ]
    assert {r.user for r in records} == {team.pm}
    assert {r.council_id for r in records} == {team.council.pk}
    assert {r.label for r in records} == {project.reference}
    assert {r.ip_address for r in records} == {"203.0.113.9"}
    assert [r.path for r in records] == urls
    assert assessment  # the project has a stage, so the export is not empty


def test_report_and_dashboard_downloads_are_recorded(team, client_for):
    project = f.make_report_project(pm=team.pm, council=team.council, reference="GCC-DL")
    assessment = f.sign_off(f.fill_answers(f.start(project, "STRATEGIC", by=team.pm), limit=2))
    client = client_for(team.admin)
    assert (
        client.get(reverse("assessments:stage-report-pdf", args=[assessment.pk])).status_code == 200
    )
    assert client.get(reverse("assessments:dashboard-export", args=["csv"])).status_code == 200
    stage, portfolio = DownloadRecord.objects.order_by("id")
    assert stage.kind == "Stage report PDF" and stage.label == f"GCC-DL – {assessment.stage.name}"
    assert portfolio.kind == "Portfolio export (csv)" and portfolio.council is None


def test_a_refused_download_leaves_no_record(team, client_for):
    project = f.make_team_project(team)
    response = client_for(team.other_pm).get(
        reverse("assessments:project-export", args=[project.pk])
    )
    assert response.status_code == 404
    assert not DownloadRecord.objects.exists()


@override_settings(
    CHIIA_PROXY_COUNT=1,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR",),
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_PROXY_ORDER="left-most",
)
def test_behind_a_proxy_the_address_is_the_clients_as_for_sign_ins(team, client_for):
    project = f.make_team_project(team)
    client_for(team.pm).get(
        reverse("assessments:project-export", args=[project.pk]),
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        REMOTE_ADDR="10.0.0.1",
    )
    assert DownloadRecord.objects.get().ip_address == "198.51.100.7"


def test_the_decorator_refuses_an_unknown_subject():
    with pytest.raises(ValueError):
        records_download("Word file", of="answer")


def test_administrators_see_their_councils_log_only(team, client_for):
    mine = f.make_team_project(team, reference="MINE-1")
    theirs = f.make_report_project(
        council=team.other_council, reference="THEIRS-1", pm=team.other_pm
    )
    client_for(team.pm).get(reverse("assessments:project-export", args=[mine.pk]))
    client_for(team.other_pm).get(reverse("assessments:project-export", args=[theirs.pk]))
    page = client_for(team.admin).get(reverse("assessments:privacy-downloads"))
    assert page.status_code == 200
    assert "MINE-1" in page.text and "THEIRS-1" not in page.text
    assert "Pm Tester" in page.text


@pytest.mark.parametrize("who", ["pm", "reviewer", "panel", "pmo"])
def test_only_administrators_read_the_log(team, client_for, who):
    response = client_for(getattr(team, who)).get(reverse("assessments:privacy-downloads"))
    assert response.status_code == 403


def test_an_api_caller_signed_in_inside_the_view_is_recorded(team, rf):
    """A REST framework view authenticates its token inside the view: the wrapper takes the caller
    from the response's request, not from Django's (still anonymous) one."""
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    project = f.make_team_project(team)

    @records_download("API: project", of="project")
    def api_view(request, pk):
        response = HttpResponse("{}", content_type="application/json")
        response.renderer_context = {"request": SimpleNamespace(user=team.pm)}
        return response

    request = rf.get(f"/api/projects/{project.pk}/", REMOTE_ADDR="192.0.2.44")
    request.user = AnonymousUser()
    api_view(request, pk=project.pk)
    record = DownloadRecord.objects.get()
    assert (record.user, record.council, record.label) == (team.pm, team.council, project.reference)
    assert record.ip_address == "192.0.2.44"
