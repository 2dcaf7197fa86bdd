"""The consultation page as a resident on the panel reads it: the right state, plain words, what
happens next, and the app's own message for an empty comment."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.community import consultation as community
from assessments.models import CommunityComment
from assessments.review import workflow
from tests.factories import add_harm, ready_to_submit


@pytest.fixture
def submitted(team):
    assessment = ready_to_submit(team, stage="STRATEGIC")
    add_harm(assessment, likelihood=3, severity=3, mitigation="Quiet hours", owner="Site manager")
    workflow.submit(assessment, team.pm)
    return assessment


def page_for(client, user, assessment) -> str:
    client.force_login(user)
    return client.get(reverse("assessments:consultation", args=[assessment.pk])).content.decode()


def test_a_consultation_never_opened_is_not_called_closed(submitted, team, client):
    page = page_for(client, team.pm, submitted)

    assert "Not open for comments yet" in page
    assert "closed" not in page.lower().replace("closes", "")


def test_open_then_closed_consultation_says_so_with_its_dates(submitted, team, client):
    community.open_consultation(submitted, team.pm)
    assert "Open for comments" in page_for(client, team.panel, submitted)

    community.close_consultation(submitted, team.pm)
    page = page_for(client, team.panel, submitted)
    assert "Closed for comments" in page and "Open for comments" not in page


def test_the_panel_reads_plain_words_and_what_happens_next(submitted, team, client):
    community.open_consultation(submitted, team.pm)
    page = page_for(client, team.panel, submitted)

    for internal in ("SIMD", "quintile", "rule set", "rule-set", "data zone"):
        assert internal.lower() not in page.lower(), internal
    assert not re.search(r"\bS0\d{7}\b", page), "a data-zone code is shown to the panel"
    assert "full health impact assessment</strong>: a longer, independent study" in page
    assert "you said, we did" in page


def test_an_empty_comment_gets_the_apps_own_message_by_the_field(submitted, team, client):
    community.open_consultation(submitted, team.pm)
    client.force_login(team.panel)
    page = page_for(client, team.panel, submitted)
    form = page[page.index('action="' + reverse("assessments:comment-add", args=[submitted.pk])) :]
    assert "novalidate" in form[: form.index(">")]

    response = client.post(reverse("assessments:comment-add", args=[submitted.pk]), {"text": "   "})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in body
    assert body.count("Write your comment before you send it.") == 2  # summary and field
    assert not CommunityComment.objects.exists()
