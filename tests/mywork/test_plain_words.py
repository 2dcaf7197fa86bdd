"""Plain words in the officer's view: flags by name, score and significance said in words,
group names instead of codes, a glossary linked where its terms appear."""

from django.urls import reverse

from assessments import presenters
from assessments.answering import completeness
from assessments.projects.forms import AnswerForm
from tests.factories import add_harm, make_team_project, start


def test_the_glossary_explains_each_term_at_its_own_anchor(client, team):
    client.force_login(team.panel)
    page = client.get(reverse("assessments:glossary")).content.decode()
    for anchor, words in (
        ("stag", "Scottish Transport Appraisal Guidance"),
        ("fsd", "Fairer Scotland Duty"),
        ("eqia", "Equality Impact Assessment"),
        ("crwia", "Children's Rights and Wellbeing"),
        ("significance", "likelihood"),
        ("score", "equity multiplier"),
        ("equity-index", "Higher is worse"),
        ("rating", "Amber"),
    ):
        assert f'id="{anchor}"' in page, anchor
        assert words in page, words


def test_rules_shorthand_and_group_codes_become_words(team):
    text = "harm with |W| of 6; significance R of 9; on SE_AREA_DEP, which does not raise Q"
    assert presenters.plain_words(text) == (
        "harm with score of 6; significance of 9; on People living in deprived areas, "
        "which does not raise the equity multiplier"
    )


def test_the_action_plan_and_assessment_page_name_flags_and_link_the_glossary(client, team):
    a = start(make_team_project(team), by=team.pm)
    add_harm(a, "D05")
    client.force_login(team.reviewer)
    plan = client.get(reverse("assessments:action-plan", args=[a.pk])).content.decode()
    assert "<strong>Mitigation needed for a harm</strong>" in plan
    assert "F2 Mitigation required" not in plan
    page = client.get(a.get_absolute_url()).content.decode()
    assert f"{reverse('assessments:glossary')}#equity-index" in page
    assert "= significance " in page and "= score " in page
    assert "SE_AREA_DEP" not in page[page.index("Open flags") :]


def test_a_missing_reach_is_asked_for_in_words(team):
    # An unfinished harm is saved (nothing typed is lost); what it still needs is said in words,
    # never as the old "Give the how many people of this impact".
    form = AnswerForm(
        {
            "direction": "negative",
            "likelihood": "2",
            "severity": "2",
            "duration": "long",
            "reach": "",
            "reversible": "yes",
        },
        group_choices=[],
    )
    assert form.is_valid()
    assert completeness.missing_parts(form.cleaned_data, required=True) == [
        "how many people it reaches"
    ]
