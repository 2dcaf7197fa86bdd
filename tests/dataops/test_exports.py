"""Exports: the filtered portfolio as CSV and Excel, and a whole project as JSON that another
instance imports exactly."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import load_workbook

from assessments.dataops import transfer, transfer_import
from assessments.enums import AssessmentStatus, Role
from assessments.models import (
    Answer,
    AnswerGroup,
    CapitalProject,
    LifecycleStage,
    PopulationGroup,
    RuleSet,
    StageAssessment,
)
from assessments.scoring import snapshots as scoring
from tests.factories import (
    make_assessment,
    make_harms_one_third_on_priority_groups,
    make_project,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pmo(reference):
    return make_user(role=Role.PMO_VIEWER)


def _harm(assessment, determinant="D05", **fields):
    answer = Answer.objects.filter(
        assessment=assessment, question__determinant__code=determinant
    ).order_by("question__order")[0]
    values = dict(
        direction="negative", likelihood=4, severity=3, reach="region", pathway="Dust and noise"
    )
    for name, value in {**values, **fields}.items():
        setattr(answer, name, value)
    answer.save()
    return answer


def test_portfolio_csv_follows_the_filters(client_for, glasgow, renfrewshire, pmo):
    assessment = make_assessment(council=glasgow, title='=HYPERLINK("x") depot', reference="GCC-1")
    _harm(assessment)
    scoring.refresh_snapshot(assessment)
    make_project(council=renfrewshire, title="Paisley library", reference="REN-1")
    response = client_for(pmo).get("/dashboard/export.csv?rating=red")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Project", "Council"]
    assert len(rows) == 2
    reference, title, council, *_rest = rows[1]
    assert (reference, council) == ("GCC-1", "Glasgow City")
    assert title.startswith("'=HYPERLINK")  # never a live formula in a spreadsheet
    assert rows[1][9] == "Red"
    assert rows[1][12]  # open flags listed


def test_portfolio_excel_has_every_visible_project(client_for, glasgow, renfrewshire, pmo):
    make_project(council=glasgow, title="Govan school", reference="GCC-2", budget=1234567)
    make_project(council=renfrewshire, title="Paisley library", reference="REN-1")
    response = client_for(pmo).get("/dashboard/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Portfolio"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert {r[0] for r in rows[1:]} == {"GCC-2", "REN-1"}
    govan = next(r for r in rows if r[0] == "GCC-2")
    assert float(govan[4]) == 1234567 and govan[2] == "Glasgow City"


def _rich_project(glasgow):
    """A project with two stages (the second carried forward), answers with groups, history,
    derived ratings and a signed-off first stage."""
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER, username="pm.export")
    sro = make_user(council=glasgow, role=Role.SRO, username="sro.export")
    first = make_assessment(
        council=glasgow,
        stage_code="SBC",
        by=pm,
        project_manager=pm,
        senior_responsible_officer=sro,
        postcodes=["G40 1HX"],
        data_zones=["S01010046"],
    )
    project = first.project
    answer = _harm(first, mitigation="Hoardings and wheel wash", mitigation_owner="Site manager")
    AnswerGroup.objects.create(
        answer=answer, group=PopulationGroup.objects.get(code="PC_AGE_CHILD"), disproportionate=True
    )
    _harm(first, determinant="D02", direction="positive", distribution="priority", severity=2)
    scoring.refresh_snapshot(first)
    StageAssessment.objects.filter(pk=first.pk).update(status=AssessmentStatus.SIGNED_OFF)
    project.current_stage = LifecycleStage.objects.get(code="OBC")
    project.save()
    second = StageAssessment.objects.create(
        project=project,
        stage=project.current_stage,
        question_bank=first.question_bank,
        rule_set=first.rule_set,
        carried_from=first,
        created_by=pm,
    )
    Answer.objects.create(
        assessment=second,
        question=answer.question,
        direction="negative",
        likelihood=3,
        severity=2,
        carried_from=answer,
        baseline_confirmed=False,
        updated_by=pm,
    )
    scoring.refresh_snapshot(second)
    return project


def _export(project) -> dict:
    # Through JSON text, as a file would carry it.
    document = json.loads(json.dumps(transfer.export_project(project), cls=DjangoJSONEncoder))
    document.pop("exported_at")
    return document


def _without_import_events(document) -> dict:
    """The document minus the one event per stage that an import adds (checked separately)."""
    objects = [
        o
        for o in document["objects"]
        if not (o["model"] == "assessments.statuschange" and o["fields"]["event"] == "import")
    ]
    return {**document, "objects": objects}


def _import_events(project) -> list[str]:
    return [
        c.note for a in project.assessments.all() for c in a.status_changes.filter(event="import")
    ]


def test_project_json_round_trip_is_lossless(glasgow):
    project = _rich_project(glasgow)
    before = _export(project)
    models = {o["model"] for o in before["objects"]}
    assert {
        "assessments.capitalproject",
        "assessments.stageassessment",
        "assessments.answer",
        "assessments.answergroup",
        "assessments.assessmentsection",
        "assessments.historicalanswer",
        "assessments.historicalcapitalproject",
    } <= models
    assert before["versions"]["question_banks"] == ["1"]
    assert before["versions"]["rule_sets"] == [RuleSet.objects.latest().version]
    assert {u["username"] for u in before["users"]} == {"pm.export", "sro.export"}
    old_pk = project.pk

    transfer.delete_project(project)
    assert not CapitalProject.objects.filter(pk=old_pk).exists()
    imported = transfer_import.import_project(before, user=make_user(is_superuser=True))
    assert imported.pk != old_pk
    # The import says so on every stage; nothing else differs.
    notes = _import_events(imported)
    assert len(notes) == 2 and all(
        note.startswith(f"Imported from {transfer.instance_name()} ") for note in notes
    )
    after = _without_import_events(_export(imported))
    changed = [
        (a["ref"], name)
        for a, b in zip(after["objects"], before["objects"], strict=False)
        for name in a["fields"]
        if a["fields"][name] != b["fields"].get(name)
    ]
    assert changed == []
    assert after == before, "re-export differs from the original export"
    # Timestamps survive, and carried-forward links point inside the new copy.
    second = imported.assessments.get(stage__code="OBC")
    assert second.carried_from.project_id == imported.pk
    assert second.answers.get().carried_from.assessment_id == second.carried_from_id


def test_import_refuses_a_duplicate_and_reports_missing_reference_data(glasgow):
    project = _rich_project(glasgow)
    document = _export(project)
    admin = make_user(is_superuser=True)
    with pytest.raises(transfer.TransferError, match="Council and Reference already exists"):
        transfer_import.import_project(document, user=admin)
    transfer.delete_project(project)
    broken = json.loads(json.dumps(document).replace('"S12000049"', '"S12999999"'))
    with pytest.raises(transfer.TransferError, match="no assessments.council S12999999"):
        transfer_import.import_project(broken, user=admin)


def test_export_and_import_commands(glasgow, tmp_path, capsys):
    project = _rich_project(glasgow)
    path = tmp_path / "project.json"
    call_command("export_project", f"{glasgow.code}:{project.reference}", "-o", str(path))
    before = json.loads(path.read_text())
    transfer.delete_project(project)
    admin = make_user(is_superuser=True)
    call_command("import_project", str(path), "--as", admin.username)
    assert "Imported" in capsys.readouterr().out
    again = CapitalProject.objects.get(council=glasgow, reference=project.reference)
    after = _without_import_events(_export(again))
    before.pop("exported_at")
    assert after == before


def test_project_export_download_needs_view_permission(client_for, glasgow, renfrewshire):
    project = make_project(council=glasgow)
    reader = make_user(council=glasgow, role=Role.REVIEWER)
    response = client_for(reader).get(f"/projects/{project.pk}/export.json")
    assert response.status_code == 200
    assert json.loads(response.content)["project"]["reference"] == project.reference
    outsider = make_user(council=renfrewshire, role=Role.PROJECT_MANAGER)
    assert client_for(outsider).get(f"/projects/{project.pk}/export.json").status_code == 404


def test_import_page_is_for_administrators(client_for, glasgow):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = _rich_project(glasgow)
    text = json.dumps(transfer.export_project(project), cls=DjangoJSONEncoder).encode()
    transfer.delete_project(project)
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    assert client_for(pm).get("/projects/import/").status_code == 403
    admin = make_user(is_superuser=True, is_staff=True)
    client = client_for(admin)
    bad = client.post("/projects/import/", {"file": SimpleUploadedFile("x.json", b"not json")})
    assert "The file is not valid JSON (line 1, column 1)" in bad.content.decode()
    response = client.post("/projects/import/", {"file": SimpleUploadedFile("p.json", text)})
    imported = CapitalProject.objects.get(council=glasgow, reference=project.reference)
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()


def test_import_refuses_records_this_version_does_not_know(glasgow):
    project = _rich_project(glasgow)
    document = _export(project)
    transfer.delete_project(project)
    document["objects"].append(
        {"model": "assessments.hologram", "ref": "assessments.hologram#0", "fields": {}}
    )
    with pytest.raises(
        transfer.TransferError, match=r"\(assessments.hologram\): is not part of a project"
    ):
        transfer_import.import_project(document, user=make_user(is_superuser=True))
    assert not CapitalProject.objects.filter(reference=project.reference).exists()


def test_portfolio_exports_give_the_equity_index_as_a_percentage_of_harm(client_for, glasgow, pmo):
    make_harms_one_third_on_priority_groups(glasgow)
    label = "Equity index (% of harm on priority groups, higher is worse)"
    client = client_for(pmo)
    text = client.get("/dashboard/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index(label)
    assert rows[1][column] == "33.3"

    book = load_workbook(io.BytesIO(client.get("/dashboard/export.xlsx").content))
    rows = list(book["Portfolio"].iter_rows(values_only=True))
    assert float(rows[1][rows[0].index(label)]) == 33.3
    (notes,) = book["Notes"].iter_rows(values_only=True)
    assert notes[0] == label
    assert notes[1].startswith("The equity index is the share of the harm that falls on priority")
    assert "Higher means more of the harm falls on priority groups, which is worse." in notes[1]
