"""Test factories: plain functions with obvious defaults; override anything by keyword.

Sections: people and projects; review teams (a council's people in every role); report
projects (realistic answers, fast status changes); place data (the vendored region or made-up
zones).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments.answering import editing
from assessments.enums import AssessmentStatus, Role
from assessments.models import (
    Answer,
    AnswerGroup,
    CapitalProject,
    Council,
    DataZone,
    DataZoneNeighbour,
    IntermediateZone,
    LifecycleStage,
    Membership,
    PlaceDataVersion,
    PopulationGroup,
    Postcode,
    StageAssessment,
    StatusChange,
)
from assessments.place.loading import load_place_data
from assessments.projects import latest
from assessments.scoring import snapshots as scoring

_counter = itertools.count(1)


def make_user(
    username: str | None = None,
    *,
    council: Council | None = None,
    role: Role | None = None,
    **fields,
):
    """A user, with a membership when `role` is given. A username like "pm.a" gives the display
    name "Pm Tester"; without one the user is "Test User <n>"."""
    n = next(_counter)
    if username is None:
        defaults = {
            "username": f"user{n}",
            "first_name": "Test",
            "last_name": f"User {n}",
            "email": f"user{n}@example.org",
        }
    else:
        defaults = {
            "username": username,
            "first_name": username.split(".")[0].capitalize(),
            "last_name": "Tester",
            "email": f"{username}@example.org",
        }
    user = get_user_model().objects.create_user(
        **{**defaults, **fields}, password="a-long-test-password-1"
    )
    if role is not None:
        Membership.objects.create(user=user, council=council, role=role)
    return user


def make_project(*, council: Council, stage_code: str = "SBC", **fields) -> CapitalProject:
    n = next(_counter)
    defaults = {
        "title": f"Test project {n}",
        "reference": f"TP-{n:04d}",
        "description": "A capital project used in tests.",
        "project_type": "regeneration",
        "budget": Decimal("2500000"),
        "current_stage": LifecycleStage.objects.get(code=stage_code),
    }
    return CapitalProject.objects.create(council=council, **{**defaults, **fields})


def make_assessment(
    *,
    project: CapitalProject | None = None,
    council: Council | None = None,
    by=None,
    **project_fields,
):
    if project is None:
        project = make_project(
            council=council or Council.objects.get(code="S12000049"), **project_fields
        )
    return editing.start_assessment(project, project.current_stage, by=by)


def answer_payload(prefix: str, **values) -> dict:
    """Form data for one AnswerForm, with the prefix the section view uses."""
    data = {}
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            data[f"{prefix}-{name}"] = list(value)
        else:
            data[f"{prefix}-{name}"] = "" if value is None else str(value)
    return data


def make_harms_one_third_on_priority_groups(council):
    """Three equal harms, one of which affects people on low income: the equity index is 1/3."""
    assessment = make_assessment(council=council, title="Depot harming priority groups")
    low_income = PopulationGroup.objects.get(code="SE_LOW_INCOME")
    for determinant in ("D01", "D09", "D10"):
        answer = Answer.objects.filter(
            assessment=assessment, question__determinant__code=determinant
        ).order_by("question__order")[0]
        answer.direction, answer.likelihood, answer.severity = "negative", 2, 2
        answer.reach = "household"
        answer.save()
        if determinant == "D01":
            AnswerGroup.objects.create(answer=answer, group=low_income)
    scoring.refresh_snapshot(assessment)
    return assessment


def start(project: CapitalProject, stage: str | None = None, *, by=None) -> StageAssessment:
    """Start the assessment of `stage` (a stage code; the project's current stage by default)."""
    stage_row = LifecycleStage.objects.get(code=stage) if stage else project.current_stage
    return editing.start_assessment(project, stage_row, by=by)


# Review teams: one council's people in every role, and a second council's.


class Team:
    """One council's people (and a second council's, for cross-council checks)."""

    def __init__(self):
        self.council = Council.objects.get(code="S12000049")
        self.other_council = Council.objects.get(code="S12000029")
        for key, role in [
            ("pm", Role.PROJECT_MANAGER),
            ("contributor", Role.CONTRIBUTOR),
            ("reviewer", Role.REVIEWER),
            ("reviewer2", Role.REVIEWER),
            ("sro", Role.SRO),
            ("panel", Role.PANEL_MEMBER),
            ("admin", Role.COUNCIL_ADMIN),
        ]:
            setattr(self, key, make_user(f"{key}.a", council=self.council, role=role))
        for key, role in [
            ("other_pm", Role.PROJECT_MANAGER),
            ("other_reviewer", Role.REVIEWER),
            ("other_sro", Role.SRO),
            ("other_panel", Role.PANEL_MEMBER),
            ("other_admin", Role.COUNCIL_ADMIN),
            ("other_contributor", Role.CONTRIBUTOR),
        ]:
            setattr(
                self,
                key,
                make_user(f"{key.replace('_', '')}.b", council=self.other_council, role=role),
            )
        self.pmo = make_user("pmo.x", role=Role.PMO_VIEWER)
        self.sysadmin = make_user("sysadmin.x", is_staff=True, is_superuser=True)


def make_team_project(
    team: Team, *, stage="SBC", budget="1000000", reference="T-001", **extra
) -> CapitalProject:
    return CapitalProject.objects.create(
        council=team.council,
        title="Test riverside housing",
        reference=reference,
        description="Two hundred homes by the river.",
        project_type="housing",
        budget=Decimal(budget),
        postcodes=["G40 1AT"],
        current_stage=LifecycleStage.objects.get(code=stage),
        project_manager=team.pm,
        senior_responsible_officer=team.sro,
        created_by=team.pm,
        **extra,
    )


def answer_everything(assessment, *, direction="no_impact") -> None:
    """Answer every question plainly (test set-up only; real saves go through editing.save_section)."""
    assessment.answers.update(direction=direction)
    scoring.refresh_snapshot(assessment)


def add_harm(assessment, code_prefix="D05", *, likelihood=4, severity=2, mitigation="", owner=""):
    """Turn the first question of a determinant into a scored harm on a priority group."""
    answer = (
        assessment.answers.filter(question__determinant__code=code_prefix)
        .order_by("question__order")
        .first()
    )
    answer.direction, answer.likelihood, answer.severity = "negative", likelihood, severity
    answer.duration, answer.reach, answer.evidence_strength = "long", "locality", "moderate"
    answer.pathway, answer.mitigation, answer.mitigation_owner = (
        "Dust and noise next to homes.",
        mitigation,
        owner,
    )
    answer.save()
    AnswerGroup.objects.create(
        answer=answer, group=PopulationGroup.objects.get(code="SE_AREA_DEP"), disproportionate=True
    )
    scoring.refresh_snapshot(assessment)
    return answer


def ready_to_submit(team, **kwargs) -> StageAssessment:
    assessment = start(make_team_project(team, **kwargs), by=team.pm)
    answer_everything(assessment)
    return assessment


def force_status(assessment, status) -> StageAssessment:
    """Test set-up only: put an assessment straight into a status (the product uses workflow.py)."""
    StageAssessment.objects.filter(pk=assessment.pk).update(status=status)
    latest.refresh(assessment.project_id)  # an update() sends no signal to keep it marked
    assessment.refresh_from_db()
    return assessment


# Report projects: realistic answers and fast status changes.

PROJECT_TITLE = "Govan riverside housing and active travel scheme"


def make_report_project(
    *,
    council: Council | None = None,
    reference: str = "GCC-TEST-001",
    title: str = PROJECT_TITLE,
    stage: str = "STRATEGIC",
    pm=None,
    **overrides,
) -> CapitalProject:
    council = council or Council.objects.get(code="S12000049")
    return CapitalProject.objects.create(
        council=council,
        reference=reference,
        title=title,
        description=overrides.pop(
            "description", "New homes, a riverside path and a cycle bridge in Govan."
        ),
        project_type=overrides.pop("project_type", "regeneration"),
        budget=overrides.pop("budget", Decimal("42000000")),
        city_deal=overrides.pop("city_deal", True),
        postcodes=["G51 3XX"],
        data_zones=["S01010212"],
        current_stage=LifecycleStage.objects.get(code=stage),
        project_manager=pm,
        senior_responsible_officer=pm,
        created_by=pm,
        **overrides,
    )


# Cycled through the answers so a complete assessment has a realistic mix of everything.
_PATTERNS = [
    dict(
        direction="negative",
        likelihood=3,
        severity=2,
        duration="long",
        reach="locality",
        reversible=True,
        evidence_strength="moderate",
        pathway="Construction traffic and dust along the school route for two years.",
        mitigation="Construction logistics plan with school-hours delivery ban",
        mitigation_owner="Contracts manager",
        residual_likelihood=2,
        residual_severity=1,
        evidence_notes="Air quality monitoring at two nearby sites.",
    ),
    dict(
        direction="positive",
        likelihood=4,
        severity=2,
        duration="long",
        reach="locality",
        distribution="priority",
        evidence_strength="strong",
        pathway="Warm, affordable homes let to households on the housing list.",
        delivery_mechanism="Nomination agreement with the housing association",
        monitoring_indicator="Households in fuel poverty",
        indicator_baseline="34% (2024 survey)",
    ),
    dict(direction="no_impact", pathway=""),
    dict(
        direction="negative",
        likelihood=2,
        severity=1,
        duration="short",
        reach="neighbourhood",
        evidence_strength="weak",
        pathway="Temporary loss of a footpath used by older residents.",
        mitigation="Step-free signed diversion",
        mitigation_owner="Site manager",
    ),
    dict(direction="uncertain", pathway="Not yet known whether local firms will win the work."),
    dict(
        direction="positive",
        likelihood=3,
        severity=1,
        duration="medium",
        reach="region",
        distribution="even",
        evidence_strength="moderate",
        pathway="Better cycle links to the hospital and the college.",
    ),
    dict(direction="not_applicable"),
    dict(
        direction="negative",
        likelihood=4,
        severity=3,
        duration="long",
        reach="locality",
        reversible=False,
        evidence_strength="strong",
        pathway="Loss of the community garden that many families use.",
        mitigation="Replacement garden on the riverside before demolition",
        mitigation_owner="Regeneration lead",
        residual_likelihood=2,
        residual_severity=1,
        monitoring_indicator="Garden users per week",
        indicator_baseline="120",
    ),
]
_GROUP_SETS = [
    [("SE_AREA_DEP", True), ("PC_AGE_CHILD", True)],
    [("SE_LOW_INCOME", True), ("PC_DISABILITY", False)],
    [],
    [("PC_AGE_OLDER", True)],
    [("RB_BUSINESSES", False)],
    [("RB_OCCUPANTS_USERS", False), ("OG_CARERS", False)],
    [],
    [("PC_AGE_CHILD", True), ("OG_LONE_PARENT", True), ("SE_AREA_DEP", False)],
]


def fill_answers(
    assessment: StageAssessment, *, by=None, overrides: dict | None = None, limit: int | None = None
) -> StageAssessment:
    """Answer every question of the assessment (or the first `limit`), then re-score it."""
    groups = {g.code: g for g in PopulationGroup.objects.all()}
    answers = list(assessment.answers.select_related("question").order_by("question__code"))[:limit]
    for answer, pattern, group_set in zip(
        answers, itertools.cycle(_PATTERNS), itertools.cycle(_GROUP_SETS)
    ):
        for name, value in {**pattern, **(overrides or {})}.items():
            setattr(answer, name, value)
        answer.updated_by = by
        answer.save()
        if answer.direction in ("positive", "negative", "uncertain"):
            AnswerGroup.objects.bulk_create(
                AnswerGroup(answer=answer, group=groups[code], disproportionate=disp)
                for code, disp in group_set
            )
    scoring.refresh_snapshot(assessment)
    return assessment


STATUS_EVENTS = {AssessmentStatus.APPROVED: "approve", AssessmentStatus.SIGNED_OFF: "sign_off"}


def set_status(assessment: StageAssessment, status: str, *, by=None) -> StageAssessment:
    """Move a report fixture straight to a status, with the status-change record the workflow
    would write (reports only read that record; the workflow's own rules are tested elsewhere)."""
    StatusChange.objects.create(
        assessment=assessment,
        event=STATUS_EVENTS.get(status, status),
        from_status=assessment.status,
        to_status=status,
        by=by,
    )
    assessment.status = status
    assessment.save()
    return assessment


def sign_off(assessment: StageAssessment) -> StageAssessment:
    set_status(assessment, AssessmentStatus.APPROVED)
    return set_status(assessment, AssessmentStatus.SIGNED_OFF)


def seven_stage_project(*, by=None, sign_off_before_last: bool = True) -> CapitalProject:
    """A project with all seven stages assessed and fully answered (for the benchmark)."""
    project = make_report_project(reference="GCC-BENCH-7", stage="EVALUATION", pm=by)
    stages = list(LifecycleStage.objects.order_by("order"))
    for index, stage in enumerate(stages):
        assessment = start(project, stage.code, by=by)
        fill_answers(assessment, by=by)
        if sign_off_before_last and index < len(stages) - 1:
            sign_off(assessment)
    return project


# Place data: the real vendored files, loaded on demand and removed after use.


def loaded_place_data():
    if not DataZone.objects.exists():
        load_place_data()


def unload_place_data():
    Postcode.objects.all().delete()
    DataZoneNeighbour.objects.all().delete()
    DataZone.objects.all().delete()
    IntermediateZone.objects.all().delete()
    PlaceDataVersion.objects.all().delete()


def make_zone(code: str, *, quintile: int, population: int) -> DataZone:
    """One made-up data zone in SIMD `quintile` with `population` residents: enough for the
    deprivation profile and the deprived-area share without loading the whole region."""
    area, _ = IntermediateZone.objects.get_or_create(
        code="S02999999", defaults={"name": "Test intermediate zone", "council_code": "S12000049"}
    )
    rank = {1: 100, 2: 2000, 3: 3500, 4: 5000, 5: 6500}[quintile]
    ranks = {
        f"{domain}_rank": rank
        for domain in ("income", "employment", "health", "education", "access", "crime", "housing")
    }
    return DataZone.objects.create(
        code=code,
        name=f"Test zone {code}",
        intermediate_zone=area,
        council_code="S12000049",
        population=population,
        working_age_population=population // 2,
        simd_rank=rank,
        decile=quintile * 2 - 1,
        quintile=quintile,
        most_deprived_15pc=quintile == 1,
        urban_rural=1,
        centroid_lat=55.85,
        centroid_lon=-4.2,
        **ranks,
    )


def catchment_62_percent_in_quintile_1() -> list[str]:
    """Two test zones: 620 of their 1,000 residents live in SIMD quintile 1."""
    make_zone("S01999991", quintile=1, population=620)
    make_zone("S01999992", quintile=3, population=380)
    return ["S01999991", "S01999992"]


# Review: a stage in review with many no-impact answers, a few harms and one benefit.


def add_benefit(assessment, code_prefix="D03", *, likelihood=4, severity=3):
    """Turn the first question of a determinant into a scored benefit that skews to priority groups."""
    answer = (
        assessment.answers.filter(question__determinant__code=code_prefix)
        .order_by("question__order")
        .first()
    )
    answer.direction, answer.likelihood, answer.severity = "positive", likelihood, severity
    answer.duration, answer.reach, answer.evidence_strength = "long", "region", "strong"
    answer.distribution, answer.pathway = "priority", "New play park open to all."
    answer.evidence_notes = "Council play strategy 2024"
    answer.delivery_mechanism = "Planning condition"
    answer.save()
    scoring.refresh_snapshot(assessment)
    return answer


def stage_in_review(team, *, harms=("D01", "D02", "D05", "D07")) -> StageAssessment:
    """A stage submitted and in review: one harm per determinant in `harms` (each mitigated), one
    benefit, every other answer no impact."""
    from assessments.review import workflow

    assessment = ready_to_submit(team)
    for code in harms:
        add_harm(assessment, code, mitigation="Hoardings and quiet hours.", owner="Contractor")
    add_benefit(assessment)
    workflow.submit(assessment, team.pm)
    workflow.start_review(assessment, team.reviewer)
    return assessment


# Privacy: consultation comments, stored emails and sign-in records, dated in the past.


def make_panel_comment(assessment, author, text: str, *, closed_days_ago: int | None = None):
    """A comment in a consultation window of the stage, closed that many days ago (or still open)."""
    from django.utils import timezone

    from assessments.models import CommunityComment, ConsultationWindow

    now = timezone.now()
    window = ConsultationWindow.objects.create(
        assessment=assessment,
        opened_by=assessment.project.project_manager,
        opened_at=now - datetime.timedelta(days=(closed_days_ago or 0) + 30),
        closed_at=None
        if closed_days_ago is None
        else now - datetime.timedelta(days=closed_days_ago),
    )
    return CommunityComment.objects.create(
        assessment=assessment, window=window, text=text, author=author
    )


def make_email_task(to: str, subject: str, body: str, *, days_ago: int = 0, status="SUCCESSFUL"):
    """A stored email task as the database queue keeps it after delivery."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    finished = timezone.now() - datetime.timedelta(days=days_ago)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [subject, body, to], "kwargs": {}},
        task_path="assessments.review.notifications.deliver_email",
        backend_name="default",
        run_after=finished,
        finished_at=finished,
    )


def make_sign_ins(username: str, *, days_ago: int = 0, address: str = "192.0.2.10") -> None:
    """One successful sign-in, one failure log and one counted attempt, that many days ago."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    at = timezone.now() - datetime.timedelta(days=days_ago)
    common = {
        "username": username,
        "ip_address": address,
        "user_agent": "Firefox",
        "path_info": "/",
    }
    rows = [
        AccessLog.objects.create(**common, http_accept="*/*"),
        AccessFailureLog.objects.create(**common, http_accept="*/*"),
        AccessAttempt.objects.create(
            **common, http_accept="*/*", get_data="", post_data="", failures_since_start=1
        ),
    ]
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(attempt_time=at)


# estate: personal API tokens.


def make_api_token(user, *, name: str = "Power BI", lifetime_days: int = 90) -> str:
    """A live token for `user`; returns the text to send as `Authorization: Bearer <text>`."""
    from assessments.api import tokens

    return tokens.issue(user, name=name, lifetime_days=lifetime_days).plaintext


# ---------------------------------------------------------------- methodology: rule sets, question banks


# Learning from use: methodology owners, remarks on questions and library entries.


def make_methodology_owner(username: str = "method.owner"):
    return make_user(username, role=Role.METHODOLOGY_OWNER)


def add_small_harm(assessment, code_prefix="D05", *, group="SE_MATERIAL_DEP"):
    """A harm on one priority group that scores 4.5 under rule set v1 (speculative x magnitude 3
    x 1.5): Low, so its determinant is green; a one-group multiplier of 1.8 and Medium from 5
    make it Medium (5.4), and the determinant amber."""
    answer = (
        assessment.answers.filter(question__determinant__code=code_prefix)
        .order_by("question__order")
        .first()
    )
    answer.direction, answer.likelihood, answer.severity = "negative", 1, 1
    answer.duration, answer.reach, answer.evidence_strength = "long", "locality", "moderate"
    answer.pathway = "Construction traffic past a food bank."
    answer.save()
    AnswerGroup.objects.create(
        answer=answer, group=PopulationGroup.objects.get(code=group), disproportionate=True
    )
    scoring.refresh_snapshot(assessment)
    return answer


def ruleset_form_data(rule_set, **changes) -> dict:
    """POST data for a rule set's form: every field as it is, then `changes` (field names)."""
    from assessments.rulesets.drafting import stamp
    from assessments.rulesets.forms import RuleSetForm

    form = RuleSetForm(parameters=rule_set.parameters)
    data: dict = {"notes": rule_set.notes, "seen": stamp(rule_set)}
    for name in form.fields:
        if name in ("notes", "seen"):
            continue
        value = form.initial.get(name)
        data[name] = [] if value is None else value
    data.update(changes)
    return {k: v for k, v in data.items() if v != []}


def make_bank_version(
    owner,
    *,
    reword: dict[str, str] | None = None,
    add: list[tuple[str, str, str]] = (),
    publish=True,
):
    """A new question bank version drafted by `owner` from the newest published one: `reword`
    maps codes to new wording (meaning kept), `add` lists (determinant code, stage group, text)
    new questions. Published unless publish=False."""
    from assessments.models import Determinant
    from assessments.questionbank import drafting

    draft = drafting.start_draft(owner)
    for code, text in (reword or {}).items():
        question = draft.questions.get(code=code)
        values = {name: getattr(question, name) for name in drafting.EDITABLE_FIELDS}
        drafting.edit_question(question, {**values, "text": text}, meaning_changed=False, by=owner)
    for determinant, group, text in add:
        drafting.add_question(
            draft,
            {
                "determinant": Determinant.objects.get(code=determinant),
                "stage_group": group,
                "text": text,
                "guidance": "Guidance for the new question.",
                "duties": ["HIA"],
                "required": True,
                "hidden_stages": [],
            },
            by=owner,
        )
    if publish:
        drafting.publish(draft, notes="Test version.", by=owner)
    draft.refresh_from_db()
    return draft


# ---------------------------------------------------------------- outcomes monitoring (indicators)


def make_indicator(project: CapitalProject, **fields):
    """An indicator on the share of construction jobs filled by residents of the most deprived
    zones: 10% at the start of 2024, 30% by the start of 2028, measured quarterly."""
    from assessments.models import Determinant, Indicator

    defaults = {
        "determinant": Determinant.objects.get(code="D01"),
        "name": "Construction jobs filled by residents of SIMD quintile 1 zones",
        "definition": "Share of the contractor's site jobs held by people living in the "
        "catchment's SIMD quintile 1 data zones, on the last day of the quarter.",
        "unit": "percent",
        "good_direction": "higher",
        "data_source": "Contractor's quarterly community benefit returns",
        "population": "Residents of the catchment's SIMD quintile 1 data zones",
        "baseline_value": Decimal("10"),
        "baseline_date": datetime.date(2024, 1, 1),
        "target_value": Decimal("30"),
        "target_date": datetime.date(2028, 1, 1),
        "frequency": "quarterly",
    }
    return Indicator.objects.create(project=project, **{**defaults, **fields})


def make_measurement(indicator, measured_on: datetime.date, value, **fields):
    from assessments.models import Measurement

    return Measurement.objects.create(
        indicator=indicator, measured_on=measured_on, value=Decimal(str(value)), **fields
    )


def make_library_entry(
    council: Council,
    mitigation: str,
    *,
    determinant: str = "D05",
    signed_off: bool = True,
    residual: tuple[int, int] | None = (2, 1),
    **project_fields,
) -> Answer:
    """A harm with a recorded mitigation, in a project of `council` whose stage is signed off
    (so the mitigation is in the shared library), re-rated after mitigation as `residual`."""
    assessment = make_assessment(council=council, **project_fields)
    answer = add_harm(assessment, determinant, mitigation=mitigation, owner="Site manager")
    if residual:
        answer.residual_likelihood, answer.residual_severity = residual
        answer.save()
    if signed_off:
        sign_off(assessment)
    return answer


# Place before and after: a stage's Place Standard ratings.


def make_place_standard(assessment, *, community=4, officers=5, held_on="2025-06-01", by=None):
    """Every theme rated `community` by the community and `officers` by officers (a list of 14
    gives each theme its own; None leaves a theme unrated)."""
    import datetime

    from assessments.models import PlaceStandardAssessment, PlaceStandardRating, PlaceStandardTheme

    themes = list(PlaceStandardTheme.objects.order_by("order"))
    record = PlaceStandardAssessment.objects.create(
        assessment=assessment,
        held_on=datetime.date.fromisoformat(held_on),
        community_respondents=20,
        officer_respondents=5,
        updated_by=by,
    )
    for group, scores in (("community", community), ("officers", officers)):
        scores = scores if isinstance(scores, list) else [scores] * len(themes)
        PlaceStandardRating.objects.bulk_create(
            PlaceStandardRating(place_standard=record, theme=t, group=group, score=s)
            for t, s in zip(themes, scores, strict=True)
            if s is not None
        )
    return record
