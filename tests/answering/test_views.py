import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.answering import editing
from assessments.enums import Role
from assessments.models import Answer, AssessmentSection, Determinant, RuleSet
from tests.factories import answer_payload, make_assessment, make_project, make_user


@pytest.fixture
def manager(glasgow):
    return make_user(council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def assessment(glasgow, manager):
    return make_assessment(council=glasgow, stage_code="SBC", by=manager)


def section_url(assessment, code="D05"):
    return reverse("assessments:section-edit", args=[assessment.pk, code])


def section_post(assessment, code="D05", *, version=None, overrides=None):
    """Form data answering every question of a section 'no impact', with overrides per question code."""
    determinant = Determinant.objects.get(code=code)
    section = AssessmentSection.objects.get(assessment=assessment, determinant=determinant)
    data = {"version": section.version if version is None else version, "then": "overview"}
    for answer in assessment.answers.filter(question__determinant=determinant).select_related(
        "question"
    ):
        values = {"direction": "no_impact", "reversible": "yes"}
        values.update((overrides or {}).get(answer.question.code, {}))
        data.update(answer_payload(f"a{answer.pk}", **values))
    return data


def first_code(assessment, code="D05"):
    return (
        assessment.answers.filter(question__determinant__code=code)
        .order_by("question__order")
        .first()
        .question.code
    )


def test_manager_starts_the_current_stage_assessment(client_for, glasgow, manager):
    project = make_project(council=glasgow, stage_code="OBC")
    response = client_for(manager).post(reverse("assessments:assessment-start", args=[project.pk]))
    assessment = project.assessments.get()
    assert response.url == assessment.get_absolute_url()
    assert assessment.stage.code == "OBC"
    assert assessment.question_bank.version == "1"
    assert assessment.rule_set == RuleSet.objects.latest()


def test_starting_twice_does_not_create_a_second_assessment(client_for, glasgow, manager):
    project = make_project(council=glasgow)
    client = client_for(manager)
    client.post(reverse("assessments:assessment-start", args=[project.pk]))
    response = client.post(reverse("assessments:assessment-start", args=[project.pk]), follow=True)
    assert project.assessments.count() == 1
    assert "already exists" in response.content.decode()


def test_saving_a_section_stores_answers_and_updates_completeness_and_scores(
    client_for, assessment, manager
):
    code = first_code(assessment)
    harm = {
        "direction": "negative",
        "likelihood": 4,
        "severity": 2,
        "duration": "medium",
        "reach": "locality",
        "groups": ["SE_AREA_DEP", "PC_AGE_CHILD"],
        "disproportionate": ["SE_AREA_DEP", "PC_AGE_CHILD"],
        "evidence_strength": "moderate",
        "mitigation": "Construction management plan",
        "mitigation_owner": "Site manager",
        "pathway": "Dust and noise beside the primary school",
    }
    client = client_for(manager)
    response = client.post(
        section_url(assessment), section_post(assessment, overrides={code: harm})
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    assert (answer.direction, answer.likelihood, answer.severity) == ("negative", 4, 2)
    assert sorted(
        answer.groups.filter(disproportionate=True).values_list("group__code", flat=True)
    ) == [
        "PC_AGE_CHILD",
        "SE_AREA_DEP",
    ]
    assessment.refresh_from_db()
    scored = {a["key"]: a for a in assessment.score_snapshot["answers"]}
    # definite (4) x magnitude 3 (moderate 2 + locality 1) = 12; x 2.0 for two priority groups = -24
    assert scored[code]["weighted"] == "-24.00"
    assert scored[code]["band"] == "high"
    assert assessment.overall_rating == "red"
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "-24.00" in page
    assert "× 2.0" in page
    determinant_rows = {
        s.determinant.code: s
        for s in client.get(assessment.get_absolute_url()).context["overview"].sections
    }
    applicable = assessment.answers.filter(question__determinant__code="D05").count()
    assert (determinant_rows["D05"].answered, determinant_rows["D05"].applicable) == (
        applicable,
        applicable,
    )
    assert determinant_rows["D01"].answered == 0


@pytest.mark.parametrize(
    "values,field,message",
    [
        (
            {"direction": "no_impact", "likelihood": 3},
            "likelihood",
            "Only give this for a positive, negative or uncertain",
        ),
        (
            {"direction": "", "severity": 2},
            "severity",
            "Only give this for a positive, negative or uncertain",
        ),
        (
            {
                "direction": "negative",
                "likelihood": 9,
                "severity": 2,
                "duration": "long",
                "reach": "locality",
            },
            "likelihood",
            "Select a valid choice",
        ),
        ({"direction": "sideways"}, "direction", "Select a valid choice"),
        ({"direction": "no_impact", "notes": "z" * 4001}, "notes", "at most 4000 characters"),
        (
            {
                "direction": "positive",
                "likelihood": 3,
                "severity": 1,
                "duration": "long",
                "reach": "locality",
                "groups": ["SE_LOW_INCOME"],
                "disproportionate": ["PC_RACE"],
            },
            "disproportionate",
            "Tick these groups as affected",
        ),
    ],
)
def test_invalid_answers_get_a_message_next_to_the_field_and_change_nothing(
    client_for, assessment, manager, values, field, message
):
    code = first_code(assessment)
    section = AssessmentSection.objects.get(assessment=assessment, determinant__code="D05")
    response = client_for(manager).post(
        section_url(assessment), section_post(assessment, overrides={code: values})
    )
    assert response.status_code == 400
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    form = {a.pk: f for a, f in response.context["forms"]}[answer.pk]
    assert message in " ".join(form.errors[field])
    assert answer.direction == ""
    assert not assessment.answers.exclude(direction="").exists()
    section.refresh_from_db()
    assert section.version == 0


def test_garbage_posts_never_cause_a_server_error(client_for, assessment, manager):
    client = client_for(manager)
    for data in (
        {},
        {"version": "abc"},
        {"version": "-1"},
        {"version": "0", "a999999-direction": "negative"},
    ):
        response = client.post(section_url(assessment), data)
        assert response.status_code in (200, 302, 400, 409)
    assert client.get(section_url(assessment, "D99")).status_code == 404


def test_a_stale_section_save_is_refused_shows_what_changed_and_loses_nothing(
    client_for, assessment, manager, glasgow
):
    code = first_code(assessment)
    colleague = make_user(
        council=glasgow, role=Role.CONTRIBUTOR, first_name="Tariq", last_name="Hussain"
    )
    colleague_client = Client()
    colleague_client.force_login(colleague)
    opened = section_post(assessment)  # both open the section at version 0
    colleague_values = {
        "direction": "positive",
        "likelihood": 3,
        "severity": 1,
        "duration": "long",
        "reach": "locality",
        "distribution": "even",
    }
    theirs = section_post(assessment, version=0, overrides={code: colleague_values})
    assert colleague_client.post(section_url(assessment), theirs).status_code == 302

    mine = dict(opened)
    mine.update(
        answer_payload(
            f"a{Answer.objects.get(assessment=assessment, question__code=code).pk}",
            direction="uncertain",
            notes="My careful notes",
        )
    )
    response = client_for(manager).post(section_url(assessment), mine)

    assert response.status_code == 409
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    assert answer.direction == "positive" and answer.updated_by == colleague  # theirs kept
    body = response.content.decode()
    assert "Tariq Hussain saved this section after you opened it" in body
    assert "My careful notes" in body  # mine still in the form
    changes = {
        (conflict.question_code, change.field): (change.saved_value, change.your_value)
        for conflict in response.context["conflict"].conflicts
        for change in conflict.changes
    }
    assert changes[(code, "direction")] == ("positive", "uncertain")
    # The form did not say what was opened, so every answer that differs is asked about.
    assert [c.question_code for c in response.context["conflict"].conflicts] == [code]
    # Choosing to keep mine on the page that asks now succeeds.
    retry = dict(mine)
    retry.update({"version": "1", f"a{answer.pk}-asked": "True", f"a{answer.pk}-keep": "mine"})
    assert client_for(manager).post(section_url(assessment), retry).status_code == 302
    assert Answer.objects.get(assessment=assessment, question__code=code).direction == "uncertain"


FORM_FIELDS = (*editing.ANSWER_FIELDS, "groups", "disproportionate", "asked", "keep")


def page_data(response) -> dict:
    """What the browser would send back from a section page, unchanged."""
    opened = re.search(r'name="opened" value="([^"]*)"', response.content.decode())
    meta = response.context["meta"]
    data = {
        "then": "overview",
        "version": meta["version"].value(),
        "opened": opened.group(1) if opened else "",
        "not_assessed_reason": meta["not_assessed_reason"].value() or "",
        "asked": (meta["asked"].value() or "") if "asked" in meta.fields else "",
    }
    for answer, form in response.context["forms"]:
        data.update(
            answer_payload(
                f"a{answer.pk}",
                **{name: form[name].value() for name in FORM_FIELDS if name in form.fields},
            )
        )
    return data


def harm(notes=""):
    return {
        "direction": "negative",
        "likelihood": 3,
        "severity": 2,
        "duration": "long",
        "reach": "locality",
        "notes": notes,
    }


@pytest.fixture
def colleague(glasgow):
    colleague = make_user(
        council=glasgow, role=Role.CONTRIBUTOR, first_name="Tariq", last_name="Hussain"
    )
    client = Client()
    client.force_login(colleague)
    return colleague, client


def two_answers(assessment):
    x, y = assessment.answers.filter(question__determinant__code="D05").order_by("question__order")[
        :2
    ]
    return x, y


def test_a_stale_save_writes_only_what_i_changed_and_keeps_my_colleagues_answers(
    client_for, assessment, manager, colleague
):
    tariq, tariq_client = colleague
    x, y = two_answers(assessment)
    mine_page = client_for(manager).get(section_url(assessment))  # both open the section
    theirs = page_data(tariq_client.get(section_url(assessment)))
    theirs.update(answer_payload(f"a{x.pk}", **harm("Tariq's evidence")))
    assert tariq_client.post(section_url(assessment), theirs).status_code == 302

    mine = page_data(mine_page)
    mine.update(answer_payload(f"a{y.pk}", direction="no_impact", notes="My note"))
    response = client_for(manager).post(section_url(assessment), mine, follow=True)

    assert response.redirect_chain and response.status_code == 200
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.direction, x.notes, x.updated_by) == (
        "negative",
        "Tariq's evidence",
        tariq,
    )  # theirs kept
    assert (y.direction, y.notes, y.updated_by) == ("no_impact", "My note", manager)  # mine written
    kept = f"after you opened this section were kept: {x.question.code} (by Tariq Hussain)"
    assert kept in response.content.decode()
    assert (
        AssessmentSection.objects.get(assessment=assessment, determinant__code="D05").version == 2
    )


@pytest.mark.parametrize(
    "keep, expected", [("mine", ("uncertain", "My view")), ("theirs", ("negative", ""))]
)
def test_where_both_changed_one_answer_i_am_asked_about_that_answer_only(
    client_for, assessment, manager, colleague, keep, expected
):
    tariq, tariq_client = colleague
    x, y = two_answers(assessment)
    client = client_for(manager)
    mine_page = client.get(section_url(assessment))
    theirs = page_data(tariq_client.get(section_url(assessment)))
    theirs.update(answer_payload(f"a{x.pk}", **harm()))
    assert tariq_client.post(section_url(assessment), theirs).status_code == 302

    mine = page_data(mine_page)
    mine.update(answer_payload(f"a{x.pk}", direction="uncertain", notes="My view"))
    mine.update(answer_payload(f"a{y.pk}", direction="no_impact", notes="My note"))
    response = client.post(section_url(assessment), mine)

    assert response.status_code == 409  # nothing written yet
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.direction, y.direction) == ("negative", "")
    conflicts = response.context["conflict"].conflicts
    assert [(c.question_code, c.saved_by) for c in conflicts] == [
        (x.question.code, "Tariq Hussain")
    ]
    body = response.content.decode()
    assert (
        "Which version do you want to keep?" in body
        and "Keep theirs (as saved now by Tariq Hussain)" in body
    )
    forms = {answer.pk: form for answer, form in response.context["forms"]}
    assert [pk for pk, form in forms.items() if form.asking] == [x.pk]  # asked about X only
    # The comparison is worded as the form words it.
    assert ("Impact on health", "Negative", "Uncertain / don't know") in forms[x.pk].compare
    assert ("Likelihood", "Probable", "(blank)") in forms[x.pk].compare
    assert forms[y.pk]["notes"].value() == "My note"  # my other change is still in the form

    # Saving without choosing asks again; choosing saves.
    again = page_data(response)
    assert client.post(section_url(assessment), again).status_code == 409
    again[f"a{x.pk}-keep"] = keep
    assert client.post(section_url(assessment), again).status_code == 302
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.direction, x.notes) == expected
    assert (y.direction, y.notes) == ("no_impact", "My note")


def test_users_of_another_council_cannot_see_or_edit_the_assessment(
    client_for, assessment, renfrewshire
):
    outsider = make_user(council=renfrewshire, role=Role.PROJECT_MANAGER)
    client = client_for(outsider)
    assert client.get(assessment.get_absolute_url()).status_code == 404
    assert client.post(section_url(assessment), section_post(assessment)).status_code == 404
    assert not assessment.answers.exclude(direction="").exists()


def test_reviewers_can_read_but_not_edit_answers(client_for, assessment, glasgow):
    reviewer = make_user(council=glasgow, role=Role.REVIEWER)
    client = client_for(reviewer)
    assert client.get(assessment.get_absolute_url()).status_code == 200
    assert client.post(section_url(assessment), section_post(assessment)).status_code == 403
    assert not assessment.answers.exclude(direction="").exists()


def test_the_not_relevant_reason_is_merged_like_an_answer(
    client_for, assessment, manager, colleague
):
    tariq, tariq_client = colleague
    x, _ = two_answers(assessment)
    client = client_for(manager)
    mine_page = client.get(section_url(assessment))
    theirs = page_data(tariq_client.get(section_url(assessment)))
    theirs["not_assessed_reason"] = "No works near homes at this stage."
    assert tariq_client.post(section_url(assessment), theirs).status_code == 302

    # I changed an answer only: their reason is kept.
    mine = page_data(mine_page)
    mine.update(answer_payload(f"a{x.pk}", direction="no_impact"))
    assert client.post(section_url(assessment), mine).status_code == 302
    section = AssessmentSection.objects.get(assessment=assessment, determinant__code="D05")
    assert section.not_assessed_reason == "No works near homes at this stage."

    # Both changed the reason: I am asked about it, next to the field.
    stale = page_data(mine_page)
    stale["not_assessed_reason"] = "Relevant after all."
    response = client.post(section_url(assessment), stale)
    assert response.status_code == 409
    assert response.context["meta"].asking
    assert 'href="#id_keep_0"' in response.content.decode()
    again = page_data(response)
    again["keep"] = "mine"
    assert client.post(section_url(assessment), again).status_code == 302
    section.refresh_from_db()
    assert section.not_assessed_reason == "Relevant after all."
    assert Answer.objects.get(pk=x.pk).direction == "no_impact"  # my earlier save is untouched
