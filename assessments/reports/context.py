"""Everything a report shows, gathered in one place: every database read and every score lookup
for the PDF and HTML reports happens here, and templates only print the plain dataclasses built.

Sections owned by other parts of the product (who took part, review decisions, actions, community
comments, sign-offs, deprivation context) come from providers: functions registered with
`register(section)` that return a list of this module's dataclasses (or a PlaceContext for
"place"). With no provider registered a section falls back to what the assessment itself
records (answers, status history), or says plainly that nothing was recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import rules, scoring
from ..enums import AssessmentStatus, Role
from ..models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Determinant,
    LifecycleStage,
    Membership,
    PopulationGroup,
    StageAssessment,
)
from . import charts
from .data import (
    ActionItem,
    CommunityComment,
    Decision,
    DeterminantFindings,
    Finding,
    FlagLine,
    GroupLine,
    Highlight,
    MonitoringLine,
    Participant,
    PlaceContext,
    PlaceRow,
    ProjectInfo,
    ProjectReport,
    SignOff,
    StageOverview,
    StageReport,
)

FINAL_STATUSES = frozenset({AssessmentStatus.SIGNED_OFF, AssessmentStatus.SUPERSEDED})
RAG_WORDS = {
    "red": "Red – significant harm",
    "amber": "Amber – some harm to manage",
    "green": "Green – no harm above low",
    "grey": "Not yet assessed",
    "": "Not yet assessed",
}
BAND_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "negligible": "Negligible"}

# Providers build these; re-exported so a provider needs only this module.
__all__ = [
    "ActionItem", "CommunityComment", "Decision", "Participant", "PlaceContext", "PlaceRow", "SignOff",
    "PROVIDERS", "SECTIONS", "build_project_report", "build_stage_report", "project_template_context",
    "register", "stage_template_context",
]

# Section name -> provider functions. Stage sections take the assessment; "place" takes the project.
SECTIONS = ("participants", "decisions", "actions", "comments", "signoffs", "place")
PROVIDERS: dict[str, list[Callable]] = {name: [] for name in SECTIONS}


def register(section: str):
    """Decorator: `@register("actions") def actions_for(assessment) -> list[ActionItem]`.
    A "place" provider takes the project and returns a PlaceContext or None."""
    if section not in PROVIDERS:
        raise ValueError(f"Unknown report section {section!r}; expected one of {', '.join(SECTIONS)}")

    def decorate(func):
        if func not in PROVIDERS[section]:
            PROVIDERS[section].append(func)
        return func

    return decorate


def _provided(section: str, obj) -> list | None:
    """Items from registered providers, or None when nobody provides this section yet."""
    if not PROVIDERS[section]:
        return None
    items: list = []
    for provider in PROVIDERS[section]:
        items.extend(provider(obj) or [])
    return items


# ---------------------------------------------------------------- builders

def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


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
        project_manager=_name(project.project_manager) or "Not set",
        sro=_name(project.senior_responsible_officer) or "Not set",
    )


def _pct(value) -> str:
    if value is None:
        return "–"
    return f"{(Decimal(value) * 100).quantize(Decimal('1'))}%"


def _inputs(answer: Answer) -> list[tuple[str, str]]:
    if answer.direction not in ("positive", "negative"):
        return []
    pairs = [
        ("Likelihood", f"{answer.get_likelihood_display()} ({answer.likelihood})" if answer.likelihood else "–"),
        ("Severity", f"{answer.get_severity_display()} ({answer.severity})" if answer.severity is not None else "–"),
        ("Duration", answer.get_duration_display() or "–"),
        ("Reversible", "Yes" if answer.reversible else "No"),
        ("Reach", answer.get_reach_display() or "–"),
    ]
    if answer.direction == "positive":
        pairs.append(("Distribution", answer.get_distribution_display() or "–"))
    pairs.append(("Evidence", answer.get_evidence_strength_display() or "–"))
    if answer.residual_likelihood or answer.residual_severity is not None:
        pairs.append((
            "After mitigation",
            f"{answer.get_residual_likelihood_display() or '–'} likelihood, "
            f"{(answer.get_residual_severity_display() or '–').lower()} severity",
        ))
    return pairs


def _finding(answer: Answer, links: list[AnswerGroup], score: rules.AnswerScore | None) -> Finding:
    band = str(score.band) if score and score.scored and score.band else ""
    residual = str(score.effective_residual_band) if score and score.scored and score.band else ""
    return Finding(
        code=answer.question.code,
        question=answer.question.text,
        direction=answer.direction,
        direction_label=answer.get_direction_display() if answer.direction else "Not answered yet",
        answered=bool(answer.direction),
        inputs=_inputs(answer),
        groups=[f"{link.group.name}{' (disproportionately)' if link.disproportionate else ''}" for link in links],
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
    history = assessment.history.order_by("history_date", "history_id").select_related("history_user")
    for record in history.only("status", "history_date", "history_user"):
        if record.status != previous:
            changes.append((record.status, record.history_date, record.history_user))
            previous = record.status
    finalised = next((date for status, date, _ in reversed(changes) if status == AssessmentStatus.SIGNED_OFF), None)
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


def _fallback_signoffs(changes) -> list[SignOff]:
    labels = {AssessmentStatus.APPROVED: ("Public health reviewer", "Approved"),
              AssessmentStatus.SIGNED_OFF: ("Senior responsible officer", "Signed off")}
    return [
        SignOff(role=labels[status][0], name=_name(user) or "Not recorded", decision=labels[status][1], date=date)
        for status, date, user in changes
        if status in labels
    ]


def _fallback_participants(assessment: StageAssessment, answers: list[Answer], sections) -> list[Participant]:
    user_ids = {a.updated_by_id for a in answers if a.updated_by_id}
    user_ids |= {s.updated_by_id for s in sections if s.updated_by_id}
    if assessment.created_by_id:
        user_ids.add(assessment.created_by_id)
    if not user_ids:
        return []
    roles = defaultdict(list)
    for membership in Membership.objects.filter(user_id__in=user_ids, council_id=assessment.project.council_id):
        roles[membership.user_id].append(Role(membership.role).label)
    users = get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "first_name")
    return [
        Participant(name=_name(user), role=", ".join(roles[user.pk]) or "Contributor",
                    organisation=assessment.project.council.name)
        for user in users
    ]


def _fallback_actions(findings: list[DeterminantFindings]) -> list[ActionItem]:
    actions = []
    for det in findings:
        for f in det.findings:
            if f.mitigation.strip():
                actions.append(ActionItem(text=f.mitigation, owner=f.mitigation_owner or "Not assigned",
                                          status="Proposed in the assessment", kind="Mitigation",
                                          about=f"{f.code} ({det.name})"))
            if f.direction == "positive" and f.delivery_mechanism.strip():
                actions.append(ActionItem(text=f.delivery_mechanism, owner=f.mitigation_owner or "Not assigned",
                                          status="Proposed in the assessment", kind="Securing a benefit",
                                          about=f"{f.code} ({det.name})"))
    return actions


def _full_hia(result: rules.AssessmentResult | None, decisions: list[Decision]) -> str:
    recorded = [d for d in decisions if "hia" in d.title.lower()]
    if recorded:
        d = recorded[-1]
        return f"{d.outcome}. {d.reasons}".strip()
    if result is None:
        return "Not yet assessed, so no decision on a full health impact assessment has been made."
    flag = result.flag("F1")
    if flag:
        return (f"The scoring rules recommend a full health impact assessment: {flag.reason} "
                "No decision on it has been recorded yet.")
    return "The scoring rules do not recommend a full health impact assessment at this stage (flag F1 not raised)."


def _summary(result: rules.AssessmentResult | None, assessed: bool, dets: list[DeterminantFindings],
             groups: list[GroupLine]) -> list[str]:
    if not assessed or result is None:
        return ["This stage has not yet been assessed: no question has been answered, so there is no rating, "
                "no benefit or harm and no flag to report yet."]
    worst = next((d for d in dets if d.harm_rag == str(result.overall_harm_rag)), None)
    lines = [f"Overall harm rating: {RAG_WORDS[str(result.overall_harm_rag)]}."
             + (f" The worst area is {worst.name.lower()}: {worst.harm_reason}" if worst and worst.harm_reason else "")]
    lines.append(f"After the planned mitigation the rating is {RAG_WORDS[str(result.overall_residual_harm_rag)]}.")
    bs = result.benefit_summary
    benefit = f"The project is expected to bring {bs.high} high and {bs.medium} medium benefits"
    if bs.equity_share is not None:
        benefit += f"; {_pct(bs.equity_share)} of the benefit reaches groups facing the biggest barriers"
    lines.append(benefit + ".")
    if result.equity_index is not None:
        lines.append(f"{_pct(result.equity_index)} of the expected harm falls on priority groups"
                     + (" – more than half, so it needs particular attention."
                        if result.equity_index_highlight else "."))
    if groups:
        names = ", ".join(g.name.lower() for g in groups[:4])
        lines.append(f"The groups most affected are {names}{' and others' if len(groups) > 4 else ''}.")
    if result.flags:
        lines.append(f"{len(result.flags)} flag{'s' if len(result.flags) != 1 else ''} raised: "
                     + "; ".join(f"{f.code} {f.title.lower()}" for f in result.flags) + ".")
    else:
        lines.append("No flags were raised.")
    comp = result.completeness
    lines.append(f"{comp.answered} of {comp.applicable} applicable questions have been answered"
                 + (f"; {_pct(result.uncertain_share)} were answered “uncertain”." if result.uncertain_share else "."))
    return lines


def _completeness(result: rules.AssessmentResult | None) -> str:
    if result is None:
        return "Not scored"
    return f"{result.completeness.answered} of {result.completeness.applicable} applicable questions answered"


def _highlights(dets: list[DeterminantFindings], direction: str, limit: int = 5) -> list[Highlight]:
    """The strongest scored benefits or harms, biggest first."""
    found = [(abs(f.score.weighted), d, f) for d in dets for f in d.findings if f.score and f.direction == direction]
    found.sort(key=lambda item: item[0], reverse=True)
    return [
        Highlight(area=d.plain_name, text=f.pathway or f.question, band=BAND_WORDS.get(f.band, ""),
                  mitigation=f.mitigation, residual_band=BAND_WORDS.get(f.residual_band, ""))
        for _, d, f in found[:limit]
    ]


def _groups_affected(answers: list[Answer], links_by_answer, scores) -> list[GroupLine]:
    per_group: dict[int, dict] = {}
    for answer in answers:
        score = scores.get(answer.question.code)
        for link in links_by_answer.get(answer.pk, []):
            entry = per_group.setdefault(link.group_id, {"group": link.group, "dets": set(), "harms": 0,
                                                         "benefits": 0, "disp": False})
            entry["dets"].add(answer.question.determinant.code)
            entry["disp"] |= link.disproportionate
            if score and score.scored:
                entry["harms" if answer.direction == "negative" else "benefits"] += 1
    lines = [
        GroupLine(name=e["group"].name, category=e["group"].get_category_display(),
                  determinants=sorted(e["dets"]),
                  harms=e["harms"], benefits=e["benefits"], disproportionate=e["disp"])
        for e in sorted(per_group.values(), key=lambda e: (e["group"].order, e["group"].code))
    ]
    return sorted(lines, key=lambda g: (-(g.harms + g.benefits), not g.disproportionate))


@dataclass
class _Reference:
    determinants: list[Determinant]
    groups: list[PopulationGroup]


def _reference() -> _Reference:
    return _Reference(list(Determinant.objects.order_by("order", "code")),
                      list(PopulationGroup.objects.order_by("order", "code")))


def _determinant_findings(det: Determinant, rows: list[Answer], dr: rules.DeterminantResult | None,
                          section: AssessmentSection | None, scores, links_by_answer, stage_anchor: str
                          ) -> DeterminantFindings:
    harm = str(dr.harm_rag) if dr else "grey"
    residual = str(dr.residual_harm_rag) if dr else "grey"
    return DeterminantFindings(
        code=det.code, name=det.name, plain_name=det.plain_name or det.name, anchor=f"{stage_anchor}-{det.code}",
        harm_rag=harm, harm_label=RAG_WORDS[harm], harm_reason=dr.harm_rag_reason if dr else "",
        residual_rag=residual, residual_label=RAG_WORDS[residual],
        benefit=BAND_WORDS.get(str(dr.benefit_level), "None") if dr and dr.benefit_level else "None",
        equity_share=_pct(dr.equity_share) if dr and dr.equity_share is not None else "–",
        answered=sum(1 for a in rows if a.direction and a.direction != "not_applicable"),
        applicable=sum(1 for a in rows if a.direction != "not_applicable"),
        not_assessed_reason=section.not_assessed_reason if section else "",
        findings=[_finding(a, links_by_answer.get(a.pk, []), scores.get(a.question.code)) for a in rows],
    )


def build_stage_report(assessment: StageAssessment, *, place: PlaceContext | None = None,
                       ref: _Reference | None = None, project: ProjectInfo | None = None) -> StageReport:
    """All data for one stage's report. Reads the stored score snapshot; never re-scores."""
    from . import providers  # workflow adapters register themselves once their models exist

    providers.install()
    ref = ref or _reference()
    assessment = (StageAssessment.objects.select_related(
        "project__council", "project__current_stage", "project__project_manager",
        "project__senior_responsible_officer", "stage", "question_bank", "rule_set")
        .get(pk=assessment.pk))
    result = scoring.stored_result(assessment)
    scores = {s.key: s for s in result.answers} if result else {}
    det_results = {d.code: d for d in result.determinants} if result else {}
    answers = list(assessment.answers.select_related("question__determinant")
                   .order_by("question__determinant__order", "question__order"))
    links_by_answer = defaultdict(list)
    links = AnswerGroup.objects.filter(answer__assessment=assessment).select_related("group").order_by("group__order")
    for link in links:
        links_by_answer[link.answer_id].append(link)
    sections = {s.determinant_id: s for s in AssessmentSection.objects.filter(assessment=assessment)}
    by_det = defaultdict(list)
    for answer in answers:
        by_det[answer.question.determinant_id].append(answer)
    stage_anchor = f"s-{assessment.stage.code.lower()}"
    dets = [
        _determinant_findings(det, by_det.get(det.pk, []), det_results.get(det.code), sections.get(det.pk),
                              scores, links_by_answer, stage_anchor)
        for det in ref.determinants
    ]
    assessed = any(a.direction for a in answers)
    groups = _groups_affected(answers, links_by_answer, scores)
    considered = {g.name for g in groups}
    changes, finalised = _status_dates(assessment)
    decisions = _provided("decisions", assessment) or []
    provided_actions = _provided("actions", assessment)
    provided_signoffs = _provided("signoffs", assessment)
    provided_participants = _provided("participants", assessment)
    then = _project_when_signed_off(assessment, finalised)
    project_data = project_info(then) if then else project or project_info(assessment.project)
    if place is None:
        place = project_place(then or assessment.project)
    heat, bars = (charts.heatmap(ref.determinants, ref.groups, answers, links_by_answer, scores),
                  charts.benefit_harm(ref.determinants, scores)) if assessed else (None, None)
    status = AssessmentStatus(assessment.status)
    overall = str(result.overall_harm_rag) if result and assessed else "grey"
    residual = str(result.overall_residual_harm_rag) if result and assessed else "grey"
    return StageReport(
        project=project_data,
        stage_name=assessment.stage.name, stage_code=assessment.stage.code, stage_order=assessment.stage.order,
        decision_gated=assessment.stage.decision_gated, anchor=stage_anchor,
        status=status.value, status_label=status.label, is_final=status in FINAL_STATUSES, assessed=assessed,
        started=assessment.created_at, updated=assessment.updated_at, finalised=finalised,
        overall=overall, overall_label=RAG_WORDS[overall], residual=residual, residual_label=RAG_WORDS[residual],
        summary=_summary(result, assessed, dets, groups),
        determinants=dets, groups_affected=groups,
        groups_not_considered=[g.name for g in ref.groups if g.name not in considered],
        heatmap=heat, benefit_chart=bars,
        flags=[FlagLine(f.code, f.title, f.reason, ", ".join(f.answer_keys)) for f in result.flags]
        if result and assessed else [],
        full_hia=_full_hia(result if assessed else None, decisions),
        decisions=decisions,
        actions=provided_actions if provided_actions is not None else _fallback_actions(dets),
        monitoring=[MonitoringLine(f.indicator, f.baseline or "Not recorded", f"{f.code} ({d.name})")
                    for d in dets for f in d.findings if f.indicator.strip()],
        comments=_provided("comments", assessment) or [],
        signoffs=provided_signoffs if provided_signoffs is not None else _fallback_signoffs(changes),
        participants=provided_participants if provided_participants is not None
        else _fallback_participants(assessment, answers, sections.values()),
        place=place,
        rule_set_version=(result.ruleset_version if result else "")
        or (assessment.rule_set.version if assessment.rule_set else ""),
        question_bank_version=assessment.question_bank.version,
        scored_at=assessment.scored_at,
        completeness=_completeness(result),
        generated_at=timezone.now(),
        top_benefits=_highlights(dets, "positive"),
        top_harms=_highlights(dets, "negative"),
    )


def project_place(project: CapitalProject) -> PlaceContext | None:
    """Deprivation context from the first "place" provider that has any (providers return a
    PlaceContext or None, not a list)."""
    for provider in PROVIDERS["place"]:
        place = provider(project)
        if place is not None:
            return place
    return None


def attributions_for(place: PlaceContext | None) -> list[str]:
    return list(place.attributions) if place else []


def build_project_report(project: CapitalProject, *,
                         progress: Callable[[int, str], None] | None = None) -> ProjectReport:
    """Every live stage assessment of the project, in lifecycle order, plus stages not yet reached."""
    project = CapitalProject.objects.select_related(
        "council", "current_stage", "project_manager", "senior_responsible_officer").get(pk=project.pk)
    ref = _reference()
    info = project_info(project)
    place = project_place(project)
    live = {a.stage_id: a for a in project.assessments.exclude(status=AssessmentStatus.SUPERSEDED)}
    stages, overview = [], []
    all_stages = list(LifecycleStage.objects.order_by("order"))
    for index, stage in enumerate(all_stages):
        assessment = live.get(stage.pk)
        if assessment is None:
            overview.append(StageOverview(stage.name, "Not started", RAG_WORDS["grey"], "grey", "–", "–", None))
            continue
        if progress:
            progress(int(80 * index / len(all_stages)), f"Gathering the {stage.name} assessment")
        report = build_stage_report(assessment, place=place, ref=ref, project=info)
        stages.append(report)
        overview.append(StageOverview(stage.name, report.status_label, report.overall_label, report.overall,
                                      report.residual_label, report.completeness, report.anchor))
    return ProjectReport(
        project=info, stages=stages, overview=overview,
        is_final=bool(stages) and all(s.is_final for s in stages),
        place=place, generated_at=timezone.now(), attributions=attributions_for(place),
    )


def stage_template_context(report: StageReport) -> dict:
    return {
        "s": report, "project": report.project, "is_final": report.is_final,
        "generated_at": report.generated_at, "attributions": attributions_for(report.place),
    }


def project_template_context(report: ProjectReport) -> dict:
    return {
        "report": report, "project": report.project, "is_final": report.is_final,
        "generated_at": report.generated_at, "attributions": report.attributions,
    }
