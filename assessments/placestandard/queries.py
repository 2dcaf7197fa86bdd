"""Read side of the Place Standard: a project's exercises by stage, the two points in time to
compare, and the compass and table the pages and reports show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from assessments.enums import AssessmentStatus
from assessments.models import (
    PlaceStandardAssessment,
    PlaceStandardTheme,
    RespondentGroup,
    StageAssessment,
)
from assessments.placestandard.compass import MAX_SCORE
from assessments.placestandard.compass_svg import Series, compass_svg


@dataclass
class Point:
    """One stage's exercise, ready to draw: scores by group, one per theme in compass order."""

    record: PlaceStandardAssessment
    stage_name: str
    when: str
    scores: dict[str, list[int | None]]

    @property
    def label(self) -> str:
        return f"{self.stage_name}, {self.when}"


@dataclass
class ThemeRow:
    theme: str
    question: str
    figures: list[str]  # per group: earlier, later, change


@dataclass
class GroupCompass:
    group: str
    label: str
    svg: str
    rated: int


@dataclass
class CompassView:
    themes: list[PlaceStandardTheme]
    earlier: Point | None
    later: Point | None
    compasses: list[GroupCompass] = field(default_factory=list)
    rows: list[ThemeRow] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)

    @property
    def has_two(self) -> bool:
        return self.earlier is not None and self.later is not None


def themes() -> list[PlaceStandardTheme]:
    return list(PlaceStandardTheme.objects.order_by("order"))


def _point(record: PlaceStandardAssessment, theme_list) -> Point:
    by_key = {(r.theme_id, r.group): r.score for r in record.ratings.all()}
    scores = {
        group: [by_key.get((t.pk, group)) for t in theme_list] for group in RespondentGroup.values
    }
    return Point(record, record.assessment.stage.name, record.held_on.strftime("%B %Y"), scores)


def project_points(project) -> list[Point]:
    """Every stage's exercise, earliest stage first (superseded stages left out: a re-screen
    replaces them)."""
    theme_list = themes()
    records = (
        PlaceStandardAssessment.objects.filter(assessment__project=project)
        .exclude(assessment__status=AssessmentStatus.SUPERSEDED)
        .select_related("assessment__stage")
        .prefetch_related("ratings")
        .order_by("assessment__stage__order", "held_on")
    )
    return [_point(r, theme_list) for r in records]


def stage_assessments_for_entry(project) -> list[StageAssessment]:
    return list(
        StageAssessment.objects.filter(project=project)
        .exclude(status=AssessmentStatus.SUPERSEDED)
        .select_related("stage")
        .order_by("stage__order")
    )


def _change(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return "–"
    return "no change" if before == after else f"{after - before:+d}"


def _text(score: int | None) -> str:
    return "not rated" if score is None else str(score)


def _plain(earlier: Point | None, later: Point | None, theme_list) -> list[str]:
    """What changed for the community, in everyday words: the themes they rated higher and
    lower at the later point."""
    if later is None:
        return []
    if earlier is None:
        return [
            f"At the {later.stage_name.lower()} stage ({later.when}), local people rated "
            f"{sum(s is not None for s in later.scores['community'])} of the 14 parts of the place."
        ]
    pairs = list(zip(earlier.scores["community"], later.scores["community"], strict=True))
    up = [t.name.lower() for t, (a, b) in zip(theme_list, pairs, strict=True) if a and b and b > a]
    down = [
        t.name.lower() for t, (a, b) in zip(theme_list, pairs, strict=True) if a and b and b < a
    ]
    lines = [
        f"Local people rated their area at the {earlier.stage_name.lower()} stage "
        f"({earlier.when}) and again at the {later.stage_name.lower()} stage ({later.when})."
    ]
    lines.append(
        f"They rated these better the second time: {', '.join(up)}."
        if up
        else "They did not rate any part of the place better the second time."
    )
    if down:
        lines.append(f"They rated these worse: {', '.join(down)}.")
    return lines


def compass_view(
    points: list[Point], *, earlier_id: int | None = None, later_id: int | None = None
) -> CompassView:
    """The two points to compare (the first and the last by default, or the two named) drawn on
    one compass per respondent group, with the table that carries the same figures."""
    theme_list = themes()
    by_id = {p.record.pk: p for p in points}
    later = by_id.get(later_id) if later_id else (points[-1] if points else None)
    earlier = by_id.get(earlier_id) if earlier_id else (points[0] if len(points) > 1 else None)
    if earlier is not None and later is not None and earlier.record.pk == later.record.pk:
        earlier = None
    view = CompassView(theme_list, earlier, later)
    if later is None:
        return view
    names = [t.name for t in theme_list]
    shown = [p for p in (earlier, later) if p is not None]
    for group, group_label in RespondentGroup.choices:
        series = [
            Series(p.label, p.scores[group], "earlier" if p is earlier else "later") for p in shown
        ]
        rated = sum(s is not None for s in later.scores[group])
        when = " and ".join(p.label for p in shown)
        view.compasses.append(
            GroupCompass(
                group,
                group_label,
                # Safe: compass_svg escapes every text it writes.
                mark_safe(  # noqa: S308
                    compass_svg(
                        names,
                        series,
                        title=f"Place Standard compass: {group_label.lower()} ratings",
                        description=(
                            f"{group_label} ratings of the 14 Place Standard themes, 1 (a lot of room "
                            f"for improvement) to {MAX_SCORE} (very little), at {when}. Further from "
                            "the centre is better. The table that follows gives every figure."
                        ),
                        ident=f"compass-{group}",
                    )
                ),
                rated,
            )
        )
    for i, theme in enumerate(theme_list):
        figures = []
        for group in RespondentGroup.values:
            after = later.scores[group][i]
            if earlier is not None:
                before = earlier.scores[group][i]
                figures += [_text(before), _text(after), _change(before, after)]
            else:
                figures.append(_text(after))
        view.rows.append(ThemeRow(theme.name, theme.question, figures))
    for _, group_label in RespondentGroup.choices:
        if earlier is not None:
            view.columns += [
                f"{group_label}: {earlier.label}",
                f"{group_label}: {later.label}",
                f"{group_label}: change",
            ]
        else:
            view.columns.append(f"{group_label}: {later.label}")
    view.plain = _plain(earlier, later, theme_list)
    return view
