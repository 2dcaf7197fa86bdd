"""A whole project's report: the front matter and every live stage's chapter, in lifecycle order,
with the stages not yet reached listed in the overview."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from assessments.enums import RAG_MEANINGS, AssessmentStatus
from assessments.models import CapitalProject, LifecycleStage
from assessments.reports.context import build_stage_report, load_reference, project_info
from assessments.reports.data import ProjectReport, StageOverview
from assessments.reports.place_section import attributions_for, place_context


def build_project_report(
    project: CapitalProject, *, progress: Callable[[int, str], None] | None = None
) -> ProjectReport:
    """Every live stage assessment of the project, in lifecycle order, plus stages not yet reached."""
    project = CapitalProject.objects.select_related(
        "council", "current_stage", "project_manager", "senior_responsible_officer"
    ).get(pk=project.pk)
    ref = load_reference()
    info = project_info(project)
    place = place_context(project)
    live = {a.stage_id: a for a in project.assessments.exclude(status=AssessmentStatus.SUPERSEDED)}
    stages, overview = [], []
    all_stages = list(LifecycleStage.objects.order_by("order"))
    for index, stage in enumerate(all_stages):
        assessment = live.get(stage.pk)
        if assessment is None:
            overview.append(
                StageOverview(
                    stage.name, "Not started", RAG_MEANINGS["grey"], "grey", "–", "–", None
                )
            )
            continue
        if progress:
            progress(int(80 * index / len(all_stages)), f"Gathering the {stage.name} assessment")
        report = build_stage_report(assessment, place=place, ref=ref, project=info)
        stages.append(report)
        overview.append(
            StageOverview(
                stage.name,
                report.status_label,
                report.overall_label,
                report.overall,
                report.residual_label,
                report.completeness,
                report.anchor,
            )
        )
    return ProjectReport(
        project=info,
        stages=stages,
        overview=overview,
        is_final=bool(stages) and all(s.is_final for s in stages),
        place=place,
        generated_at=timezone.now(),
        attributions=attributions_for(place),
    )


def project_template_context(report: ProjectReport) -> dict:
    return {
        "report": report,
        "project": report.project,
        "is_final": report.is_final,
        "generated_at": report.generated_at,
        "attributions": report.attributions,
    }
