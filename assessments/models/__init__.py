"""All models of the single `assessments` app, split by domain area."""

from .assessment import Answer, AnswerGroup, AssessmentSection, StageAssessment
from .people import Membership
from .place import DataZone, DataZoneNeighbour, IntermediateZone, PlaceDataVersion, Postcode
from .portfolio import AssessmentFlag, DeterminantRating
from .projects import CapitalProject
from .reference import (
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    Question,
    QuestionBank,
    RuleSet,
)

__all__ = [
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
    "AssessmentFlag",
    "DataZone",
    "DataZoneNeighbour",
    "DeterminantRating",
    "IntermediateZone",
    "PlaceDataVersion",
    "Postcode",
]
