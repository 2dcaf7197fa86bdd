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


HARD = (
    "The intervention will deliver substantial improvements in the accessibility of the "
    "neighbourhood infrastructure, notwithstanding considerable implementation uncertainties "
    "regarding procurement and contractual arrangements."
)
PLAIN = (
    "We want to make the path by the school wider and safer. Children will be able to walk "
    "to school away from the traffic. Work starts in the spring."
)


def save_summary(client, assessment, text, version=""):
    return client.post(
        reverse("assessments:public-summary-save", args=[assessment.pk]),
        {"text": text, "version": version},
    )


def test_the_summary_reaches_the_panel_only_once_a_reviewer_approves_it(submitted, team, client):
    community.open_consultation(submitted, team.pm)
    client.force_login(team.pm)
    save_summary(client, submitted, PLAIN)
    assert PLAIN not in page_for(client, team.panel, submitted)

    staff_page = page_for(client, team.reviewer, submitted)
    version = re.search(r'name="version" value="([^"]+)"', staff_page).group(1)
    client.post(
        reverse("assessments:public-summary-approve", args=[submitted.pk]), {"version": version}
    )
    panel_page = page_for(client, team.panel, submitted)
    assert "In short" in panel_page and PLAIN in panel_page

    # Changing the text withdraws the approval until a reviewer reads it again.
    pm_page = page_for(client, team.pm, submitted)
    version = re.search(r'name="version" value="([^"]+)"', pm_page).group(1)
    save_summary(client, submitted, PLAIN + " It will cost less than planned.", version)
    assert "It will cost less" not in page_for(client, team.panel, submitted)


def test_the_team_sees_the_reading_age_and_a_warning_above_twelve(submitted, team, client):
    client.force_login(team.pm)
    save_summary(client, submitted, HARD)
    page = page_for(client, team.pm, submitted)
    age = int(re.search(r"Reading age: <strong>(\d+) years", page).group(1))
    assert age > 12 and "Hard to read." in page

    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    save_summary(client, submitted, PLAIN, version)
    page = page_for(client, team.pm, submitted)
    assert int(re.search(r"Reading age: <strong>(\d+) years", page).group(1)) <= 12
    assert "Hard to read." not in page


def test_a_stale_summary_save_overwrites_nothing(submitted, team, client):
    client.force_login(team.pm)
    save_summary(client, submitted, PLAIN)
    response = save_summary(client, submitted, "An older draft from another tab.", version="")

    assert response.status_code == 400
    assert "Someone else changed the summary" in response.content.decode()
    assert submitted.public_summary.text == PLAIN


def test_only_the_project_manager_writes_and_only_a_reviewer_approves(submitted, team, client):
    for user in (team.panel, team.reviewer, team.other_pm):
        client.force_login(user)
        assert save_summary(client, submitted, PLAIN).status_code in {403, 404}
    client.force_login(team.pm)
    save_summary(client, submitted, PLAIN)
    version = submitted.public_summary.written_at.isoformat()
    for user in (team.pm, team.panel, team.other_reviewer):
        client.force_login(user)
        url = reverse("assessments:public-summary-approve", args=[submitted.pk])
        assert client.post(url, {"version": version}).status_code in {403, 404}
    submitted.public_summary.refresh_from_db()
    assert not submitted.public_summary.approved
