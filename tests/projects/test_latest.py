"""A project's latest assessment is kept marked (StageAssessment.is_latest) through every way an
assessment comes and goes, so the project list, the dashboard and the API show the right stage."""

import pytest
from django.db import IntegrityError, transaction

from assessments.enums import AssessmentStatus
from assessments.models import StageAssessment
from assessments.projects import latest
from assessments.review import workflow
from tests.factories import answer_everything, force_status, make_team_project, sign_off, start

pytestmark = pytest.mark.django_db


def marked(project) -> list[int]:
    return list(project.assessments.filter(is_latest=True).values_list("pk", flat=True))


def test_the_first_assessment_is_the_latest(team):
    project = make_team_project(team)
    first = start(project, "SBC", by=team.pm)
    assert marked(project) == [first.pk]


def test_the_next_stage_becomes_the_latest_and_the_signed_off_one_stops_being_it(team):
    project = make_team_project(team)
    first = start(project, by=team.pm)
    answer_everything(first)
    sign_off(first)
    second = workflow.start_next_stage(first, team.pm)
    assert second.stage.order > first.stage.order
    assert marked(project) == [second.pk]


def test_a_rescreened_stage_hands_over_to_its_new_assessment(team):
    project = make_team_project(team)
    first = start(project, by=team.pm)
    new = workflow.rescreen(first, team.pm, reason="scale", note="Twice the homes")
    assert marked(project) == [new.pk]
    first.refresh_from_db()
    assert first.status == AssessmentStatus.SUPERSEDED and not first.is_latest


def test_deleting_the_latest_falls_back_to_the_one_before(team):
    project = make_team_project(team)
    earlier = start(project, "STRATEGIC", by=team.pm)
    later = start(project, "SBC", by=team.pm)
    assert marked(project) == [later.pk]
    later.answers.all().delete()
    later.sections.all().delete()
    later.status_changes.all().delete()
    later.delete()
    assert marked(project) == [earlier.pk]


def test_a_scoring_save_does_not_touch_the_mark(team, django_assert_max_num_queries):
    project = make_team_project(team)
    assessment = start(project, by=team.pm)
    with django_assert_max_num_queries(2):
        assessment.save(update_fields=["overall_rating"])
    assert marked(project) == [assessment.pk]


def test_one_latest_per_project_is_a_database_rule(team):
    project = make_team_project(team)
    start(project, "STRATEGIC", by=team.pm)
    later = start(project, "SBC", by=team.pm)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageAssessment.objects.filter(project=project).exclude(pk=later.pk).update(is_latest=True)


def test_refresh_all_rebuilds_lost_marks(team):
    project = make_team_project(team)
    start(project, "STRATEGIC", by=team.pm)
    later = start(project, "SBC", by=team.pm)
    StageAssessment.objects.update(is_latest=False)  # as after restoring an older backup
    latest.refresh_all()
    assert marked(project) == [later.pk]
    force_status(later, AssessmentStatus.SUPERSEDED)
    assert len(marked(project)) == 1 and marked(project) != [later.pk]
