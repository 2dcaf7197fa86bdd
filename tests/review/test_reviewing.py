"""The reviewer's review page: what each score came from, progress, filters, bulk verdicts,
verdicts recorded in place, and what changed between rounds."""

from __future__ import annotations

import re

from django.urls import reverse

from assessments.models import Action, ReviewVerdict
from assessments.review import workflow
from tests.factories import force_status, stage_in_review

HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client, assessment, show=""):
    url = reverse("assessments:review", args=[assessment.pk])
    return client.get(url + (f"?show={show}" if show else "")).content.decode()


def _card(page: str, answer) -> str:
    start = page.index(f'id="answer-{answer.pk}"')
    return page[start : page.index("</article>", start)]


def _harm(assessment):
    return assessment.answers.filter(direction="negative").order_by("question__code").first()


def test_each_card_says_what_the_score_came_from_in_plain_words(team, client):
    a = stage_in_review(team)
    client.force_login(team.reviewer)
    card = _card(_page(client, a), _harm(a))
    for words in (
        "Harm (negative)",
        "significance band",
        "Score −",
        "significance ",
        "Definite",  # likelihood
        "Moderate",  # severity
        "Locality (1,000 to 10,000 people)",
        "Long (over 5 years), reversible",
        "People living in deprived areas (disproportionately affected)",
        "Who is affected: disproportionate on",
        "Mitigation: Hoardings and quiet hours. (Contractor) – not yet an action in the plan",
    ):
        assert words in card, words
    assert "SE_AREA_DEP" not in card  # group names, not codes


def test_a_benefit_is_never_shown_with_a_red_badge(team, client):
    a = stage_in_review(team)
    benefit = a.answers.get(direction="positive")
    client.force_login(team.reviewer)
    card = _card(_page(client, a), benefit)
    assert "Benefit (positive)" in card
    assert 'class="band band-benefit">High<' in card
    assert "band-high" not in card and "direction-harm" not in card and "rag-red" not in card


def test_progress_filters_and_accepting_every_no_impact_answer_at_once(team, client):
    a = stage_in_review(team)
    client.force_login(team.reviewer)
    page = _page(client, a)
    assert "0 of 45 reviewed" in page
    assert "Accept all 40 no-impact answers" in page
    assert _page(client, a, "harms").count('class="card mb-3 review-card') == 4

    response = client.post(reverse("assessments:accept-no-impact", args=[a.pk]), follow=True)
    assert "40 no-impact answers accepted." in response.content.decode()
    assert ReviewVerdict.objects.filter(assessment=a, verdict="acceptable").count() == 40
    assert not Action.objects.filter(kind="review").exists()  # acceptable adds no action
    page = _page(client, a)
    assert "40 of 45 reviewed" in page and "Accept all" not in page
    assert _page(client, a, "pending").count('class="card mb-3 review-card') == 5
    # Nothing left to accept: a second press records nothing.
    client.post(reverse("assessments:accept-no-impact", args=[a.pk]))
    assert ReviewVerdict.objects.filter(assessment=a).count() == 40


def test_bulk_verdicts_are_refused_to_others_and_outside_review(team, client):
    a = stage_in_review(team)
    url = reverse("assessments:accept-no-impact", args=[a.pk])
    for user in (team.pm, team.other_reviewer):
        client.force_login(user)
        assert client.post(url).status_code in (403, 404)
    force_status(a, "signed_off")
    client.force_login(team.reviewer)
    assert client.post(url).status_code == 403
    assert not ReviewVerdict.objects.exists()


def test_a_verdict_is_recorded_in_place(team, client):
    a = stage_in_review(team)
    harm = _harm(a)
    client.force_login(team.reviewer)
    response = client.post(
        reverse("assessments:verdict", args=[a.pk, harm.pk]),
        {f"v{harm.pk}-verdict": "acceptable"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and f'id="answer-{harm.pk}"' in html
    assert "recorded: acceptable" in html and "Reviewed this round" in html
    assert 'hx-swap-oob="innerHTML"' in html and "1 of 45 reviewed" in html


def test_a_refused_verdict_keeps_the_choice_and_shows_the_error_at_the_card(team, client):
    a = stage_in_review(team)
    harm = _harm(a)
    client.force_login(team.reviewer)
    url = reverse("assessments:verdict", args=[a.pk, harm.pk])
    data = {f"v{harm.pk}-verdict": "to_correct", f"v{harm.pk}-override_reason": "kept"}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 400
    card = response.content.decode()
    assert re.search(r'value="to_correct"[^>]*checked|checked[^>]*value="to_correct"', card)
    assert "data-verdict-error" in card and "Say what should be improved or corrected." in card
    assert 'aria-invalid="true"' in card and 'value="kept"' in card
    # Without JavaScript: the whole page again, the error at the card and linked from the top.
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#verdict-message-{harm.pk}"' in page
    assert re.search(r'value="to_correct"[^>]*checked|checked[^>]*value="to_correct"', page)
    assert not ReviewVerdict.objects.exists()


def test_second_round_marks_what_changed_and_accepts_the_unchanged_again(team, client):
    a = stage_in_review(team)
    harm = _harm(a)
    client.force_login(team.reviewer)
    client.post(reverse("assessments:accept-no-impact", args=[a.pk]))
    for answer in a.answers.exclude(direction="no_impact"):
        client.post(
            reverse("assessments:verdict", args=[a.pk, answer.pk]),
            {f"v{answer.pk}-verdict": "acceptable"},
        )
    workflow.request_changes(a, team.reviewer, note="Check the likelihood of D01.")
    harm.likelihood = 2  # the project manager's change
    harm.save()
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)

    page = _page(client, a)
    assert "0 of 45 reviewed" in page
    assert "Accept again the 44 answers you accepted last round" in page
    card = _card(page, harm)
    assert "Changed since your last verdict" in card
    assert "Likelihood: was <del>Definite</del>, now <ins>Possible</ins>" in card
    changed = _page(client, a, "changed")
    assert changed.count('class="card mb-3 review-card') == 1

    client.post(reverse("assessments:accept-unchanged", args=[a.pk]))
    page = _page(client, a)
    assert "44 of 45 reviewed" in page
    assert "Not yet reviewed" in _card(page, harm)


def test_the_page_reads_a_fixed_number_of_queries_however_many_verdicts_and_overrides(
    team, client, django_assert_max_num_queries
):
    a = stage_in_review(team)
    client.force_login(team.reviewer)
    client.post(reverse("assessments:accept-no-impact", args=[a.pk]))
    for answer in a.answers.exclude(direction="no_impact"):
        client.post(
            reverse("assessments:verdict", args=[a.pk, answer.pk]),
            {
                f"v{answer.pk}-verdict": "acceptable",
                f"v{answer.pk}-override_band": "low",
                f"v{answer.pk}-override_reason": "Short works near few homes",
            },
        )
    with django_assert_max_num_queries(20):
        page = _page(client, a)
    assert page.count("Short works near few homes") == 5
