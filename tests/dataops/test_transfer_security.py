"""A project file is untrusted input. Importing one (the import page and `manage.py
import_project`) creates only the project's own records, in a council the importer
administers, never a person, a membership or a sign-in, and never credits a local person with
a decision taken elsewhere. A bad file gets a list of problems and changes nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.dataops import transfer, transfer_import
from assessments.enums import AssessmentStatus, Role
from assessments.management.commands.import_project import Command as ImportCommand
from assessments.models import (
    ActionPlanAcceptance,
    Answer,
    CapitalProject,
    Membership,
    ReviewVerdict,
    StageAssessment,
    StatusChange,
)
from assessments.review import workflow
from tests.factories import make_assessment, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
GLASGOW, RENFREWSHIRE = "S12000049", "S12000038"


@pytest.fixture
def reviewer(glasgow):
    return make_user(
        council=glasgow,
        role=Role.REVIEWER,
        username="fiona.reid",
        first_name="Fiona",
        last_name="Reid",
    )


@pytest.fixture
def exported(client_for, glasgow, reviewer):
    """A signed-off Glasgow stage, exported through the download, then removed from this instance
    (so its file can be imported back)."""
    sro = make_user(council=glasgow, role=Role.SRO, username="sro.glasgow")
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER, username="pm.glasgow")
    assessment = make_assessment(
        council=glasgow, reference="GCC-IMP-1", title="Govan depot", project_manager=pm
    )
    answer = assessment.answers.order_by("pk").first()
    ReviewVerdict.objects.create(
        assessment=assessment, answer=answer, verdict="acceptable", reviewer=reviewer
    )
    ActionPlanAcceptance.objects.create(assessment=assessment, by=sro, note="Plan agreed")
    StatusChange.objects.create(
        assessment=assessment,
        event="sign_off",
        from_status=AssessmentStatus.APPROVED,
        to_status=AssessmentStatus.SIGNED_OFF,
        by=reviewer,
        note="All clear",
    )
    StageAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SIGNED_OFF)
    response = client_for(reviewer).get(f"/projects/{assessment.project_id}/export.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    transfer.delete_project(assessment.project)
    client_for(reviewer).logout()
    return document


@pytest.fixture
def admin():
    return make_user(is_superuser=True, is_staff=True, username="sysadmin")


def _upload(client, document, name="project.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/projects/import/", {"file": SimpleUploadedFile(name, data)})


def _problems(response) -> str:
    assert response.status_code == 200, (
        "a refused file is shown again with its problems, never a 500"
    )
    page = response.content.decode()
    assert "Nothing has been saved yet" in page
    return page


def _project(document) -> dict:
    return next(o for o in document["objects"] if o["model"] == "assessments.capitalproject")


def _first(document, model) -> dict:
    return next(o for o in document["objects"] if o["model"] == model)


def _nothing_imported():
    assert not CapitalProject.objects.filter(reference="GCC-IMP-1").exists()


def test_a_superuser_row_in_the_file_is_refused_and_no_account_is_created(
    client_for, exported, admin
):
    exported["objects"].append(
        {
            "model": "auth.user",
            "ref": "auth.user#0",
            "fields": {
                "username": "mallory",
                "is_superuser": True,
                "is_staff": True,
                "is_active": True,
                "password": "md5$x$0123456789abcdef0123456789abcdef",
            },
        }
    )
    page = _problems(_upload(client_for(admin), exported))
    assert "(auth.user): is not part of a project&#x27;s own records" in page
    assert not User.objects.filter(username="mallory").exists()
    _nothing_imported()


def test_membership_and_session_rows_are_refused(client_for, exported, admin, glasgow):
    outsider = make_user(username="outsider")
    exported["objects"] += [
        {
            "model": "assessments.membership",
            "ref": "assessments.membership#0",
            "fields": {
                "user": {"user": "outsider"},
                "council": {"natural": ["assessments.council", GLASGOW]},
                "role": Role.COUNCIL_ADMIN,
            },
        },
        {
            "model": "sessions.session",
            "ref": "sessions.session#0",
            "fields": {"session_data": "x", "expire_date": "2099-01-01T00:00:00+00:00"},
        },
    ]
    page = _problems(_upload(client_for(admin), exported))
    assert "(assessments.membership): is not part of a project" in page
    assert "(sessions.session): is not part of a project" in page
    assert not Membership.objects.filter(user=outsider).exists()
    assert not Session.objects.exists() or not Session.objects.filter(session_data="x").exists()
    _nothing_imported()


def test_people_named_in_the_file_are_never_created(client_for, exported, admin):
    exported["users"].append(
        {"username": "ghost", "first_name": "Gus", "last_name": "Host", "email": "g@x.org"}
    )
    _project(exported)["fields"]["created_by"] = {"user": "ghost"}
    response = _upload(client_for(admin), exported)
    assert response.status_code == 302
    project = CapitalProject.objects.get(reference="GCC-IMP-1")
    assert not User.objects.filter(username="ghost").exists()
    assert project.created_by is None
    # The project manager holds that role in the council here, so the project names them.
    assert project.project_manager.username == "pm.glasgow"
    # Kept as a name only, on the import record.
    note = StatusChange.objects.get(assessment__project=project, event="import").note
    assert "kept here as names only: " in note and "Gus Host (ghost)" in note


def test_a_sign_off_credited_to_a_local_reviewer_comes_in_only_as_imported_history(
    client_for, exported, admin, reviewer
):
    response = _upload(client_for(admin), exported)
    assert response.status_code == 302
    assessment = StageAssessment.objects.get(project__reference="GCC-IMP-1")
    assert assessment.status == AssessmentStatus.SIGNED_OFF and assessment.is_frozen
    # Nobody here is credited with anything the other instance's workflow recorded.
    assert not StatusChange.objects.filter(by=reviewer).exists()
    assert not ReviewVerdict.objects.filter(reviewer=reviewer).exists()
    assert not ActionPlanAcceptance.objects.filter(by__isnull=False).exists()
    sign_off = assessment.status_changes.get(event="sign_off")
    assert sign_off.by is None
    assert sign_off.note.startswith(
        f"Imported from {transfer.instance_name()}; recorded there by Fiona Reid "
        "(fiona.reid). All clear"
    )
    # An imported acceptance is history: it never clears a local sign-off.
    assert workflow.current_acceptance(assessment) is None
    # What a person reads says it was imported.
    timeline = (
        client_for(reviewer).get(f"/projects/{assessment.project_id}/timeline/").content.decode()
    )
    assert "Imported from another CHIIA instance" in timeline
    assert "Signed off" in timeline and "recorded there by Fiona Reid (fiona.reid)" in timeline


def test_a_header_naming_another_council_than_the_project_is_refused(client_for, exported, admin):
    exported["project"]["council"] = RENFREWSHIRE
    page = _problems(_upload(client_for(admin), exported))
    assert (
        f"its summary names council {RENFREWSHIRE}, but the project in it belongs to {GLASGOW}"
        in page
    )
    _nothing_imported()


def test_a_council_the_importer_does_not_administer_is_refused(
    client_for, exported, renfrewshire, tmp_path
):
    their_admin = make_user(council=renfrewshire, role=Role.COUNCIL_ADMIN, username="ren.admin")
    page = _problems(_upload(client_for(their_admin), exported))
    assert f"the project belongs to council {GLASGOW}, which you do not administer" in page
    _nothing_imported()
    path = tmp_path / "project.json"
    path.write_text(json.dumps(exported))
    with pytest.raises(
        CommandError, match=f"belongs to council {GLASGOW}, which you do not administer"
    ):
        call_command("import_project", str(path), "--as", "ren.admin")
    _nothing_imported()


def test_a_council_administrator_imports_into_their_own_council(client_for, exported, glasgow):
    own_admin = make_user(council=glasgow, role=Role.COUNCIL_ADMIN)
    response = _upload(client_for(own_admin), exported)
    project = CapitalProject.objects.get(council=glasgow, reference="GCC-IMP-1")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()


def test_bad_values_are_listed_and_nothing_is_written(client_for, exported, admin):
    fields = _project(exported)["fields"]
    fields["title"] = "T" * 201
    fields["description"] = "Dust\x00and noise"
    fields["created_at"] = "2026-02-30T10:00:00+00:00"
    exported["project"]["title"] = fields["title"]
    answer = _first(exported, "assessments.answer")["fields"]
    answer.update(direction="negative", likelihood=7)
    users_before = User.objects.count()
    page = _problems(_upload(client_for(admin), exported))
    assert (
        "Capital project 1, title: Ensure this value has at most 200 characters (it has 201)."
        in page
    )
    assert "Capital project 1, description: contains a NUL character" in page
    assert "Capital project 1, created_at: " in page and "it is an invalid date/time" in page
    assert "Answer 1, likelihood: Value 7 is not a valid choice." in page
    _nothing_imported()
    assert not Answer.objects.filter(likelihood=7).exists() and User.objects.count() == users_before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not text", "The file is not UTF-8 text"),
        (b"[1, 2, 3]", "it is not an object"),
        (b"[" * 100_000 + b"]" * 100_000, "The file is nested far too deeply"),
        (
            b'{"format": "chiia-project", "format_version": 2, "objects": "everything"}',
            "it lists no records",
        ),
        (
            b'{"format": "chiia-project", "format_version": 2, "project": {}, "objects": [7]}',
            "Record 1: must have exactly a model, a ref and fields",
        ),
    ],
)
def test_a_file_that_is_not_an_export_gets_a_clear_message(
    client_for, admin, reference, content, message
):
    page = _problems(_upload(client_for(admin), content))
    assert message in page


def test_an_oversized_file_is_refused_before_it_is_read(client_for, admin, reference, monkeypatch):
    monkeypatch.setattr(transfer_import, "MAX_IMPORT_BYTES", 1024 * 1024)
    page = _problems(_upload(client_for(admin), b" " * (1024 * 1024 + 1)))
    assert "The file is larger than 1 MB" in page


@pytest.mark.django_db(transaction=True)
def test_the_command_lists_the_problems_without_a_traceback(exported, admin, tmp_path, capsys):
    _project(exported)["fields"]["title"] = "T" * 201
    exported["project"]["title"] = "T" * 201
    _first(exported, "assessments.answer")["fields"].update(direction="negative", likelihood=7)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(exported))
    # The command line's own entry point, as `manage.py import_project` runs it (it closes the
    # database connections when done, so the test runs outside a wrapping transaction).
    with pytest.raises(SystemExit) as exit_:
        ImportCommand().run_from_argv(
            ["manage.py", "import_project", str(path), "--as", admin.username]
        )
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Nothing was imported. Problems with the file:" in err
    assert (
        "  - Capital project 1, title: Ensure this value has at most 200 characters (it has 201)."
        in err
    )
    assert "  - Answer 1, likelihood: Value 7 is not a valid choice." in err
    _nothing_imported()


def test_the_command_needs_an_administrator_named(exported, tmp_path):
    path = tmp_path / "project.json"
    path.write_text(json.dumps(exported))
    with pytest.raises(CommandError, match="the following arguments are required: --as"):
        call_command("import_project", str(path))
    with pytest.raises(CommandError, match="administers no council"):
        call_command("import_project", str(path), "--as", make_user().username)
    _nothing_imported()


def test_an_export_imports_into_another_council(client_for, exported, renfrewshire):
    moved = json.loads(json.dumps(exported).replace(f'"{GLASGOW}"', f'"{RENFREWSHIRE}"'))
    their_admin = make_user(council=renfrewshire, role=Role.COUNCIL_ADMIN)
    assert _upload(client_for(their_admin), moved).status_code == 302
    project = CapitalProject.objects.get(council=renfrewshire, reference="GCC-IMP-1")
    assert project.title == "Govan depot"
    assert project.assessments.get().answers.count() == len(
        [o for o in exported["objects"] if o["model"] == "assessments.answer"]
    )


def test_a_project_role_is_linked_only_to_someone_holding_it_in_the_council(
    client_for, exported, admin, renfrewshire
):
    # An account here that is no senior responsible officer of Glasgow: the project form would
    # refuse them, so the import keeps only their name (and they get none of the project's emails).
    make_user(council=renfrewshire, role=Role.SRO, username="sro.elsewhere")
    _project(exported)["fields"]["senior_responsible_officer"] = {"user": "sro.elsewhere"}
    assert _upload(client_for(admin), exported).status_code == 302
    project = CapitalProject.objects.get(reference="GCC-IMP-1")
    assert project.senior_responsible_officer is None
    note = StatusChange.objects.get(assessment__project=project, event="import").note
    assert "kept here as names only: " in note and "sro.elsewhere" in note


def test_records_that_contradict_each_other_are_refused_whole(client_for, exported, admin):
    # Two answers to the same question of the same stage: each is valid on its own, so only the
    # database notices, after the project and its stage were written. All of it is undone.
    answers = [o for o in exported["objects"] if o["model"] == "assessments.answer"]
    answers[1]["fields"]["question"] = answers[0]["fields"]["question"]
    page = _problems(_upload(client_for(admin), exported))
    assert (
        "The file&#x27;s records contradict each other or records already on this instance" in page
    )
    _nothing_imported()
    assert not StageAssessment.objects.exists()


def test_an_open_stage_is_scored_here_not_taken_from_the_file(client_for, exported, admin):
    # A draft stage whose file claims a green rating and no flags while one answer is a likely,
    # serious harm: the page must show what the answers give, not what the file says.
    stage = _first(exported, "assessments.stageassessment")["fields"]
    stage.update(status=AssessmentStatus.DRAFT, overall_rating="green", open_flags=[])
    answer = _first(exported, "assessments.answer")["fields"]
    answer.update(
        direction="negative",
        likelihood=4,
        severity=3,
        duration="long",
        reach="region",
        evidence_strength="strong",
    )
    assert _upload(client_for(admin), exported).status_code == 302
    imported = StageAssessment.objects.get(project__reference="GCC-IMP-1")
    assert imported.overall_rating == "red"
    assert imported.open_flags and imported.score_snapshot["overall_harm_rag"] == "red"


def test_a_signed_off_stage_whose_ratings_disagree_with_its_scores_is_refused(
    client_for, exported, admin
):
    stage = _first(exported, "assessments.stageassessment")["fields"]
    assert stage["status"] == AssessmentStatus.SIGNED_OFF
    stage["overall_rating"] = "green" if stage["overall_rating"] != "green" else "red"
    page = _problems(_upload(client_for(admin), exported))
    assert "ratings and flags do not match its stored scores" in page
    _nothing_imported()
