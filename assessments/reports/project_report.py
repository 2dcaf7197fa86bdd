"""A whole project's report: the front matter and every live stage's chapter, in lifecycle order,
with the stages not yet reached listed in the overview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from assessments.enums import RAG_MEANINGS, AssessmentStatus
from assessments.models import CapitalProject, LifecycleStage
from assessments.reports.context import build_stage_report, load_reference, project_info
from assessments.reports.data import ProjectReport, StageOverview
from assessments.reports.outcomes import project_outcome_lines
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
    stages, overview, assessment_ids = [], [], []
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
        assessment_ids.append(assessment.pk)
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
        assessment_ids=assessment_ids,
        outcomes=project_outcome_lines(project.pk, timezone.localdate()),
    )


@dataclass
class TocEntry:
    anchor: str
    title: str
    children: list[TocEntry] = field(default_factory=list)
    page: int | None = None  # given when the contents are rendered apart from the pages


CHAPTER_SECTIONS = (
    ("summary", "Summary"),
    ("findings", "Findings by determinant"),
    ("flags", "Flags and decisions"),
    ("actions", "Action plan and monitoring"),
)


def contents(report: ProjectReport, pages: dict[str, int] | None = None) -> list[TocEntry]:
    """The contents list; with `pages` (anchor -> page number) each entry names its page."""
    entries = [TocEntry("overview", "Stages at a glance")]
    for s in report.stages:
        entries.append(
            TocEntry(
                s.anchor,
                f"{s.stage_name} ({s.status_label.lower()})",
                [TocEntry(f"{s.anchor}-{key}", title) for key, title in CHAPTER_SECTIONS],
            )
        )
    entries.append(
        TocEntry(
            "outcomes",
            "Outcome indicators",
            [TocEntry(f"outcome-{n}", o.name) for n, o in enumerate(report.outcomes, start=1)],
        )
    )
    entries.append(TocEntry("attributions", "Data sources and attributions"))
    if pages is not None:
        for entry in entries:
            for item in (entry, *entry.children):
                item.page = pages.get(item.anchor)
    return entries


def project_template_context(report: ProjectReport, pages: dict[str, int] | None = None) -> dict:
    return {
        "toc": contents(report, pages),
        "report": report,
        "project": report.project,
        "is_final": report.is_final,
        "generated_at": report.generated_at,
        "attributions": report.attributions,
    }
