"""All models of the single `assessments` app, split by domain area."""

from assessments.models.accounts import AccountEvent, AccountEventKind
from assessments.models.api import ApiToken
from assessments.models.assessment import Answer, AnswerGroup, AssessmentSection, StageAssessment
from assessments.models.community import CommentReply, CommunityComment, ConsultationWindow
from assessments.models.learning import FeedbackKind, MitigationCuration, QuestionFeedback
from assessments.models.monitoring import (
    GoodDirection,
    Indicator,
    IndicatorSuggestion,
    IndicatorUnit,
    Measurement,
    MeasurementFrequency,
    MeasurementSource,
    MonitoringReminder,
    MonitoringReminderKind,
)
from assessments.models.operations import WorkerHeartbeat
from assessments.models.people import Membership
from assessments.models.place import (
    DataZone,
    DataZoneNeighbour,
    DeprivationFigure,
    DeprivationRelease,
    IntermediateZone,
    PlaceDataVersion,
    Postcode,
)
from assessments.models.placestandard import (
    PlaceStandardAssessment,
    PlaceStandardRating,
    PlaceStandardTheme,
    RespondentGroup,
)
from assessments.models.portfolio import AssessmentFlag, DeterminantRating
from assessments.models.privacy import (
    CouncilPrivacy,
    DownloadRecord,
    PrivacyEvent,
    PrivacyEventKind,
    RetentionPolicy,
)
from assessments.models.projects import CapitalProject
from assessments.models.public_summary import PublicSummary
from assessments.models.reference import (
    BankStatus,
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    PublishedBankError,
    PublishedRuleSetError,
    Question,
    QuestionBank,
    QuestionBankChange,
    RuleSet,
    RuleSetStatus,
)
from assessments.models.reminders import ActionReminder, ReminderKind
from assessments.models.report_chapters import ReportChapter
from assessments.models.reports import ArchivedReport, ReportJob, ReportJobStatus, ReportKind
from assessments.models.review import (
    Action,
    ActionPlanAcceptance,
    FlagJustification,
    RatingOverride,
    ReviewVerdict,
    StatusChange,
)

__all__ = [
    "FeedbackKind",
    "MitigationCuration",
    "QuestionFeedback",
    "PublicSummary",
    "AccountEvent",
    "AccountEventKind",
    "ApiToken",
    "ArchivedReport",
    "ReportChapter",
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
    "BankStatus",
    "PublishedBankError",
    "Question",
    "QuestionBank",
    "QuestionBankChange",
    "RuleSet",
    "RuleSetStatus",
    "PublishedRuleSetError",
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
    "ActionReminder",
    "ReminderKind",
    "CouncilPrivacy",
    "DownloadRecord",
    "PrivacyEvent",
    "PrivacyEventKind",
    "RetentionPolicy",
    "GoodDirection",
    "Indicator",
    "IndicatorSuggestion",
    "IndicatorUnit",
    "Measurement",
    "MeasurementFrequency",
    "MeasurementSource",
    "MonitoringReminder",
    "MonitoringReminderKind",
    # Place before and after
    "DeprivationFigure",
    "DeprivationRelease",
    "PlaceStandardAssessment",
    "PlaceStandardRating",
    "PlaceStandardTheme",
    "RespondentGroup",
]
