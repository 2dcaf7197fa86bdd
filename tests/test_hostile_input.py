"""Every free-text field tried with markup and script, over-long input and odd Unicode.

Stored exactly as given; shown escaped on every page that shows it (every URL pattern is
visited, so new pages are covered automatically); refused with a message next to the field when
too long or containing a NUL character; never a server error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from assessments.enums import Role
from assessments.models import Answer, AssessmentSection, CapitalProject, LifecycleStage
from tests.factories import answer_payload, make_assessment, make_user
from tests.test_url_walk import candidate_values, walk

MARKUP = '<script>alert("chiia")</script><img src=x onerror=alert(1)>"\'><b>bold</b> {{ 7|add:7 }} &amp; &lt;'
UNICODE = (
    "RTL \u202eoverride\u202c, zero\u200dwidth\u200b, emoji 👩🏽\u200d⚕️ 🏳️\u200d🌈, combining e\u0301 a\u0308 "
    "Z\u0335\u0321a\u0336\u0322, CJK 健康, Gàidhlig slàinte, maths 𝔄 ∑"
)
RAW_MARKUP = ['<script>alert("chiia")', "<img src=x onerror", "<b>bold</b>"]
ESCAPED_MARKUP = "&lt;script&gt;alert("

PROJECT_TEXT = {"title": 200, "reference": 40, "description": 5000}
ANSWER_TEXT = {
    "pathway": 2000,
    "evidence_notes": 4000,
    "mitigation": 4000,
    "mitigation_owner": 200,
    "delivery_mechanism": 300,
    "monitoring_indicator": 300,
    "indicator_baseline": 300,
    "notes": 4000,
}
SECTION_TEXT = {"not_assessed_reason": 2000}


@pytest.fixture
def manager(glasgow):
    return make_user(council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def sro(glasgow):
    return make_user(council=glasgow, role=Role.SRO)


@pytest.fixture
def assessment(glasgow, manager):
    return make_assessment(council=glasgow, by=manager)


def project_data(glasgow, manager, sro, **text):
    return {
        "title": "Bridgeton cycle hub",
        "council": glasgow.pk,
        "reference": "GCC-AT-101",
        "description": "Cycle parking.",
        "project_type": "transport",
        "budget": "1250000",
        "postcodes_text": "",
        "data_zones_text": "",
        "senior_responsible_officer": sro.pk,
        "project_manager": manager.pk,
        "current_stage": LifecycleStage.objects.get(code="SBC").pk,
        **text,
    }


def section_data(assessment, code="D05", **text):
    """Every question 'no impact' except the first: a harm with every free-text field filled."""
    section = AssessmentSection.objects.get(assessment=assessment, determinant__code=code)
    answers = list(
        assessment.answers.filter(question__determinant__code=code).order_by("question__order")
    )
    answer_text = {k: v for k, v in text.items() if k in ANSWER_TEXT}
    data = {
        "version": section.version,
        "then": "overview",
        "not_assessed_reason": text.get("not_assessed_reason", ""),
    }
    for index, answer in enumerate(answers):
        values = {"direction": "no_impact", "reversible": "yes"}
        if index == 0:
            values = {
                "direction": "negative",
                "likelihood": 3,
                "severity": 2,
                "duration": "long",
                "reach": "locality",
                "reversible": "yes",
                "residual_likelihood": 2,
                "residual_severity": 1,
                "mitigation_owner": "Site manager",
                **answer_text,
            }
        data.update(answer_payload(f"a{answer.pk}", **values))
    return data, answers[0]


def every_page(project, assessment, client):
    """Every non-admin URL pattern filled with this project's and assessment's ids: (url, response)."""
    pools = {
        "int": sorted({project.pk, assessment.pk}),
        "uuid": [],
        "council": [project.council_id],
        "person": [project.project_manager_id],
    }
    for route in walk():
        if route.name.startswith("admin") or route.name in {"logout"}:
            continue
        for values in candidate_values(route, pools) or [{}]:
            url = route.url(values)
            response = client.get(url)
            if response.status_code == 200:
                yield url, response


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def assert_shown_escaped(project, assessment, client):
    shown = False
    for url, response in every_page(project, assessment, client):
        kind = response.get("Content-Type", "")
        if kind.startswith("application/pdf"):
            # Markup rendered as markup would lose its tags: any "bold" must come with them.
            # (Whitespace is dropped first: table cells wrap long text at any point.)
            text = "".join(pdf_text(response.content).split())
            assert text.count("bold") == text.count("<b>bold</b>"), url
            continue
        if not kind.startswith("text/html"):
            continue
        body = response.content.decode()
        for raw in RAW_MARKUP:
            assert raw not in body, f"{url} shows unescaped {raw!r}"
        shown = shown or ESCAPED_MARKUP in body
    assert shown, "the hostile text was not shown on any page"


def test_markup_in_project_text_is_stored_as_given_and_always_shown_escaped(
    client_for, glasgow, manager, sro
):
    client = client_for(manager)
    # A reference keeps to letters, digits, hyphens and full stops (tested in test_views_projects).
    text = {name: MARKUP[:limit] for name, limit in PROJECT_TEXT.items() if name != "reference"}
    response = client.post(
        reverse("assessments:project-create"), project_data(glasgow, manager, sro, **text)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = CapitalProject.objects.get(council=glasgow, title=text["title"])
    for name, value in text.items():
        assert getattr(project, name) == value
    assessment = make_assessment(project=project, by=manager)
    assert_shown_escaped(project, assessment, client)


def test_markup_in_answers_is_stored_as_given_and_always_shown_escaped(
    client_for, assessment, manager
):
    client = client_for(manager)
    text = dict.fromkeys({**ANSWER_TEXT, **SECTION_TEXT}, MARKUP)
    data, answer = section_data(assessment, **text)
    response = client.post(reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    answer.refresh_from_db()
    for name in ANSWER_TEXT:
        assert getattr(answer, name) == MARKUP, name
    assert (
        AssessmentSection.objects.get(
            assessment=assessment, determinant__code="D05"
        ).not_assessed_reason
        == MARKUP
    )
    assert_shown_escaped(assessment.project, assessment, client)


def test_odd_unicode_is_stored_and_shown_exactly(client_for, assessment, glasgow, manager, sro):
    client = client_for(manager)
    response = client.post(
        reverse("assessments:project-create"),
        project_data(
            glasgow, manager, sro, title=UNICODE[:200], description=UNICODE, reference="GCC-健康-1"
        ),
    )
    assert response.status_code == 302
    project = CapitalProject.objects.get(reference="GCC-健康-1")
    assert (project.title, project.description) == (UNICODE[:200], UNICODE)
    data, answer = section_data(assessment, pathway=UNICODE, notes=UNICODE)
    assert (
        client.post(
            reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data
        ).status_code
        == 302
    )
    answer.refresh_from_db()
    assert answer.pathway == UNICODE and answer.notes == UNICODE
    assert UNICODE in client.get(project.get_absolute_url()).content.decode()
    assert (
        UNICODE
        in client.get(
            reverse("assessments:section-edit", args=[assessment.pk, "D05"])
        ).content.decode()
    )


@pytest.mark.parametrize("field, limit", PROJECT_TEXT.items())
def test_over_long_project_text_is_refused_next_to_the_field(
    client_for, glasgow, manager, sro, field, limit
):
    response = client_for(manager).post(
        reverse("assessments:project-create"),
        project_data(glasgow, manager, sro, **{field: "x" * (limit + 1)}),
    )
    assert response.status_code == 200
    assert f"at most {limit} characters" in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and 'aria-invalid="true"' in body
    assert not CapitalProject.objects.exists()


@pytest.mark.parametrize("field, limit", {**ANSWER_TEXT, **SECTION_TEXT}.items())
def test_over_long_answer_text_is_refused_next_to_the_field(
    client_for, assessment, manager, field, limit
):
    data, answer = section_data(assessment, **{field: "y" * (limit + 1)})
    response = client_for(manager).post(
        reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data
    )
    assert response.status_code == 400
    form = (
        response.context["meta"]
        if field in SECTION_TEXT
        else {a.pk: f for a, f in response.context["forms"]}[answer.pk]
    )
    assert f"at most {limit} characters" in " ".join(form.errors[field])
    # The summary at the top names the field's own message and links to the field.
    summary = response.content.decode().split('id="error-summary"')[1].split("</ul>")[0]
    assert f"at most {limit} characters" in summary
    assert f'href="#{form[field].id_for_label}"' in summary
    assert not Answer.objects.filter(assessment=assessment).exclude(direction="").exists()


@pytest.mark.parametrize("field", [*PROJECT_TEXT, *ANSWER_TEXT])
def test_a_nul_character_is_refused_clearly_not_a_server_error(
    client_for, glasgow, manager, sro, assessment, field
):
    client = client_for(manager)
    if field in PROJECT_TEXT:
        response = client.post(
            reverse("assessments:project-create"),
            project_data(glasgow, manager, sro, **{field: "a\x00b"}),
        )
        errors = response.context["form"].errors[field]
        assert response.status_code == 200
    else:
        data, answer = section_data(assessment, **{field: "a\x00b"})
        response = client.post(
            reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data
        )
        errors = {a.pk: f for a, f in response.context["forms"]}[answer.pk].errors[field]
        assert response.status_code == 400
    assert "Null characters are not allowed" in " ".join(errors)
