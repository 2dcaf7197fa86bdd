"""The privacy notice: public, linked from the sign-in page, the footer and every email; names the
council and its data protection officer as that council's administrators set them; shows the
published retention periods; its reading age is shown to the administrator who edits it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import CouncilPrivacy
from assessments.privacy import notice
from assessments.review import workflow
from tests.factories import ready_to_submit

pytestmark = pytest.mark.django_db
NOTICE = "/privacy/"


def test_anyone_can_read_it_without_signing_in_and_the_sign_in_page_links_it(reference):
    page = Client().get(NOTICE)
    assert page.status_code == 200
    for words in (
        "How CHIIA uses your personal data",
        "public task",
        "Information Commissioner",
        "0303 123 1113",
        "Records of sign-in attempts and sign-ins",
        "3 months",
        "6 months",
        "30 days",
        "1 year",
        "2 years",
        "get a copy of the data we hold about you",
    ):
        assert words in page.text, words
    sign_in = Client().get(reverse("login"))
    assert f'href="{NOTICE}"' in sign_in.text


def test_the_footer_of_every_page_links_it(team, client_for):
    page = client_for(team.pm).get(reverse("assessments:project-list"))
    assert f'<a href="{NOTICE}">Privacy notice</a>' in page.text


def test_every_email_links_it(team, django_capture_on_commit_callbacks):
    assessment = ready_to_submit(team)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(assessment, team.pm)
    assert mail.outbox
    for message in mail.outbox:
        assert f"How CHIIA uses your personal data: http://127.0.0.1:8000{NOTICE}" in message.body


def test_a_council_administrator_sets_the_controller_and_dpo_details(team, client_for):
    url = reverse("assessments:privacy-contacts", args=[team.council.pk])
    client = client_for(team.admin)
    page = client.get(url)
    assert page.status_code == 200 and "Reading age about" in page.text
    response = client.post(
        url,
        {
            "contact_email": "info@glasgow.example",
            "contact_phone": "0141 000 0000",
            "dpo_name": "Data Protection Officer",
            "dpo_email": "dpo@glasgow.example",
        },
    )
    assert response.status_code == 302
    saved = CouncilPrivacy.objects.get(council=team.council)
    assert saved.updated_by == team.admin
    public = Client().get(NOTICE, {"council": team.council.code})
    assert f"{team.council.name} is responsible" in public.text
    assert "dpo@glasgow.example" in public.text and "0141 000 0000" in public.text
    other = Client().get(NOTICE, {"council": team.other_council.code})
    assert "dpo@glasgow.example" not in other.text
    assert "has not added its contact details yet" in other.text


def test_bad_input_is_refused_by_the_field_and_changes_nothing(team, client_for):
    url = reverse("assessments:privacy-contacts", args=[team.council.pk])
    page = client_for(team.admin).post(url, {"dpo_email": "not an email"})
    assert page.status_code == 200
    assert "Enter a valid email address" in page.text
    assert not CouncilPrivacy.objects.exists()


@pytest.mark.parametrize("who", ["other_admin", "pm", "reviewer", "panel", "pmo"])
def test_only_that_councils_administrators_edit_it(team, client_for, who):
    url = reverse("assessments:privacy-contacts", args=[team.council.pk])
    client = client_for(getattr(team, who))
    assert client.get(url).status_code == 403
    assert client.post(url, {"dpo_email": "x@example.org"}).status_code == 403
    assert not CouncilPrivacy.objects.exists()


def test_the_notice_is_plain_reading_age_is_measured_on_what_readers_get(team):
    level = notice.reading_level(notice.notice_text(team.council))
    assert level.reading_age <= 14, level
    hard = notice.reading_level(
        "Notwithstanding the aforementioned considerations, processing "
        "operations necessitate comprehensive organisational accountability mechanisms."
    )
    assert hard.reading_age > level.reading_age and "Hard to read" in hard.verdict
