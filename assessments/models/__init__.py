"""All models of the single `assessments` app, split by domain area."""

from .assessment import Answer, AnswerGroup, AssessmentSection, StageAssessment
from .operations import WorkerHeartbeat
from .people import Membership
from .place import DataZone, DataZoneNeighbour, IntermediateZone, PlaceDataVersion, Postcode
from .portfolio import AssessmentFlag, DeterminantRating
from .projects import CapitalProject
from .reports import ArchivedReport, ReportJob, ReportJobStatus, ReportKind
from .reference import (
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    Question,
    QuestionBank,
    RuleSet,
)
from .community import CommentReply, CommunityComment, ConsultationWindow
from .review import (
    Action,
    ActionPlanAcceptance,
    FlagJustification,
    RatingOverride,
    ReviewVerdict,
    StatusChange,
)

__all__ = [
    "ArchivedReport",
    "ReportJob",
    "ReportJobStatus",
    "ReportKind",
    "Answer",
    "AnswerGroup",
    "AssessmentSection",
    "CapitalProject",
    "Council",
    "Determinant",
    "LifecycleStage",
    "Membership",
    "PopulationGroup",
    "Question",
    "QuestionBank",
    "RuleSet",
    "StageAssessment",
    "Action",
    "ActionPlanAcceptance",
    "CommentReply",
    "CommunityComment",
    "ConsultationWindow",
    "FlagJustification",
    "RatingOverride",
    "ReviewVerdict",
    "StatusChange",
    "AssessmentFlag",
    "DataZone",
    "DataZoneNeighbour",
    "DeterminantRating",
    "IntermediateZone",
    "PlaceDataVersion",
    "Postcode",
    "WorkerHeartbeat",
]
