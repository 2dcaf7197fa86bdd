"""Read side of learning from use: the methodology dashboard's figures (counted in the
database, a fixed number of queries whatever the number of answers), one question's comments,
and the shared library of mitigations."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from assessments.enums import AssessmentStatus, Direction
from assessments.models import (
    Answer,
    FeedbackKind,
    MitigationCuration,
    Question,
    QuestionFeedback,
    ReviewVerdict,
)
from assessments.models.review import Verdict

SENT_BACK = (Verdict.TO_CORRECT, Verdict.IMPROVABLE)
# Library entries come from answers that carry a mitigation (a harm) or an enhancement (a benefit).
LIBRARY_DIRECTIONS = {Direction.NEGATIVE: "Mitigation", Direction.POSITIVE: "Enhancement"}


@dataclass(frozen=True)
class Scope:
    """What the dashboard is filtered to (None: everything)."""

    project_type: str | None = None
    stage_id: int | None = None
    council_id: int | None = None

    def through_assessment(self, prefix: str = "assessment__") -> Q:
        q = Q()
        if self.project_type:
            q &= Q(**{f"{prefix}project__project_type": self.project_type})
        if self.stage_id:
            q &= Q(**{f"{prefix}stage_id": self.stage_id})
        if self.council_id:
            q &= Q(**{f"{prefix}project__council_id": self.council_id})
        return q

    def on_feedback(self) -> Q:
        q = Q()
        if self.project_type:
            q &= Q(project_type=self.project_type)
        if self.stage_id:
            q &= Q(stage_id=self.stage_id)
        if self.council_id:
            q &= Q(council_id=self.council_id)
        return q


@dataclass
class QuestionFigures:
    code: str
    text: str = ""
    determinant: str = ""
    answered: int = 0
    dont_know: int = 0
    not_applicable: int = 0
    no_impact: int = 0
    sent_back: int = 0
    unclear: int = 0
    not_relevant: int = 0
    comments: int = 0
    versions: list[str] = field(default_factory=list)

    @property
    def signals(self) -> int:
        """How many times people stumbled on the question: don't know, not applicable, sent
        back by a reviewer, or marked unclear or not relevant. The dashboard sorts on it."""
        return (
            self.dont_know + self.not_applicable + self.sent_back + self.unclear + self.not_relevant
        )

    def share(self, count: int) -> int | None:
        return round(100 * count / self.answered) if self.answered else None

    @property
    def dont_know_share(self):
        return self.share(self.dont_know)

    @property
    def not_applicable_share(self):
        return self.share(self.not_applicable)

    @property
    def no_impact_share(self):
        return self.share(self.no_impact)


def _answer_counts(scope: Scope):
    return (
        Answer.objects.filter(scope.through_assessment())
        .exclude(direction="")
        .exclude(assessment__status=AssessmentStatus.SUPERSEDED)
        .values("question__code")
        .annotate(
            answered=Count("id"),
            dont_know=Count("id", filter=Q(direction=Direction.UNCERTAIN)),
            not_applicable=Count("id", filter=Q(direction=Direction.NOT_APPLICABLE)),
            no_impact=Count("id", filter=Q(direction=Direction.NO_IMPACT)),
        )
        .order_by()
    )


def _verdict_counts(scope: Scope):
    return (
        ReviewVerdict.objects.filter(scope.through_assessment(), verdict__in=SENT_BACK)
        .values("answer__question__code")
        .annotate(sent_back=Count("id"))
        .order_by()
    )


def _feedback_counts(scope: Scope):
    return (
        QuestionFeedback.objects.filter(scope.on_feedback())
        .values("question_code")
        .annotate(
            unclear=Count("id", filter=Q(kind=FeedbackKind.UNCLEAR)),
            not_relevant=Count("id", filter=Q(kind=FeedbackKind.NOT_RELEVANT)),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by()
    )


def question_figures(scope: Scope) -> list[QuestionFigures]:
    """Per question (by its stable code, across bank versions), most in need of attention
    first. Four queries, however many answers, reviews and remarks there are."""
    rows: dict[str, QuestionFigures] = {}
    for code, text, determinant, version in Question.objects.order_by(
        "code", "-bank__published"
    ).values_list("code", "text", "determinant__name", "bank__version"):
        if code not in rows:
            rows[code] = QuestionFigures(code=code, text=text, determinant=determinant)
        rows[code].versions.append(version)
    for row in _answer_counts(scope):
        figures = rows[row.pop("question__code")]
        for name, value in row.items():
            setattr(figures, name, value)
    for row in _verdict_counts(scope):
        rows[row["answer__question__code"]].sent_back = row["sent_back"]
    for row in _feedback_counts(scope):
        figures = rows[row.pop("question_code")]
        for name, value in row.items():
            setattr(figures, name, value)
    return sorted(
        rows.values(),
        key=lambda f: (-f.signals, -(f.signals / f.answered if f.answered else 0), f.code),
    )


def question_summary(code: str) -> QuestionFigures | None:
    """A question's newest wording and every bank version that holds it."""
    summary = None
    for text, determinant, version in (
        Question.objects.filter(code=code)
        .order_by("-bank__published")
        .values_list("text", "determinant__name", "bank__version")
    ):
        if summary is None:
            summary = QuestionFigures(code=code, text=text, determinant=determinant)
        summary.versions.append(version)
    return summary


def question_remarks(code: str, scope: Scope) -> dict:
    """What people said about one question: remarks while answering and reviewers' comments
    when sending it back. Where it was said (council, stage, project type), never by whom."""
    feedback = (
        QuestionFeedback.objects.filter(scope.on_feedback(), question_code=code)
        .select_related("council", "stage")
        .order_by("-at", "-id")
    )
    verdicts = (
        ReviewVerdict.objects.filter(
            scope.through_assessment(), answer__question__code=code, verdict__in=SENT_BACK
        )
        .exclude(comment="")
        .select_related("assessment__stage", "assessment__project__council")
        .order_by("-at", "-id")
    )
    return {"feedback": list(feedback), "verdicts": list(verdicts)}


def remarks_by_question(scope: Scope) -> dict[str, dict[str, list[str]]]:
    """Every comment in scope, by question code, for the export: two queries."""
    remarks: dict[str, dict[str, list[str]]] = {}
    for code, comment in (
        QuestionFeedback.objects.filter(scope.on_feedback())
        .exclude(comment="")
        .order_by("-at", "-id")
        .values_list("question_code", "comment")
    ):
        remarks.setdefault(code, {"feedback": [], "verdicts": []})["feedback"].append(comment)
    for code, comment in (
        ReviewVerdict.objects.filter(scope.through_assessment(), verdict__in=SENT_BACK)
        .exclude(comment="")
        .order_by("-at", "-id")
        .values_list("answer__question__code", "comment")
    ):
        remarks.setdefault(code, {"feedback": [], "verdicts": []})["verdicts"].append(comment)
    return remarks


# ---------------------------------------------------------------- the library of mitigations


def library_entries(*, include_curated_out: bool = False):
    """Every mitigation or enhancement recorded in a signed-off stage, with its curation:
    recommended first, then the newest. Hidden entries and entries merged into another are
    left out unless `include_curated_out` (the owners' view)."""
    entries = (
        Answer.objects.filter(
            assessment__status=AssessmentStatus.SIGNED_OFF,
            direction__in=list(LIBRARY_DIRECTIONS),
        )
        .exclude(mitigation="")
        .select_related(
            "question__determinant",
            "assessment__stage",
            "assessment__project__council",
            "library_curation",
        )
        .annotate(
            is_recommended=Coalesce(
                "library_curation__recommended", Value(False), output_field=BooleanField()
            ),
            merged_count=Coalesce(
                Subquery(
                    MitigationCuration.objects.filter(merged_into=OuterRef("pk"))
                    .values("merged_into")
                    .annotate(count=Count("id"))
                    .values("count")
                ),
                Value(0),
            ),
        )
    )
    if not include_curated_out:
        entries = entries.exclude(library_curation__hidden=True).exclude(
            library_curation__merged_into__isnull=False
        )
    return entries.order_by("-is_recommended", "-assessment__updated_at", "-id")


def search_library(entries, *, text: str = "", determinant=None, kind: str = ""):
    if text:
        entries = entries.filter(
            Q(mitigation__icontains=text)
            | Q(question__text__icontains=text)
            | Q(question__code__iexact=text)
        )
    if determinant is not None:
        entries = entries.filter(question__determinant=determinant)
    if kind:
        entries = entries.filter(direction=kind)
    return entries


SUGGESTION_LIMIT = 6


def suggestions_for(answer: Answer) -> list[Answer]:
    """Mitigations other projects recorded for harms on the same question (first) or the same
    determinant, as curated: never hidden, merged entries once, recommended first."""
    return list(
        library_entries()
        .filter(
            direction=Direction.NEGATIVE, question__determinant_id=answer.question.determinant_id
        )
        .exclude(assessment__project_id=answer.assessment.project_id)
        .annotate(
            same_question=Case(
                When(question__code=answer.question.code, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_recommended", "-same_question", "-assessment__updated_at", "-id")[
            :SUGGESTION_LIMIT
        ]
    )
