"""The plain dataclasses reports are built from: what the section readers return (section items) and
what templates print (report data). No database access here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from assessments.place.catchment_map import MapRow
from assessments.scoring import schema

# ---------------------------------------------------------------- section items (read by records.py)


@dataclass
class Participant:
    name: str
    role: str
    organisation: str = ""
    community_member: bool = False


@dataclass
class Decision:
    title: str
    outcome: str
    reasons: str = ""
    by: str = ""
    date: datetime | None = None


@dataclass
class ActionItem:
    text: str
    owner: str = ""
    due: str = ""
    status: str = ""
    kind: str = "Mitigation"
    about: str = ""


@dataclass
class CommunityComment:
    author: str
    text: str
    about: str = ""
    date: datetime | None = None
    concern: bool = False
    hia_request: bool = False
    reply: str = ""
    reply_by: str = ""


@dataclass
class SignOff:
    role: str
    name: str
    decision: str
    date: datetime | None = None
    note: str = ""


@dataclass
class PlaceRow:
    data_zone: str
    name: str = ""
    rank: int | None = None
    decile: int | None = None
    quintile: int | None = None
    population: int | None = None


@dataclass
class PlaceShare:
    """One line of a deprivation table: what is counted, and its figures as printed."""

    label: str
    figures: list[str]


@dataclass
class PlaceContext:
    """The deprivation profile of the project's catchment, as the project page shows it."""

    summary: str
    rows: list[PlaceRow] = field(default_factory=list)
    attributions: list[str] = field(default_factory=list)
    located: bool = False
    notes: list[str] = field(default_factory=list)
    headline: list[PlaceShare] = field(default_factory=list)
    quintiles: list[PlaceShare] = field(default_factory=list)
    domains: list[PlaceShare] = field(default_factory=list)
    map: Chart | None = None
    # Every zone on the map (the catchment first), and the same map in everyday words with its
    # own rows (names, no codes) and headline, for the community summary.
    map_rows: list[MapRow] = field(default_factory=list)
    plain_map: Chart | None = None
    plain_headline: str = ""


# ---------------------------------------------------------------- report data


@dataclass
class ProjectInfo:
    title: str
    reference: str
    council: str
    project_type: str
    budget: Decimal
    city_deal: bool
    description: str
    postcodes: list[str]
    data_zones: list[str]
    current_stage: str
    project_manager: str
    sro: str


@dataclass
class Finding:
    """One answer, with the inputs that produced its score, so the number never stands alone."""

    code: str
    question: str
    direction: str
    direction_label: str
    answered: bool
    inputs: list[tuple[str, str]]
    groups: list[str]
    pathway: str
    evidence: str
    score: schema.AnswerScore | None
    band: str
    residual_band: str
    mitigation: str
    mitigation_owner: str
    delivery_mechanism: str
    indicator: str
    baseline: str
    notes: str


@dataclass
class DeterminantFindings:
    code: str
    name: str
    plain_name: str
    anchor: str
    harm_rag: str
    harm_label: str
    harm_reason: str
    residual_rag: str
    residual_label: str
    benefit: str
    equity_share: str
    answered: int
    applicable: int
    not_assessed_reason: str
    findings: list[Finding]


@dataclass
class GroupLine:
    name: str
    category: str
    determinants: list[str]
    harms: int
    benefits: int
    disproportionate: bool
    automatic: str = ""  # why the rules count this group where no answer named it, if they do


@dataclass
class Chart:
    svg_data_uri: str
    alt: str
    title: str
    text: str


@dataclass
class FlagLine:
    code: str
    title: str
    reason: str
    answers: str


@dataclass
class Highlight:
    """A benefit or harm in plain words, for summaries."""

    area: str
    text: str
    band: str
    mitigation: str = ""
    residual_band: str = ""


@dataclass
class MonitoringLine:
    indicator: str
    baseline: str
    about: str


@dataclass
class StageReport:
    project: ProjectInfo
    stage_name: str
    stage_code: str
    stage_order: int
    decision_gated: str
    anchor: str
    status: str
    status_label: str
    is_final: bool
    assessed: bool
    started: datetime | None
    updated: datetime | None
    finalised: datetime | None
    overall: str
    overall_label: str
    residual: str
    residual_label: str
    summary: list[str]
    determinants: list[DeterminantFindings]
    groups_affected: list[GroupLine]
    groups_not_considered: list[str]
    heatmap: Chart | None
    benefit_chart: Chart | None
    flags: list[FlagLine]
    full_hia: str
    decisions: list[Decision]
    actions: list[ActionItem]
    monitoring: list[MonitoringLine]
    comments: list[CommunityComment]
    signoffs: list[SignOff]
    participants: list[Participant]
    place: PlaceContext | None
    rule_set_version: str
    question_bank_version: str
    scored_at: datetime | None
    completeness: str
    generated_at: datetime
    top_benefits: list[Highlight] = field(default_factory=list)
    top_harms: list[Highlight] = field(default_factory=list)
    # closure: the project manager's plain-words summary for residents, in paragraphs, once a
    # public health reviewer has approved it (empty otherwise: a draft is never shown)
    public_summary: list[str] = field(default_factory=list)
    # Place before and after (assessments/reports/place_change_section.py); Any keeps this
    # module free of the place packages.
    place_change: Any = None


@dataclass
class StageOverview:
    stage_name: str
    status_label: str
    overall_label: str
    overall: str
    residual_label: str
    completeness: str
    anchor: str | None


@dataclass
class ProjectReport:
    project: ProjectInfo
    stages: list[StageReport]
    overview: list[StageOverview]
    is_final: bool
    place: PlaceContext | None
    generated_at: datetime
    attributions: list[str]
    # The assessment behind each of `stages`, in the same order (stored chapters are kept by it).
    assessment_ids: list[int] = field(default_factory=list)
    # The project's outcome indicators as measured today (reports.outcomes.OutcomeLine); they
    # belong to the project, not to a stage, so they sit in a part of their own, always live.
    outcomes: list = field(default_factory=list)
