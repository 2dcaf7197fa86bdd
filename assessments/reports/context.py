"""Everything a report shows, gathered in one place: every database read and every score lookup
for the PDF and HTML reports happens here, and templates only print the plain dataclasses built.

This module builds one stage's report. Sections owned by other parts of the product are fetched
by direct calls: review decisions, actions, community comments and sign-offs from the
workflow's records (records.py), and the deprivation profile, catchment map and data
attribution from place_section.py. project_report.py puts the stages of a project together.
A section with nothing recorded says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import presenters
from assessments.enums import FROZEN_STATUSES, RAG_MEANINGS, AssessmentStatus, Role
from assessments.models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Determinant,
    Membership,
    PopulationGroup,
    StageAssessment,
)
from assessments.place.profile import share_text
from assessments.reports import charts, records
from assessments.reports.data import (
    Decision,
    DeterminantFindings,
    Finding,
    FlagLine,
    GroupLine,
    Highlight,
    MonitoringLine,
    Participant,
    PlaceContext,
    ProjectInfo,
    StageReport,
)
from assessments.reports.place_change_section import place_change_context
from assessments.reports.place_section import attributions_for, place_context
from assessments.scoring import schema
from assessments.scoring import snapshots as scoring

BAND_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "negligible": "Negligible"}

# ---------------------------------------------------------------- builders


def project_info(project: CapitalProject) -> ProjectInfo:
    return ProjectInfo(
        title=project.title,
        reference=project.reference,
        council=project.council.name,
        project_type=project.get_project_type_display(),
        budget=project.budget,
        city_deal=project.city_deal,
        description=project.description,
        postcodes=list(project.postcodes or []),
        data_zones=list(project.data_zones or []),
        current_stage=project.current_stage.name,
        project_manager=presenters.person_name(project.project_manager) or "Not set",
        sro=presenters.person_name(project.senior_responsible_officer) or "Not set",
    )


def _inputs(answer: Answer) -> list[tuple[str, str]]:
    if answer.direction not in ("positive", "negative"):
        return []
    pairs = [
        (
            "Likelihood",
            f"{answer.get_likelihood_display()} ({answer.likelihood})"
            if answer.likelihood
            else "–",
        ),
        (
            "Severity",
            f"{answer.get_severity_display()} ({answer.severity})"
            if answer.severity is not None
            else "–",
        ),
        ("Duration", answer.get_duration_display() or "–"),
        ("Reversible", "Yes" if answer.reversible else "No"),
        ("Reach", answer.get_reach_display() or "–"),
    ]
    if answer.direction == "positive":
        pairs.append(("Distribution", answer.get_distribution_display() or "–"))
    pairs.append(("Evidence", answer.get_evidence_strength_display() or "–"))
    if answer.residual_likelihood or answer.residual_severity is not None:
        pairs.append(
            (
                "After mitigation",
                f"{answer.get_residual_likelihood_display() or '–'} likelihood, "
                f"{(answer.get_residual_severity_display() or '–').lower()} severity",
            )
        )
    return pairs


def _finding(
    answer: Answer,
    links: list[AnswerGroup],
    score: schema.AnswerScore | None,
    names: dict[str, str],
) -> Finding:
    band = str(score.band) if score and score.scored and score.band else ""
    residual = str(score.effective_residual_band) if score and score.scored and score.band else ""
    return Finding(
        code=answer.question.code,
        question=answer.question.text,
        direction=answer.direction,
        direction_label=answer.get_direction_display() if answer.direction else "Not answered yet",
        answered=bool(answer.direction),
        inputs=_inputs(answer),
        groups=[
            f"{link.group.name}{' (disproportionately)' if link.disproportionate else ''}"
            for link in links
        ]
        + presenters.automatic_group_lines(score, names),
        pathway=answer.pathway,
        evidence=answer.evidence_notes,
        score=score if score and score.scored else None,
        band=band,
        residual_band=residual,
        mitigation=answer.mitigation,
        mitigation_owner=answer.mitigation_owner,
        delivery_mechanism=answer.delivery_mechanism,
        indicator=answer.monitoring_indicator,
        baseline=answer.indicator_baseline,
        notes=answer.notes,
    )


def _status_dates(assessment: StageAssessment) -> tuple[list, datetime | None]:
    """Status changes from the history table: [(status, date, user)], and when it became final."""
    changes = []
    previous = None
    history = assessment.history.order_by("history_date", "history_id").select_related(
        "history_user"
    )
    for record in history.only("status", "history_date", "history_user"):
        if record.status != previous:
            changes.append((record.status, record.history_date, record.history_user))
            previous = record.status
    finalised = next(
        (date for status, date, _ in reversed(changes) if status == AssessmentStatus.SIGNED_OFF),
        None,
    )
    return changes, finalised


def _project_when_signed_off(assessment: StageAssessment, finalised: datetime | None):
    """The project as it stood when the stage was signed off (from its history), or None for a
    stage not signed off. A signed-off stage's report must say what was signed off, even after
    the project's title, budget or place were edited, in the app or the admin."""
    if assessment.status != AssessmentStatus.SIGNED_OFF or finalised is None:
        return None
    try:
        return assessment.project.history.as_of(finalised)
    except CapitalProject.DoesNotExist:
        return None


def _participants(
    assessment: StageAssessment, answers: list[Answer], sections
) -> list[Participant]:
    user_ids = {a.updated_by_id for a in answers if a.updated_by_id}
    user_ids |= {s.updated_by_id for s in sections if s.updated_by_id}
    if assessment.created_by_id:
        user_ids.add(assessment.created_by_id)
    if not user_ids:
        return []
    roles = defaultdict(list)
    for membership in Membership.objects.filter(
        user_id__in=user_ids, council_id=assessment.project.council_id
    ):
        roles[membership.user_id].append(Role(membership.role).label)
    users = get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "first_name")
    return [
        Participant(
            name=presenters.person_name(user),
            role=", ".join(roles[user.pk]) or "Contributor",
            organisation=assessment.project.council.name,
        )
        for user in users
    ]


def _full_hia(result: schema.AssessmentResult | None, decisions: list[Decision]) -> str:
    recorded = [d for d in decisions if "hia" in d.title.lower()]
    if recorded:
        d = recorded[-1]
        return f"{d.outcome}. {d.reasons}".strip()
    if result is None:
        return "Not yet assessed, so no decision on a full health impact assessment has been made."
    flag = result.flag("F1")
    if flag:
        return (
            f"The scoring rules recommend a full health impact assessment: {flag.reason} "
            "No decision on it has been recorded yet."
        )
    return "The scoring rules do not recommend a full health impact assessment at this stage (flag F1 not raised)."


def _summary(
    result: schema.AssessmentResult | None,
    assessed: bool,
    dets: list[DeterminantFindings],
    groups: list[GroupLine],
) -> list[str]:
    if not assessed or result is None:
        return [
            "This stage has not yet been assessed: no question has been answered, so there is no rating, "
            "no benefit or harm and no flag to report yet."
        ]
    worst = next((d for d in dets if d.harm_rag == str(result.overall_harm_rag)), None)
    lines = [
        f"Overall harm rating: {RAG_MEANINGS[str(result.overall_harm_rag)]}."
        + (
            f" The worst area is {worst.name.lower()}: {worst.harm_reason}"
            if worst and worst.harm_reason
            else ""
        )
    ]
    lines.append(
        f"After the planned mitigation the rating is {RAG_MEANINGS[str(result.overall_residual_harm_rag)]}."
    )
    bs = result.benefit_summary
    benefit = f"The project is expected to bring {bs.high} high and {bs.medium} medium benefits"
    if bs.equity_share is not None:
        benefit += f"; {share_text(bs.equity_share)} of the benefit reaches groups facing the biggest barriers"
    lines.append(benefit + ".")
    if result.equity_index is not None:
        lines.append(
            f"{presenters.percent(result.equity_index)} of the expected harm falls on "
            "priority groups (the equity index: higher is worse)"
            + (
                " – more than half, so it needs particular attention."
                if result.equity_index_highlight
                else "."
            )
        )
    if groups:
        names = ", ".join(g.name.lower() for g in groups[:4])
        lines.append(
            f"The groups most affected are {names}{' and others' if len(groups) > 4 else ''}."
        )
    if result.flags:
        lines.append(
            f"{len(result.flags)} flag{'s' if len(result.flags) != 1 else ''} raised: "
            + "; ".join(f"{f.code} {f.title.lower()}" for f in result.flags)
            + "."
        )
    else:
        lines.append("No flags were raised.")
    comp = result.completeness
    lines.append(
        f"{comp.answered} of {comp.applicable} applicable questions have been answered"
        + (
            f"; {share_text(result.uncertain_share)} were answered “uncertain”."
            if result.uncertain_share
            else "."
        )
    )
    return lines


def _completeness(result: schema.AssessmentResult | None) -> str:
    if result is None:
        return "Not scored"
    return f"{result.completeness.answered} of {result.completeness.applicable} applicable questions answered"


def _highlights(dets: list[DeterminantFindings], direction: str, limit: int = 5) -> list[Highlight]:
    """The strongest scored benefits or harms, biggest first."""
    found = [
        (abs(f.score.weighted), d, f)
        for d in dets
        for f in d.findings
        if f.score and f.direction == direction
    ]
    found.sort(key=lambda item: item[0], reverse=True)
    return [
        Highlight(
            area=d.plain_name,
            text=f.pathway or f.question,
            band=BAND_WORDS.get(f.band, ""),
            mitigation=f.mitigation,
            residual_band=BAND_WORDS.get(f.residual_band, ""),
        )
        for _, d, f in found[:limit]
    ]


def _groups_affected(
    answers: list[Answer], links_by_answer, scores, groups_by_code: dict[str, PopulationGroup]
) -> list[GroupLine]:
    """Groups named in answers, and groups the rules counted automatically (with the reason)."""
    per_group: dict[int, dict] = {}
    for answer in answers:
        score = scores.get(answer.question.code)
        named = [
            (link.group, link.disproportionate, "") for link in links_by_answer.get(answer.pk, [])
        ]
        automatic = [
            (groups_by_code[g.code], False, g.reason)
            for g in (score.automatic_groups if score else ())
            if g.code in groups_by_code
        ]
        for group, disproportionate, reason in named + automatic:
            entry = per_group.setdefault(
                group.pk,
                {
                    "group": group,
                    "dets": set(),
                    "harms": 0,
                    "benefits": 0,
                    "disp": False,
                    "why": [],
                },
            )
            entry["dets"].add(answer.question.determinant.code)
            entry["disp"] |= disproportionate
            if reason and reason not in entry["why"]:
                entry["why"].append(reason)
            if score and score.scored:
                entry["harms" if answer.direction == "negative" else "benefits"] += 1
    lines = [
        GroupLine(
            name=e["group"].name,
            category=e["group"].get_category_display(),
            determinants=sorted(e["dets"]),
            harms=e["harms"],
            benefits=e["benefits"],
            disproportionate=e["disp"],
            automatic="; ".join(e["why"]),
        )
        for e in sorted(per_group.values(), key=lambda e: (e["group"].order, e["group"].code))
    ]
    return sorted(lines, key=lambda g: (-(g.harms + g.benefits), not g.disproportionate))


@dataclass
class Reference:
    determinants: list[Determinant]
    groups: list[PopulationGroup]


def load_reference() -> Reference:
    return Reference(
        list(Determinant.objects.order_by("order", "code")),
        list(PopulationGroup.objects.order_by("order", "code")),
    )


def _determinant_findings(
    det: Determinant,
    rows: list[Answer],
    dr: schema.DeterminantResult | None,
    section: AssessmentSection | None,
    scores,
    links_by_answer,
    stage_anchor: str,
    names: dict[str, str],
) -> DeterminantFindings:
    harm = str(dr.harm_rag) if dr else "grey"
    residual = str(dr.residual_harm_rag) if dr else "grey"
    return DeterminantFindings(
        code=det.code,
        name=det.name,
        plain_name=det.plain_name or det.name,
        anchor=f"{stage_anchor}-{det.code}",
        harm_rag=harm,
        harm_label=RAG_MEANINGS[harm],
        harm_reason=dr.harm_rag_reason if dr else "",
        residual_rag=residual,
        residual_label=RAG_MEANINGS[residual],
        benefit=BAND_WORDS.get(str(dr.benefit_level), "None")
        if dr and dr.benefit_level
        else "None",
        equity_share=share_text(dr.equity_share) if dr and dr.equity_share is not None else "–",
        answered=sum(1 for a in rows if a.direction and a.direction != "not_applicable"),
        applicable=sum(1 for a in rows if a.direction != "not_applicable"),
        not_assessed_reason=section.not_assessed_reason if section else "",
        findings=[
            _finding(a, links_by_answer.get(a.pk, []), scores.get(a.question.code), names)
            for a in rows
        ],
    )


@dataclass(frozen=True)
class _StageData:
    """One stage's rows and stored scores, read once and shared by the section builders."""

    assessment: StageAssessment
    result: schema.AssessmentResult | None
    scores: dict
    answers: list[Answer]
    links_by_answer: dict
    sections: dict
    anchor: str
    assessed: bool


def _load_stage(assessment: StageAssessment) -> _StageData:
    """Reads the stored score snapshot; never re-scores."""
    assessment = StageAssessment.objects.select_related(
        "project__council",
        "project__current_stage",
        "project__project_manager",
        "project__senior_responsible_officer",
        "stage",
        "question_bank",
        "rule_set",
    ).get(pk=assessment.pk)
    result = scoring.stored_result(assessment)
    answers = list(
        assessment.answers.select_related("question__determinant").order_by(
            "question__determinant__order", "question__order"
        )
    )
    links_by_answer = defaultdict(list)
    links = (
        AnswerGroup.objects.filter(answer__assessment=assessment)
        .select_related("group")
        .order_by("group__order")
    )
    for link in links:
        links_by_answer[link.answer_id].append(link)
    return _StageData(
        assessment=assessment,
        result=result,
        scores={s.key: s for s in result.answers} if result else {},
        answers=answers,
        links_by_answer=links_by_answer,
        sections={
            s.determinant_id: s for s in AssessmentSection.objects.filter(assessment=assessment)
        },
        anchor=f"s-{assessment.stage.code.lower()}",
        assessed=any(a.direction for a in answers),
    )


def _findings_sections(data: _StageData, ref: Reference) -> dict:
    """Findings per determinant, the groups affected and not considered, and monitoring."""
    det_results = {d.code: d for d in data.result.determinants} if data.result else {}
    by_det = defaultdict(list)
    for answer in data.answers:
        by_det[answer.question.determinant_id].append(answer)
    groups_by_code = {g.code: g for g in ref.groups}
    names = {code: g.name for code, g in groups_by_code.items()}
    dets = [
        _determinant_findings(
            det,
            by_det.get(det.pk, []),
            det_results.get(det.code),
            data.sections.get(det.pk),
            data.scores,
            data.links_by_answer,
            data.anchor,
            names,
        )
        for det in ref.determinants
    ]
    groups = _groups_affected(data.answers, data.links_by_answer, data.scores, groups_by_code)
    considered = {g.name for g in groups}
    return {
        "determinants": dets,
        "groups_affected": groups,
        "groups_not_considered": [g.name for g in ref.groups if g.name not in considered],
        "monitoring": [
            MonitoringLine(f.indicator, f.baseline or "Not recorded", f"{f.code} ({d.name})")
            for d in dets
            for f in d.findings
            if f.indicator.strip()
        ],
    }


def _rating_sections(
    data: _StageData, ref: Reference, dets: list[DeterminantFindings], groups: list[GroupLine]
) -> dict:
    """The overall ratings, summary, charts, flags and highlights; grey until answered."""
    result, assessed = data.result, data.assessed
    overall = str(result.overall_harm_rag) if result and assessed else "grey"
    residual = str(result.overall_residual_harm_rag) if result and assessed else "grey"
    heat, bars = (
        (
            charts.heatmap(
                ref.determinants, ref.groups, data.answers, data.links_by_answer, data.scores
            ),
            charts.benefit_harm(ref.determinants, data.scores),
        )
        if assessed
        else (None, None)
    )
    return {
        "overall": overall,
        "overall_label": RAG_MEANINGS[overall],
        "residual": residual,
        "residual_label": RAG_MEANINGS[residual],
        "summary": _summary(result, assessed, dets, groups),
        "heatmap": heat,
        "benefit_chart": bars,
        "flags": [
            FlagLine(f.code, f.title, f.reason, ", ".join(f.answer_keys)) for f in result.flags
        ]
        if result and assessed
        else [],
        "top_benefits": _highlights(dets, "positive"),
        "top_harms": _highlights(dets, "negative"),
    }


def _record_sections(data: _StageData) -> dict:
    """What the review and community workflow recorded, and who took part."""
    assessment = data.assessment
    decisions = records.decisions(assessment)
    return {
        "full_hia": _full_hia(data.result if data.assessed else None, decisions),
        "decisions": decisions,
        "actions": records.actions(assessment),
        "comments": records.comments(assessment),
        "signoffs": records.signoffs(assessment),
        "participants": _participants(assessment, data.answers, data.sections.values()),
        "public_summary": records.public_summary(assessment),
    }


def _version_facts(data: _StageData) -> dict:
    """The rule set and question bank behind the scores, and how complete the answers are."""
    assessment, result = data.assessment, data.result
    return {
        "rule_set_version": (result.ruleset_version if result else "")
        or (assessment.rule_set.version if assessment.rule_set else ""),
        "question_bank_version": assessment.question_bank.version,
        "scored_at": assessment.scored_at,
        "completeness": _completeness(result),
        "generated_at": timezone.now(),
    }


def build_stage_report(
    assessment: StageAssessment,
    *,
    place: PlaceContext | None = None,
    ref: Reference | None = None,
    project: ProjectInfo | None = None,
) -> StageReport:
    """All data for one stage's report, one builder per section. Reads the stored score
    snapshot; never re-scores."""
    ref = ref or load_reference()
    data = _load_stage(assessment)
    assessment = data.assessment
    _, finalised = _status_dates(assessment)
    then = _project_when_signed_off(assessment, finalised)
    findings = _findings_sections(data, ref)
    status = AssessmentStatus(assessment.status)
    stage = assessment.stage
    return StageReport(
        project=project_info(then) if then else project or project_info(assessment.project),
        stage_name=stage.name,
        stage_code=stage.code,
        stage_order=stage.order,
        decision_gated=stage.decision_gated,
        anchor=data.anchor,
        status=status.value,
        status_label=status.label,
        is_final=status in FROZEN_STATUSES,
        assessed=data.assessed,
        started=assessment.created_at,
        updated=assessment.updated_at,
        finalised=finalised,
        place=place if place is not None else place_context(then or assessment.project),
        place_change=place_change_context(assessment),
        **findings,
        **_rating_sections(data, ref, findings["determinants"], findings["groups_affected"]),
        **_record_sections(data),
        **_version_facts(data),
    )


def stage_template_context(report: StageReport) -> dict:
    return {
        "s": report,
        "project": report.project,
        "is_final": report.is_final,
        "generated_at": report.generated_at,
        "attributions": attributions_for(report.place),
    }
