"""What the scoring rules read and write: the answer inputs, the versioned rule set (parsed
and checked from its JSON) and the results with their plain-JSON form.

Kept apart from rules.py so that module is the formulas and nothing else. Like rules.py this is
standard library only (tests/test_architecture.py enforces both); rules.py re-exports every name
here, so callers keep writing `rules.RuleSet`, `rules.AnswerInput` and so on.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Direction(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NO_IMPACT = "no_impact"
    UNCERTAIN = "uncertain"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = ""


class Band(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NEGLIGIBLE = "negligible"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"


class ScoringError(ValueError):
    """Invalid rule set or answer values."""


STAGES = ("STRATEGIC", "SBC", "OBC", "FBC", "DELIVERY", "OPERATION", "EVALUATION")
LIKELIHOOD_LABELS = {1: "speculative", 2: "possible", 3: "probable", 4: "definite"}
SEVERITY_LABELS = {0: "negligible", 1: "minor", 2: "moderate", 3: "major"}
DURATIONS = ("short", "medium", "long")
REACHES = ("household", "neighbourhood", "locality", "region")
DISTRIBUTIONS = ("priority", "even", "advantaged")
EVIDENCE_LEVELS = ("strong", "moderate", "weak", "none")
NEGATIVE_MULTIPLIER_KEYS = ("default", "one_priority", "intersecting", "worst_off")
MEASUREMENT_FREQUENCIES = ("monthly", "quarterly", "six_monthly", "annual")


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class GroupEffect:
    code: str
    disproportionate: bool = False


@dataclass(frozen=True)
class AnswerInput:
    key: str
    determinant: str
    direction: Direction
    likelihood: int | None = None
    severity: int | None = None
    duration: str | None = None
    reversible: bool = True
    reach: str | None = None
    groups: tuple[GroupEffect, ...] = ()
    distribution: str | None = None
    evidence: str | None = None
    covered_by: tuple[str, ...] = ()
    has_mitigation: bool = False
    has_delivery_mechanism: bool = False
    has_indicator: bool = False
    residual_likelihood: int | None = None
    residual_severity: int | None = None
    visible: bool = True


@dataclass(frozen=True)
class AssessmentContext:
    stage_code: str
    stage_order: int
    decision_open: bool = True
    deprived_area_share: Decimal | None = None
    completed_assessments: frozenset[str] = frozenset()
    linked_assessments: frozenset[str] = frozenset()
    panel_requested_hia: bool = False
    panel_significant_concern: bool = False
    material_change: str = ""
    overdue_actions: tuple[tuple[str, str], ...] = ()
    # (indicator name, date its measurement was due) for each overdue outcome indicator (F9).
    overdue_indicators: tuple[tuple[str, str], ...] = ()


# ---------------------------------------------------------------- rule set

# Parameter name -> kind. Kinds drive parsing, validation and serialisation alike.
_PARAMS: dict[str, str] = {
    "band_high": "dec",
    "band_medium": "dec",
    "band_low": "dec",
    "magnitude_cap": "int",
    "reach_points": "int_map",
    "duration_points": "int_map",
    "irreversible_points": "int",
    "negative_multipliers": "dec_map",
    "intersecting_min_groups": "int",
    "positive_multipliers": "dec_map",
    "override_min_severity": "int",
    "override_min_likelihood": "int",
    "priority_prefixes": "strs",
    "priority_characteristics": "codes_map",
    "worst_off": "codes_map",
    "place_based_determinants": "strs",
    "deprived_area_code": "str",
    "deprived_area_share_threshold": "dec",
    "evidence_gap_levels": "strs",
    "red_min_priority_mediums": "int",
    "f1_max_stage_order": "int",
    "f1_min_medium_count": "int",
    "f1_min_determinants": "int",
    "f1_uncertain_share": "dec",
    "f2_min_abs_w": "dec",
    "f2_min_abs_w_priority": "dec",
    "f4_min_significance": "int",
    "f6_min_stage_order": "int",
    "gate_residual_min_stage_order": "int",
    "equity_index_highlight": "dec",
    "rescreen_budget_change": "dec",
}
_MAP_KEYS = {
    "reach_points": REACHES,
    "duration_points": DURATIONS,
    "negative_multipliers": NEGATIVE_MULTIPLIER_KEYS,
    "positive_multipliers": DISTRIBUTIONS,
}


# The optional `monitoring` section: name -> kind, parsed like the scoring parameters.
_MONITORING_PARAMS: dict[str, str] = {
    "frequency_days": "int_map",
    "grace_days": "int",
    "reminder_days_before": "int",
    "on_track_tolerance": "dec",
    "outlier_change_share": "dec",
    "max_years_before_baseline": "int",
    "flag_stages": "strs",
    "flag_min_overdue": "int",
}
_MAP_KEYS["frequency_days"] = MEASUREMENT_FREQUENCIES


@dataclass(frozen=True)
class MonitoringRules:
    """How outcome indicators are judged (assessments/scoring/monitoring.py reads these).

    frequency_days: days between measurements for each frequency; grace_days: days past the
    due date before a missing measurement counts as overdue; reminder_days_before: how early
    the owner is reminded; on_track_tolerance: how far (as a share of the planned change from
    baseline to target) the latest value may trail the straight line from baseline to target
    and still be on track; outlier_change_share: a new value that moves further than this share
    of the larger of the planned change and the previous value is asked to be confirmed;
    max_years_before_baseline: the earliest a measurement may be dated; flag_stages and
    flag_min_overdue: at which stages, and from how many overdue indicators, the overdue
    monitoring flag is raised."""

    frequency_days: Mapping[str, int]
    grace_days: int
    reminder_days_before: int
    on_track_tolerance: Decimal
    outlier_change_share: Decimal
    max_years_before_baseline: int
    flag_stages: tuple[str, ...]
    flag_min_overdue: int

    @classmethod
    def from_mapping(cls, data: Any) -> "MonitoringRules":
        if not isinstance(data, Mapping):
            raise ScoringError("rule set parameter 'monitoring': expected a mapping")
        missing = sorted(set(_MONITORING_PARAMS) - set(data))
        unknown = sorted(set(data) - set(_MONITORING_PARAMS))
        if missing or unknown:
            raise ScoringError(f"rule set monitoring: missing {missing}, unknown {unknown}")
        rules = cls(**{n: _parse(n, kind, data[n]) for n, kind in _MONITORING_PARAMS.items()})
        errors = [message for _, message in rules.problems()]
        if errors:
            raise ScoringError("rule set monitoring: " + "; ".join(errors))
        return rules

    def problems(self) -> list[tuple[str, str]]:
        """(parameter, message) for each rule across the section's values that is broken."""
        checks = [
            ("frequency_days", min(self.frequency_days.values(), default=1) < 1, "frequency_days must be >= 1"),
            ("on_track_tolerance", self.on_track_tolerance > 1, "on_track_tolerance must be 0-1"),
            ("outlier_change_share", self.outlier_change_share <= 0, "outlier_change_share must be above 0"),
            ("max_years_before_baseline", self.max_years_before_baseline < 1, "max_years_before_baseline must be >= 1"),
            ("flag_stages", not set(self.flag_stages) <= set(STAGES), "flag_stages must be stage codes"),
            ("flag_min_overdue", self.flag_min_overdue < 1, "flag_min_overdue must be at least 1"),
        ]  # fmt: skip
        return [(name, message) for name, failed, message in checks if failed]

    def to_mapping(self) -> dict[str, Any]:
        return {name: _dump(getattr(self, name)) for name in _MONITORING_PARAMS}


@dataclass(frozen=True)
class RuleSet:
    """One published version of every scoring parameter (see fixtures/ruleset_v1.json)."""

    version: str
    band_high: Decimal
    band_medium: Decimal
    band_low: Decimal
    magnitude_cap: int
    reach_points: Mapping[str, int]
    duration_points: Mapping[str, int]
    irreversible_points: int
    negative_multipliers: Mapping[str, Decimal]
    intersecting_min_groups: int
    positive_multipliers: Mapping[str, Decimal]
    override_min_severity: int
    override_min_likelihood: int
    priority_prefixes: tuple[str, ...]
    priority_characteristics: Mapping[str, tuple[str, ...]]
    worst_off: Mapping[str, tuple[str, ...]]
    place_based_determinants: tuple[str, ...]
    deprived_area_code: str
    deprived_area_share_threshold: Decimal
    evidence_gap_levels: tuple[str, ...]
    red_min_priority_mediums: int
    f1_max_stage_order: int
    f1_min_medium_count: int
    f1_min_determinants: int
    f1_uncertain_share: Decimal
    f2_min_abs_w: Decimal
    f2_min_abs_w_priority: Decimal
    f4_min_significance: int
    f6_min_stage_order: int
    gate_residual_min_stage_order: int
    equity_index_highlight: Decimal
    rescreen_budget_change: Decimal
    # Optional section (rule sets from v2 on): how outcome indicators are judged. Rule sets
    # published before it existed have none; monitoring then uses the newest rule set that has
    # one (monitoring.queries.monitoring_rules), since that judges today, not a stored score.
    monitoring: MonitoringRules | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "RuleSet":
        """Build from `{"version": ..., **parameters}` or a whole fixture object
        (`{"version", "parameters", ...}`). Decimals may be strings or numbers.
        Raises ScoringError on missing, unknown or invalid values."""
        if not isinstance(data, Mapping):
            raise ScoringError("rule set must be a mapping")
        params = data.get("parameters", data)
        if not isinstance(params, Mapping):
            raise ScoringError("rule set parameters must be a mapping")
        version = data.get("version", params.get("version"))
        if version is None or str(version).strip() == "":
            raise ScoringError("rule set version is missing")
        given = set(params) - {"version", "monitoring"}
        missing = sorted(set(_PARAMS) - given)
        unknown = sorted(given - set(_PARAMS))
        if missing or unknown:
            raise ScoringError(f"rule set v{version}: missing {missing}, unknown {unknown}")
        parsed = {name: _parse(name, kind, params[name]) for name, kind in _PARAMS.items()}
        monitoring = params.get("monitoring")
        if monitoring is not None:
            monitoring = MonitoringRules.from_mapping(monitoring)
        rules = cls(version=str(version), **parsed, monitoring=monitoring)
        _check(rules)
        return rules

    def to_mapping(self) -> dict[str, Any]:
        """JSON-serialisable `{"version": ..., **parameters}`; `from_mapping` rebuilds it."""
        out: dict[str, Any] = {"version": self.version}
        for name in _PARAMS:
            out[name] = _dump(getattr(self, name))
        if self.monitoring is not None:
            out["monitoring"] = self.monitoring.to_mapping()
        return out

    def __hash__(self) -> int:  # lookups are read-only mappings, which cannot be hashed
        return hash(self.version)


def _parse(name: str, kind: str, value: Any) -> Any:
    try:
        if kind == "dec":
            return _decimal(value)
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ScoringError("expected a non-negative integer")
            return value
        if kind == "str":
            if not isinstance(value, str) or not value:
                raise ScoringError("expected a non-empty string")
            return value
        if kind == "strs":
            if isinstance(value, str) or not all(isinstance(v, str) and v for v in value):
                raise ScoringError("expected a list of strings")
            return tuple(value)
        if not isinstance(value, Mapping):
            raise ScoringError("expected a mapping")
        if kind == "codes_map":
            return MappingProxyType({str(k): _parse(name, "strs", v) for k, v in value.items()})
        if set(value) != set(_MAP_KEYS[name]):
            raise ScoringError(f"keys must be exactly {list(_MAP_KEYS[name])}")
        inner = "int" if kind == "int_map" else "dec"
        return MappingProxyType({k: _parse(name, inner, value[k]) for k in _MAP_KEYS[name]})
    except (TypeError, ScoringError) as exc:
        raise ScoringError(f"rule set parameter {name!r}: {exc}") from None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ScoringError("expected a decimal number (string)")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ScoringError(f"not a decimal number: {value!r}") from None
    if not result.is_finite() or result < 0:
        raise ScoringError(f"expected a non-negative number, got {value!r}")
    return result


def is_priority_group(code: str, determinant: str, *, rules: RuleSet) -> bool:
    """Whether a population group counts as a priority group for a determinant: SE_* and OG_*
    (per `priority_prefixes`) always; PC_* only where `priority_characteristics` lists it for
    this determinant; role-based RB_* never. Here because a rule set is checked with it."""
    if code.startswith("RB_"):
        return False
    if code.startswith("PC_"):
        return code in rules.priority_characteristics.get(determinant, ())
    return code == rules.deprived_area_code or code.startswith(tuple(rules.priority_prefixes))


@dataclass(frozen=True)
class Problem:
    """One broken rule of a rule set, naming the parameter (and the key within it, for a
    per-determinant list) so an editing form can show the message beside the field."""

    parameter: str
    message: str
    key: str = ""


def _problems(r: RuleSet) -> list[Problem]:
    """Cross-parameter sanity: these orderings are what keep the scheme monotone."""
    nm, pm = r.negative_multipliers, r.positive_multipliers
    checks = [
        (
            not 0 < r.band_low < r.band_medium < r.band_high,
            "band_medium",
            "need 0 < band_low < band_medium < band_high",
        ),
        (r.magnitude_cap < 1, "magnitude_cap", "magnitude_cap must be at least 1"),
        (
            not 0 < nm["default"] <= nm["one_priority"] <= min(nm["intersecting"], nm["worst_off"]),
            "negative_multipliers",
            "negative multipliers need 0 < default <= one_priority <= intersecting, worst_off",
        ),
        (
            not 0 < pm["advantaged"] <= pm["even"] <= pm["priority"],
            "positive_multipliers",
            "positive multipliers need 0 < advantaged <= even <= priority",
        ),
        (
            r.intersecting_min_groups < 2,
            "intersecting_min_groups",
            "intersecting_min_groups must be at least 2",
        ),
        (
            r.override_min_severity not in (1, 2, 3),
            "override_min_severity",
            "override_min_severity must be 1-3",
        ),
        (
            r.override_min_likelihood not in (1, 2, 3, 4),
            "override_min_likelihood",
            "override_min_likelihood must be 1-4",
        ),
        (
            not set(r.evidence_gap_levels) <= set(EVIDENCE_LEVELS),
            "evidence_gap_levels",
            "unknown evidence_gap_levels",
        ),
        (
            r.deprived_area_share_threshold > 1,
            "deprived_area_share_threshold",
            "deprived_area_share_threshold must be 0-1",
        ),
        (
            not 0 < r.f1_uncertain_share <= 1,
            "f1_uncertain_share",
            "f1_uncertain_share must be in (0, 1]",
        ),
        (
            r.equity_index_highlight > 1,
            "equity_index_highlight",
            "equity_index_highlight must be 0-1",
        ),
        (
            r.f2_min_abs_w_priority > r.f2_min_abs_w,
            "f2_min_abs_w_priority",
            "f2_min_abs_w_priority must not exceed f2_min_abs_w",
        ),
    ]
    found = [Problem(name, message) for failed, name, message in checks if failed]
    for det, codes in r.priority_characteristics.items():
        if any(not c.startswith("PC_") for c in codes):
            found.append(
                Problem(
                    "priority_characteristics",
                    "priority_characteristics may list PC_* codes only",
                    det,
                )
            )
    for det, codes in r.worst_off.items():
        for code in codes:
            if not is_priority_group(code, det, rules=r):
                found.append(
                    Problem(
                        "worst_off",
                        f"worst_off {det} {code} is not a priority group for {det}",
                        det,
                    )
                )
    return found


def _check(r: RuleSet) -> None:
    errors = [p.message for p in _problems(r)]
    if errors:
        raise ScoringError(f"rule set v{r.version}: " + "; ".join(errors))


def parameter_problems(params: Mapping[str, Any]) -> list[Problem]:
    """Every problem with a set of parameters, each naming its parameter: first each value on its
    own (type, range, keys), then, once every value reads, the rules across parameters. The same
    checks `RuleSet.from_mapping` makes, returned rather than raised, for an editing form."""
    found = [Problem(name, "missing") for name in _PARAMS if name not in params]
    found += [
        Problem(name, "unknown parameter")
        for name in params
        if name not in _PARAMS and name != "monitoring"
    ]
    if "monitoring" in params:
        found += _monitoring_problems(params["monitoring"])
    parsed: dict[str, Any] = {}
    for name, kind in _PARAMS.items():
        if name not in params:
            continue
        try:
            parsed[name] = _parse(name, kind, params[name])
        except ScoringError as exc:
            found.append(Problem(name, str(exc)))
    if found:
        return found
    return _problems(RuleSet(version="draft", **parsed))


def _monitoring_problems(data: Any) -> list[Problem]:
    """The optional monitoring section's problems, each named by its key within the section."""
    if not isinstance(data, Mapping):
        return [Problem("monitoring", "expected a mapping")]
    found = [Problem("monitoring", "missing", key) for key in _MONITORING_PARAMS if key not in data]
    found += [
        Problem("monitoring", "unknown parameter", key)
        for key in data
        if key not in _MONITORING_PARAMS
    ]
    parsed: dict[str, Any] = {}
    for key, kind in _MONITORING_PARAMS.items():
        if key in data:
            try:
                parsed[key] = _parse(key, kind, data[key])
            except ScoringError as exc:
                found.append(Problem("monitoring", str(exc), key))
    if found:
        return found
    rules = MonitoringRules(**parsed)
    return [Problem("monitoring", message, key) for key, message in rules.problems()]


# ---------------------------------------------------------------- outputs


def _dump_fields(value: Any) -> dict[str, Any]:
    """A dataclass instance as a JSON-serialisable dict, field by field."""
    return {f.name: _dump(getattr(value, f.name)) for f in fields(value)}


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dump_fields(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _dec_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _band_or_none(value: Any) -> Band | None:
    return None if value is None else Band(value)


@dataclass(frozen=True)
class AutomaticGroup:
    """A priority group an answer counts as affecting because a rule says so, not because anyone
    named it: enough of the catchment lives in SIMD quintile 1 and the determinant is place-based.
    Carried with its figures so a reader can check the rule by hand."""

    code: str
    share: Decimal  # the catchment's share living in SIMD quintile 1
    threshold: Decimal  # the rule set's threshold that share reached
    reason: str  # "automatic: 62% of the catchment lives in SIMD quintile 1, ..."

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "AutomaticGroup":
        return cls(
            code=d["code"],
            share=Decimal(d["share"]),
            threshold=Decimal(d["threshold"]),
            reason=d["reason"],
        )


@dataclass(frozen=True)
class AnswerScore:
    key: str
    determinant: str
    direction: Direction
    scored: bool
    magnitude: int
    significance: int
    multiplier: Decimal
    multiplier_reason: str
    weighted: Decimal
    band: Band | None
    override_applied: bool
    priority_groups: tuple[str, ...]
    residual_weighted: Decimal | None
    residual_band: Band | None
    explanation: str
    # Priority groups counted by a rule rather than named in the answer (also in priority_groups).
    # Snapshots stored before this field existed read back with none.
    automatic_groups: tuple[AutomaticGroup, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _dump_fields(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "AnswerScore":
        return cls(
            **{
                **d,
                "direction": Direction(d["direction"]),
                "multiplier": Decimal(d["multiplier"]),
                "weighted": Decimal(d["weighted"]),
                "band": _band_or_none(d["band"]),
                "priority_groups": tuple(d["priority_groups"]),
                "residual_weighted": _dec_or_none(d["residual_weighted"]),
                "residual_band": _band_or_none(d["residual_band"]),
                "automatic_groups": tuple(
                    AutomaticGroup.from_dict(g) for g in d.get("automatic_groups", ())
                ),
            }
        )

    @property
    def only_automatic_priority(self) -> bool:
        """True when every priority group of this answer was counted by a rule, none named."""
        automatic = {g.code for g in self.automatic_groups}
        return bool(automatic) and set(self.priority_groups) <= automatic

    @property
    def effective_residual_band(self) -> Band | None:
        """Post-mitigation band: the re-rating if one was given, else the original band."""
        return self.residual_band if self.residual_band is not None else self.band


@dataclass(frozen=True)
class Counts:
    answered: int
    applicable: int
    uncertain: int
    negatives: int
    positives: int


@dataclass(frozen=True)
class DeterminantResult:
    code: str
    harm_rag: Rag
    harm_rag_reason: str
    residual_harm_rag: Rag
    residual_harm_rag_reason: str
    benefit_level: Band | None
    equity_share: Decimal | None
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        return _dump_fields(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "DeterminantResult":
        return cls(
            **{
                **d,
                "harm_rag": Rag(d["harm_rag"]),
                "residual_harm_rag": Rag(d["residual_harm_rag"]),
                "benefit_level": _band_or_none(d["benefit_level"]),
                "equity_share": _dec_or_none(d["equity_share"]),
                "counts": Counts(**d["counts"]),
            }
        )


@dataclass(frozen=True)
class FlagResult:
    code: str
    title: str
    reason: str
    answer_keys: tuple[str, ...]
    criteria: tuple[str, ...] = ()  # which sub-rules fired, e.g. ("a", "d") for F1

    def to_dict(self) -> dict[str, Any]:
        return _dump_fields(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FlagResult":
        return cls(
            **{
                **d,
                "answer_keys": tuple(d["answer_keys"]),
                "criteria": tuple(d.get("criteria", ())),
            }
        )


@dataclass(frozen=True)
class BenefitSummary:
    high: int
    medium: int
    equity_share: Decimal | None


@dataclass(frozen=True)
class Completeness:
    answered: int
    applicable: int
    ratio: Decimal | None


@dataclass(frozen=True)
class AssessmentResult:
    ruleset_version: str
    stage_code: str
    answers: tuple[AnswerScore, ...]
    determinants: tuple[DeterminantResult, ...]
    overall_harm_rag: Rag
    overall_residual_harm_rag: Rag
    gate_harm_rag: Rag
    benefit_summary: BenefitSummary
    equity_index: Decimal | None
    equity_index_highlight: bool
    completeness: Completeness
    uncertain_share: Decimal | None
    flags: tuple[FlagResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return _dump_fields(self)

    def flag(self, code: str) -> FlagResult | None:
        return next((f for f in self.flags if f.code == code), None)


def result_from_dict(d: Mapping[str, Any]) -> AssessmentResult:
    """Rebuild an `AssessmentResult` from `to_dict()` output, exactly."""
    bs, comp = d["benefit_summary"], d["completeness"]
    return AssessmentResult(
        ruleset_version=d["ruleset_version"],
        stage_code=d["stage_code"],
        answers=tuple(AnswerScore.from_dict(a) for a in d["answers"]),
        determinants=tuple(DeterminantResult.from_dict(x) for x in d["determinants"]),
        overall_harm_rag=Rag(d["overall_harm_rag"]),
        overall_residual_harm_rag=Rag(d["overall_residual_harm_rag"]),
        gate_harm_rag=Rag(d["gate_harm_rag"]),
        benefit_summary=BenefitSummary(bs["high"], bs["medium"], _dec_or_none(bs["equity_share"])),
        equity_index=_dec_or_none(d["equity_index"]),
        equity_index_highlight=d["equity_index_highlight"],
        completeness=Completeness(
            comp["answered"], comp["applicable"], _dec_or_none(comp["ratio"])
        ),
        uncertain_share=_dec_or_none(d["uncertain_share"]),
        flags=tuple(FlagResult.from_dict(f) for f in d["flags"]),
    )
