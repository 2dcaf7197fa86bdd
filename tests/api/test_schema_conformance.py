"""Schemathesis against the live API: every operation of the served OpenAPI schema, with
generated parameters (valid and not), answers without a server error and with a body, status
and content type the schema describes. Runs on whichever database DATABASE_URL names."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from assessments.enums import AssessmentStatus
from tests.factories import (
    Team,
    add_harm,
    answer_everything,
    force_status,
    make_api_token,
    make_team_project,
    start,
)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Small: the point is every operation and both kinds of input, not a long search (≈ 10 s).
EXAMPLES_PER_OPERATION = 5


@pytest.fixture
def api_caller(live_server, reference):
    team = Team()
    assessment = start(make_team_project(team), by=team.pm)
    answer_everything(assessment)
    add_harm(assessment)
    force_status(assessment, AssessmentStatus.SUBMITTED)
    return live_server.url, {"Authorization": f"Bearer {make_api_token(team.pmo)}"}


def test_every_operation_answers_as_its_schema_says(api_caller):
    base_url, headers = api_caller
    schema = schemathesis.openapi.from_url(
        f"{base_url}/api/v1/schema/?format=json", headers=headers, timeout=30
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/projects/", "/api/v1/dashboard/"}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case):
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

        answers_as_described()
