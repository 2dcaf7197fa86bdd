"""Demo data: one user per role in three councils, a regional viewer, an administrator,
and realistic capital projects with partly answered assessments. Idempotent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.answering import editing
from assessments.enums import Role
from assessments.models import Answer, CapitalProject, Council, LifecycleStage, Membership
from assessments.monitoring.demo import seed_monitoring_demo

DEMO_COUNCILS = {
    "glasgow": ("S12000049", "Glasgow City"),
    "southlan": ("S12000029", "South Lanarkshire"),
    "renfrew": ("S12000038", "Renfrewshire"),
}
ROLE_PREFIX = {
    Role.PROJECT_MANAGER: "pm",
    Role.CONTRIBUTOR: "contributor",
    Role.REVIEWER: "reviewer",
    Role.SRO: "sro",
    Role.PANEL_MEMBER: "panel",
    Role.COUNCIL_ADMIN: "admin",
}
PEOPLE = {
    ("glasgow", Role.PROJECT_MANAGER): ("Aileen", "MacLeod"),
    ("glasgow", Role.CONTRIBUTOR): ("Tariq", "Hussain"),
    ("glasgow", Role.REVIEWER): ("Dr Fiona", "Reid"),
    ("glasgow", Role.SRO): ("Graham", "Boyle"),
    ("glasgow", Role.PANEL_MEMBER): ("Margaret", "Doherty"),
    ("glasgow", Role.COUNCIL_ADMIN): ("Sandra", "Kerr"),
    ("southlan", Role.PROJECT_MANAGER): ("Callum", "Fraser"),
    ("southlan", Role.CONTRIBUTOR): ("Priya", "Nair"),
    ("southlan", Role.REVIEWER): ("Dr Euan", "Munro"),
    ("southlan", Role.SRO): ("Lorna", "Gallacher"),
    ("southlan", Role.PANEL_MEMBER): ("Jim", "Quinn"),
    ("southlan", Role.COUNCIL_ADMIN): ("Ross", "Paterson"),
    ("renfrew", Role.PROJECT_MANAGER): ("Nicola", "Stewart"),
    ("renfrew", Role.CONTRIBUTOR): ("Ola", "Adeyemi"),
    ("renfrew", Role.REVIEWER): ("Dr Kirsty", "Campbell"),
    ("renfrew", Role.SRO): ("David", "McLean"),
    ("renfrew", Role.PANEL_MEMBER): ("Agnes", "Burns"),
    ("renfrew", Role.COUNCIL_ADMIN): ("Iain", "Ross"),
}

PROJECTS: list[dict[str, Any]] = [
    {
        "council": "glasgow",
        "reference": "GCC-HR-014",
        "title": "Dalmarnock and Bridgeton whole-house energy retrofit",
        "project_type": "retrofit",
        "budget": Decimal("18500000"),
        "city_deal": False,
        "stage": "OBC",
        "postcodes": ["G40 1HX", "G40 3BL"],
        "data_zones": ["S01010046", "S01010047"],
        "description": (
            "External wall insulation, air-source heat pumps and mechanical ventilation for 640 pre-1919 "
            "tenement and 1960s deck-access flats owned by housing associations in Dalmarnock and Bridgeton. "
            "Most tenants are on low incomes and many are older or disabled."
        ),
    },
    {
        "council": "southlan",
        "reference": "SLC-TC-002",
        "title": "East Kilbride town centre masterplan – Centre West",
        "project_type": "regeneration",
        "budget": Decimal("96000000"),
        "city_deal": True,
        "stage": "SBC",
        "postcodes": ["G74 1LW", "G74 1PG"],
        "data_zones": ["S01012934", "S01012928"],
        "description": (
            "Demolition of the western half of the shopping centre to make room for up to 400 homes, a civic "
            "hub with library and health services, a food store and new public squares linking the town "
            "centre to surrounding neighbourhoods."
        ),
    },
    {
        "council": "renfrew",
        "reference": "REN-TR-031",
        "title": "Paisley to Glasgow Airport rapid-transit link",
        "project_type": "transport",
        "budget": Decimal("144000000"),
        "city_deal": True,
        "stage": "FBC",
        "postcodes": ["PA3 1AH", "PA3 2AA"],
        "data_zones": ["S01012064"],
        "description": (
            "A segregated rapid-transit route from Paisley Gilmour Street to Glasgow Airport with three new "
            "stops, a walking and cycling path alongside, and a park-and-ride site. The route passes Ferguslie "
            "Park, one of the most deprived neighbourhoods in Scotland."
        ),
    },
]

# (question code, answer fields, groups as (code, disproportionate))
SAMPLE_ANSWERS: dict[str, list[tuple[str, dict[str, Any], list[tuple[str, bool]]]]] = {
    "GCC-HR-014": [
        (
            "D02",
            dict(
                direction="positive",
                likelihood=4,
                severity=2,
                duration="long",
                reach="locality",
                distribution="priority",
                evidence_strength="strong",
                pathway="Warmer, drier homes and lower heating bills for tenants in fuel poverty.",
                delivery_mechanism="Grant conditions with housing associations",
            ),
            [("SE_MATERIAL_DEP", True), ("PC_AGE_OLDER", False)],
        ),
        (
            "D02",
            dict(
                direction="negative",
                likelihood=2,
                severity=2,
                duration="long",
                reach="household",
                evidence_strength="moderate",
                pathway="Airtight homes with poorly commissioned ventilation can develop condensation and mould.",
                mitigation="Commission and test every ventilation unit; tenant guidance visits",
                mitigation_owner="Retrofit delivery manager",
            ),
            [("SE_LOW_INCOME", True)],
        ),
        (
            "D05",
            dict(
                direction="negative",
                likelihood=4,
                severity=2,
                duration="medium",
                reach="locality",
                evidence_strength="weak",
                pathway="Scaffolding, dust and noise for up to three years next to a primary school.",
            ),
            [("SE_AREA_DEP", True), ("PC_AGE_CHILD", True)],
        ),
        (
            "D01",
            dict(
                direction="uncertain",
                pathway="Unclear whether local firms can win the insulation work.",
            ),
            [],
        ),
    ],
    "SLC-TC-002": [
        (
            "D08",
            dict(
                direction="negative",
                likelihood=3,
                severity=2,
                duration="long",
                reach="locality",
                evidence_strength="moderate",
                pathway="Closing long-standing shops and meeting places disrupts social networks of older residents.",
            ),
            [("PC_AGE_OLDER", True), ("OG_LITERACY_DIGITAL", False)],
        ),
        (
            "D04",
            dict(
                direction="positive",
                likelihood=3,
                severity=2,
                duration="long",
                reach="region",
                distribution="even",
                evidence_strength="moderate",
                pathway="A civic hub brings library, health and advice services together on bus routes.",
            ),
            [("RB_OCCUPANTS_USERS", False)],
        ),
        (
            "D01",
            dict(
                direction="negative",
                likelihood=3,
                severity=1,
                duration="long",
                reach="neighbourhood",
                evidence_strength="weak",
                pathway="Independent traders may not afford rents in new units.",
            ),
            [("RB_BUSINESSES", True)],
        ),
    ],
    "REN-TR-031": [
        (
            "D03",
            dict(
                direction="positive",
                likelihood=3,
                severity=2,
                duration="long",
                reach="locality",
                distribution="priority",
                evidence_strength="strong",
                pathway="Frequent transit gives car-free households in Ferguslie Park direct access to airport jobs.",
                delivery_mechanism="Operator contract sets concession fares",
                monitoring_indicator="Boardings at Ferguslie stop",
                indicator_baseline="0 (new stop)",
            ),
            [("SE_AREA_DEP", True), ("SE_WORKLESS", True)],
        ),
        (
            "D05",
            dict(
                direction="negative",
                likelihood=3,
                severity=1,
                duration="long",
                reach="neighbourhood",
                evidence_strength="moderate",
                pathway="Noise from trams near homes on the route.",
                mitigation="Noise barriers and rail dampers near homes",
                mitigation_owner="Design manager",
            ),
            [("RB_NEIGHBOURS", False)],
        ),
    ],
}


def _demo_user(username: str, first: str, last: str, **extra):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@chiia.example",
            **extra,
        },
    )
    if created:
        user.set_password(settings.CHIIA_DEMO_PASSWORD)
        user.save()
    return user


def seed_users() -> list[tuple[str, str]]:
    logins = []
    for key, (code, _) in DEMO_COUNCILS.items():
        council = Council.objects.get(code=code)
        for role, prefix in ROLE_PREFIX.items():
            first, last = PEOPLE[(key, role)]
            user = _demo_user(f"{prefix}.{key}", first, last)
            Membership.objects.get_or_create(user=user, council=council, role=role)
            logins.append((user.username, f"{role.label}, {council.name}"))
    pmo = _demo_user("pmo", "Morag", "Lindsay")
    Membership.objects.get_or_create(user=pmo, council=None, role=Role.PMO_VIEWER)
    logins.append(("pmo", "Regional programme office viewer, all councils"))
    method = _demo_user("method", "Ailsa", "Crawford")
    Membership.objects.get_or_create(user=method, council=None, role=Role.METHODOLOGY_OWNER)
    logins.append(("method", "Methodology owner, the region's question bank and rule set"))
    _demo_user("sysadmin", "System", "Administrator", is_staff=True, is_superuser=True)
    logins.append(("sysadmin", "System administrator (Django admin)"))
    return logins


def _answer(assessment, determinant_code: str, values: dict, groups, by) -> None:
    """Fill the first still-blank answer of a determinant with the given values."""
    answer = (
        assessment.answers.filter(question__determinant__code=determinant_code, direction="")
        .order_by("question__order")
        .first()
    )
    if answer is None:
        return
    from assessments.models import AnswerGroup, PopulationGroup

    for name, value in values.items():
        setattr(answer, name, value)
    answer.updated_by = by
    answer.save()
    for code, disproportionate in groups:
        AnswerGroup.objects.create(
            answer=answer,
            group=PopulationGroup.objects.get(code=code),
            disproportionate=disproportionate,
        )


@transaction.atomic
def seed_projects() -> list[CapitalProject]:
    from assessments.scoring import snapshots as scoring

    made = []
    User = get_user_model()
    for spec in PROJECTS:
        code, _ = DEMO_COUNCILS[spec["council"]]
        council = Council.objects.get(code=code)
        pm = User.objects.get(username=f"pm.{spec['council']}")
        project, created = CapitalProject.objects.get_or_create(
            council=council,
            reference=spec["reference"],
            defaults={
                "title": spec["title"],
                "description": spec["description"],
                "project_type": spec["project_type"],
                "budget": spec["budget"],
                "city_deal": spec["city_deal"],
                "postcodes": spec["postcodes"],
                "data_zones": spec["data_zones"],
                "current_stage": LifecycleStage.objects.get(code=spec["stage"]),
                "project_manager": pm,
                "senior_responsible_officer": User.objects.get(username=f"sro.{spec['council']}"),
                "created_by": pm,
            },
        )
        made.append(project)
        if not created:
            continue
        assessment = editing.start_assessment(project, project.current_stage, by=pm)
        for determinant_code, values, groups in SAMPLE_ANSWERS[spec["reference"]]:
            _answer(assessment, determinant_code, values, groups, pm)
        # Mark some plain "no impact" answers so each demo is visibly part-way through.
        for answer in Answer.objects.filter(assessment=assessment, direction="").order_by(
            "question__code"
        )[:8]:
            answer.direction = "no_impact"
            answer.save(update_fields=["direction", "updated_at"])
        scoring.refresh_snapshot(assessment)
    return made


def seed_review_demo() -> None:
    """Take the Renfrewshire demo assessment through submission into review, with a community
    consultation open, one panel comment and the project manager's reply. Only done once: an
    assessment that has already left draft is left alone."""
    from assessments.community import consultation as community
    from assessments.models import StageAssessment
    from assessments.review import workflow

    User = get_user_model()
    assessment = StageAssessment.objects.filter(
        project__reference="REN-TR-031", status="draft"
    ).first()
    if assessment is None or assessment.status_changes.exists():
        return
    pm, reviewer, panel = (
        User.objects.get(username=f"{who}.renfrew") for who in ("pm", "reviewer", "panel")
    )
    with transaction.atomic():
        for answer in Answer.objects.filter(assessment=assessment, direction=""):
            answer.direction = "no_impact"
            answer.updated_by = pm
            answer.save(update_fields=["direction", "updated_by", "updated_at"])
        workflow.submit(assessment, pm, note="Full business case assessment ready for review.")
        workflow.start_review(assessment, reviewer)
        community.open_consultation(assessment, pm)
        comment = community.add_comment(
            assessment,
            panel,
            is_concern=True,
            text="Ferguslie Park residents need the stop to be step-free and lit, or older people will not use it.",
        )
        community.reply(
            comment, pm, text="The stop design now has level boarding and lighting; see action D03."
        )


def seed_demo() -> list[tuple[str, str]]:
    logins = seed_users()
    seed_projects()
    seed_review_demo()
    seed_monitoring_demo()
    seed_place_standard_demo()
    return logins


# ---------------------------------------------------------------- place before and after
# A Glasgow project in operation whose Place Standard was gathered at its Strategic Business
# Case and again a year into operation, so its compass shows two points in time. Made-up ratings.

PLACE_DEMO = {
    "reference": "GCC-GI-021",
    "title": "Dalmarnock riverside path and play space",
    "description": (
        "A lit, step-free riverside path linking Dalmarnock and Parkhead West to the Clyde "
        "walkway, with a play space, seating and tree planting on vacant land beside it."
    ),
    "project_type": "green_infrastructure",
    "budget": Decimal("2400000"),
    "data_zones": ["S01010048", "S01010049"],
    "postcodes": ["G31 4UG"],
}
# Community then officers, one pair per theme in compass order; None = not rated.
PLACE_DEMO_RATINGS: dict[str, tuple[str, tuple[int, int], list[tuple[int, int | None]]]] = {
    "SBC": (
        "2021-03-10",
        (38, 9),
        [
            (3, 4),
            (4, 4),
            (3, 3),
            (2, 3),
            (2, 2),
            (2, 3),
            (3, 3),
            (2, 3),
            (3, 4),
            (3, 3),
            (3, 4),
            (2, 3),
            (2, 2),
            (2, 3),
        ],
    ),
    "OPERATION": (
        "2025-09-18",
        (54, 11),
        [
            (5, 5),
            (4, 4),
            (3, 4),
            (4, 5),
            (5, 6),
            (5, 5),
            (3, 4),
            (2, 3),
            (3, 4),
            (4, 4),
            (4, 5),
            (4, 4),
            (3, 4),
            (3, None),
        ],
    ),
}


@transaction.atomic
def seed_place_standard_demo() -> None:
    """The project above, its two stage assessments and their Place Standard ratings; the
    earlier stage is marked signed off as seed_scale does. Only done once."""
    import datetime

    from assessments.models import PlaceStandardTheme
    from assessments.placestandard.editing import Entry, save_place_standard
    from assessments.review import workflow

    User = get_user_model()
    council = Council.objects.get(code=DEMO_COUNCILS["glasgow"][0])
    if CapitalProject.objects.filter(council=council, reference=PLACE_DEMO["reference"]).exists():
        return
    if not PlaceStandardTheme.objects.exists():
        return
    pm = User.objects.get(username="pm.glasgow")
    project = CapitalProject.objects.create(
        council=council,
        current_stage=LifecycleStage.objects.get(code="OPERATION"),
        project_manager=pm,
        senior_responsible_officer=User.objects.get(username="sro.glasgow"),
        created_by=pm,
        **PLACE_DEMO,
    )
    codes = list(PlaceStandardTheme.objects.order_by("order").values_list("code", flat=True))
    for stage_code, (held_on, (community, officers), pairs) in PLACE_DEMO_RATINGS.items():
        assessment = editing.start_assessment(
            project, LifecycleStage.objects.get(code=stage_code), by=pm
        )
        ratings: dict[tuple[str, str], int | None] = {}
        for code, (by_community, by_officers) in zip(codes, pairs, strict=True):
            ratings[(code, "community")] = by_community
            ratings[(code, "officers")] = by_officers
        entry = Entry(datetime.date.fromisoformat(held_on), community, officers, "", ratings)
        save_place_standard(assessment, entry, by=pm, opened_version=None)
        if stage_code == "SBC":
            workflow.set_synthetic_statuses({"signed_off": [assessment.pk]})
