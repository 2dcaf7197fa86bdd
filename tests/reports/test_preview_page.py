"""The HTML preview of a report is a web page in its own right: it needs a main landmark so a
screen-reader user can jump to the report (WCAG 1.3.1, 2.4.1)."""

from __future__ import annotations

from django.urls import reverse

from tests import factories as f


def test_stage_report_preview_has_one_main_landmark(team, client_for):
    project = f.make_report_project(pm=team.pm, council=team.council, reference="GCC-PRV")
    assessment = f.fill_answers(f.start(project, "STRATEGIC", by=team.pm), by=team.pm)

    page = (
        client_for(team.pm)
        .get(reverse("assessments:stage-report-preview", args=[assessment.pk]))
        .content.decode()
    )

    assert page.count("<main") == 1 and page.count("</main>") == 1
    assert page.index("<main") < page.index('class="cover"') < page.index("</main>")
