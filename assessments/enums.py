"""Choice lists shared by models, forms, rules adapters and templates."""

from django.db import models


class Role(models.TextChoices):
    PROJECT_MANAGER = "project_manager", "Project manager"
    CONTRIBUTOR = "contributor", "Project contributor"
    REVIEWER = "reviewer", "Public health reviewer"
    SRO = "sro", "Senior responsible officer"
    PANEL_MEMBER = "panel_member", "Community panel member"
    COUNCIL_ADMIN = "council_admin", "Council administrator"
    PMO_VIEWER = "pmo_viewer", "Regional programme office viewer"
    METHODOLOGY_OWNER = "methodology_owner", "Methodology owner"


# Roles that belong to the region rather than to one council: held with no council.
REGIONAL_ROLES = frozenset({Role.PMO_VIEWER, Role.METHODOLOGY_OWNER})


class StageGroup(models.TextChoices):
    EARLY = "E", "Early (strategic definition and strategic business case)"
    DESIGN = "D", "Design and procurement (outline and full business case)"
    CONSTRUCTION = "C", "Construction (delivery)"
    OPERATION = "O", "Operation and evaluation"


class PopulationCategory(models.TextChoices):
    PROTECTED = "PC", "Protected characteristics (Equality Act 2010)"
    SOCIO_ECONOMIC = "SE", "Socio-economic disadvantage (Fairer Scotland Duty)"
    HIGHER_RISK = "OG", "Other groups at higher risk of poor health"
    ROLE = "RB", "Role-based groups"


class ProjectType(models.TextChoices):
    HOUSING = "housing", "Housing (new build)"
    RETROFIT = "retrofit", "Housing energy retrofit"
    TRANSPORT = "transport", "Transport and active travel"
    REGENERATION = "regeneration", "Town centre and regeneration"
    EDUCATION = "education", "Schools and education"
    PUBLIC_BUILDING = "public_building", "Public building (health, leisure, civic)"
    GREEN_INFRASTRUCTURE = "green_infrastructure", "Green and blue infrastructure"
    OTHER = "other", "Other"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved by reviewer"
    SIGNED_OFF = "signed_off", "Signed off"
    SUPERSEDED = "superseded", "Superseded"


# Statuses in which the project team may change answers.
EDITABLE_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.CHANGES_REQUESTED})
# Statuses that can never change again.
FROZEN_STATUSES = frozenset({AssessmentStatus.SIGNED_OFF, AssessmentStatus.SUPERSEDED})

# Harm ratings (schema.Rag values) as people read them. The short word goes on badges, filters
# and exports; the dashboard and reports add what a grey or missing rating means there.
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Grey"}
RATING_LABELS = {**RAG_WORDS, "grey": "Grey (not enough answered)", "": "Not scored"}
RAG_MEANINGS = {
    "red": "Red – significant harm",
    "amber": "Amber – some harm to manage",
    "green": "Green – no harm above low",
    "grey": "Not yet assessed",
    "": "Not yet assessed",
}


class Direction(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NO_IMPACT = "no_impact", "No impact"
    UNCERTAIN = "uncertain", "Uncertain / don't know"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Directions that carry an impact record (likelihood, severity, groups...).
CHARACTERISED_DIRECTIONS = frozenset({Direction.POSITIVE, Direction.NEGATIVE, Direction.UNCERTAIN})


class Likelihood(models.IntegerChoices):
    SPECULATIVE = 1, "Speculative"
    POSSIBLE = 2, "Possible"
    PROBABLE = 3, "Probable"
    DEFINITE = 4, "Definite"


class Severity(models.IntegerChoices):
    NEGLIGIBLE = 0, "Negligible"
    MINOR = 1, "Minor"
    MODERATE = 2, "Moderate"
    MAJOR = 3, "Major"


class Duration(models.TextChoices):
    SHORT = "short", "Short (under a year, e.g. during works)"
    MEDIUM = "medium", "Medium (1 to 5 years)"
    LONG = "long", "Long (over 5 years)"


class Reach(models.TextChoices):
    HOUSEHOLD = "household", "Individuals or households"
    NEIGHBOURHOOD = "neighbourhood", "Street or neighbourhood (under 1,000 people)"
    LOCALITY = "locality", "Locality (1,000 to 10,000 people)"
    REGION = "region", "Council or region (over 10,000 people)"


class Distribution(models.TextChoices):
    PRIORITY = "priority", "Skewed towards disadvantaged or priority groups"
    EVEN = "even", "Spread evenly"
    ADVANTAGED = "advantaged", "Skewed towards better-off groups"


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", "Strong (reviews, local data)"
    MODERATE = "moderate", "Moderate"
    WEAK = "weak", "Weak (anecdote, expert view)"
    NONE = "none", "None yet"


class OtherAssessment(models.TextChoices):
    EQIA = "EqIA", "Equality Impact Assessment"
    FSD = "FSD", "Fairer Scotland Duty assessment"
    CRWIA = "CRWIA", "Children's Rights and Wellbeing Impact Assessment"
    EIA = "EIA", "Environmental Impact Assessment"
    SEA = "SEA", "Strategic Environmental Assessment"
    STAG = "STAG", "Scottish Transport Appraisal Guidance appraisal"
    ICIA = "ICIA", "Island Communities Impact Assessment"
