"""Stage, community and project reports: real WeasyPrint PDFs, read back with pypdf and pikepdf.

PDF renders are the slow part, so each test renders once and checks everything a reader of
that document would notice."""

import io
import re
from datetime import timedelta

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.enums import Role
from assessments.models import ReportJob, ReportJobStatus
from assessments.place import profile as place
from assessments.reports import charts, context, pdf
from tests import factories as f
from tests.factories import loaded_place_data

pytestmark = pytest.mark.django_db


def _text_pages(data: bytes) -> list[str]:
    return [
        re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages
    ]


def _struct_types(data: bytes) -> dict[str, list]:
    """Structure element types in the tag tree, with the /Alt of each figure."""
    found: dict[str, list] = {}
    with pikepdf.open(io.BytesIO(data)) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if "/S" in node:
                found.setdefault(str(node.S), []).append(str(node.get("/Alt", "")))
            if "/K" in node:
                stack.append(node.K)
    return found


@pytest.fixture
def pm(glasgow):
    return f.make_user("pm.report", council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def filled(pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council)
    return f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm)


def test_stage_report_is_tagged_pdf_ua_with_every_section(filled, client_for, pm):
    response = client_for(pm).get(reverse("assessments:stage-report-pdf", args=[filled.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.search(
        r'filename="GCC-TEST-001-STRATEGIC-stage-report-\d{4}-\d{2}-\d{2}\.pdf"',
        response["Content-Disposition"],
    )
    data = response.content
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert "/StructTreeRoot" in doc.Root
        assert bool(doc.Root.MarkInfo.Marked) is True
        assert str(doc.Root.Lang) == "en-GB"
        assert f.PROJECT_TITLE in str(doc.docinfo["/Title"])
        assert "pdfuaid" in bytes(doc.Root.Metadata.read_bytes()).decode()
        # The table of contents links work: internal link annotations on the cover page.
        links = [a for a in doc.pages[0].get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) >= 10
    types = _struct_types(data)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= set(types)
    assert len(types["/Figure"]) == 2 and all(
        alt.startswith(("Heat map", "Bar chart")) for alt in types["/Figure"]
    )
    pages = _text_pages(data)
    text = " ".join(pages)
    for expected in [
        f.PROJECT_TITLE,
        "Glasgow City",
        "Strategic definition",
        "Contents",
        "Summary",
        "Who took part",
        "Population groups considered and affected",
        "Heat map of determinants of health and population groups",
        "Benefit and harm by determinant of health",
        "Findings by determinant",
        "D01 Income, employment",
        "Flags and decisions",
        "Full health impact assessment",
        "Action plan and monitoring",
        "Construction logistics plan with school-hours delivery ban",
        "Community panel comments",
        "None recorded",
        "Sign-offs and versions",
        "Question bank",
        "Rule set",
        "Red – significant harm",
        "F1 Full HIA recommended",
    ]:
        assert expected.replace(" ", "") in text.replace(" ", ""), expected
    assert all("DRAFT" in page for page in pages)
    assert (
        f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    )


def test_every_tagged_element_points_at_the_page_that_shows_it(filled, client_for, pm):
    # A screen reader finds the page of each heading, paragraph and table cell through /Pg;
    # a wrong page (as a stale list of page references would give) breaks reading order.
    data = client_for(pm).get(reverse("assessments:stage-report-pdf", args=[filled.pk])).content
    with pikepdf.open(io.BytesIO(data)) as doc:
        parent_tree = pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)
        assert len(doc.pages) > 3
        checked = 0
        for page in doc.pages:
            for element in parent_tree[int(page.obj.StructParents)]:
                if isinstance(element, pikepdf.Dictionary):
                    assert element.Pg.objgen == page.obj.objgen, str(element.S)
                    checked += 1
        assert checked > 100


def test_empty_stage_report_is_an_honest_valid_document(pm, client_for):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-EMPTY"
    )
    assessment = f.start(project, "STRATEGIC", by=pm)

    response = client_for(pm).get(reverse("assessments:stage-report-pdf", args=[assessment.pk]))

    pages = _text_pages(response.content)
    text = " ".join(pages)
    assert response.content.startswith(b"%PDF")
    assert "This stage has not yet been assessed" in text
    assert "Not yet assessed" in text
    assert "Not signed off yet" in text
    assert all("DRAFT" in page for page in pages)


def test_user_markup_is_printed_as_text_and_never_fetched(pm):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-INJECT"
    )
    filled = f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=2)
    answer = filled.answers.filter(direction="negative").order_by("question__code").first()
    answer.pathway = '<img src="file:///etc/passwd">'
    answer.mitigation = '<link rel=stylesheet href="http://127.0.0.1:9/x.css">'
    answer.evidence_notes = "See http://127.0.0.1:9/evil.png"
    answer.save()
    fetcher = pdf.make_fetcher()

    data = pdf.render_pdf(
        "reports/stage.html",
        context.stage_template_context(context.build_stage_report(filled)),
        fetcher=fetcher,
    )

    text = "".join(_text_pages(data)).replace(" ", "")
    for literal in [
        '<imgsrc="file:///etc/passwd">',
        '<linkrel=stylesheethref="http://127.0.0.1:9/x.css">',
        "http://127.0.0.1:9/evil.png",
    ]:
        assert literal in text
    assert fetcher.refused == []
    assert all(url.startswith(("data:", "file://")) for url in fetcher.requested)
    assert not any("passwd" in url or "127.0.0.1" in url for url in fetcher.requested)


def test_a_right_to_left_override_in_user_text_does_not_reverse_the_apps_own_words(pm, client_for):
    # U+202E makes everything after it in the same paragraph run right to left, the app's own
    # labels included, unless the user's text is isolated from them.
    rlo = "\u202e"
    project = f.make_report_project(
        pm=pm,
        council=pm.memberships.get().council,
        reference="GCC-BIDI",
        title=f"Govan riverside{rlo} homes",
    )
    assessment = f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=1)
    answer = assessment.answers.get(direction="negative")
    answer.pathway = f"Dust on the school route{rlo} for two years"
    answer.mitigation = f"Delivery ban in school hours{rlo}"
    answer.save()
    client = client_for(pm)

    stage = " ".join(
        _text_pages(
            client.get(reverse("assessments:stage-report-pdf", args=[assessment.pk])).content
        )
    )
    summary = " ".join(
        _text_pages(
            client.get(reverse("assessments:community-summary-pdf", args=[assessment.pk])).content
        )
    )

    assert "(owner: Contracts manager)" in stage
    assert "Evidence: Air quality monitoring at two nearby sites." in stage
    assert "What will be done:" in summary
    assert "(afterwards: medium)." in summary


def test_fetcher_serves_static_files_and_data_uris_only(settings):
    fetcher = pdf.make_fetcher()
    css = pdf.static_path(pdf.PRINT_CSS)

    assert b"@page" in fetcher.fetch(css.as_uri()).read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in [
        "http://127.0.0.1:9/x.css",
        "https://example.org/a.png",
        "file:///etc/passwd",
        css.as_uri().replace("/static/css/print.css", "/pyproject.toml"),
        "ftp://example.org/x",
    ]:
        with pytest.raises(pdf.RefusedFetch):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_community_summary_is_short_and_plain(filled, client_for, pm):
    response = client_for(pm).get(reverse("assessments:community-summary-pdf", args=[filled.pk]))

    pages = _text_pages(response.content)
    text = " ".join(pages)
    assert 2 <= len(pages) <= 4
    for expected in [
        "What is being planned",
        "What we found",
        "The biggest benefits",
        "The biggest concerns, and what will be done",
        "Who could be affected most",
        "What happens next",
    ]:
        assert expected in text
    assert "Replacement garden on the riverside before demolition" in text


def test_panel_member_reads_no_report_of_a_draft_stage(filled, client_for, glasgow):
    panel = f.make_user("panel.report", council=glasgow, role=Role.PANEL_MEMBER)
    client = client_for(panel)

    assert client.get(reverse("assessments:stage-report-pdf", args=[filled.pk])).status_code == 404
    assert (
        client.get(reverse("assessments:stage-report-preview", args=[filled.pk])).status_code == 404
    )
    assert (
        client.get(reverse("assessments:community-summary-pdf", args=[filled.pk])).status_code
        == 404
    )


def test_outsider_gets_404_for_every_report(filled, client_for, renfrewshire):
    outsider = f.make_user("pm.renfrew", council=renfrewshire, role=Role.PROJECT_MANAGER)
    client = client_for(outsider)
    project = filled.project

    for url in [
        reverse("assessments:stage-report-pdf", args=[filled.pk]),
        reverse("assessments:community-summary-pdf", args=[filled.pk]),
        reverse("assessments:stage-report-preview", args=[filled.pk]),
        reverse("assessments:project-report-preview", args=[project.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("assessments:project-report-request", args=[project.pk])).status_code
        == 404
    )
    assert not ReportJob.objects.exists()


def test_html_preview_uses_the_same_template_and_escapes_user_text(filled, client_for, pm):
    answer = filled.answers.filter(direction="negative").first()
    answer.pathway = '<img src="file:///etc/passwd">'
    answer.save()

    response = client_for(pm).get(reverse("assessments:stage-report-preview", args=[filled.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:' not in html
    assert 'href="/static/css/print.css"' in html
    assert "Findings by determinant" in html
    assert "style=" not in html and "<script" not in html


def test_project_report_is_generated_in_the_background(
    pm, client_for, django_capture_on_commit_callbacks
):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-TWO", stage="SBC"
    )
    f.sign_off(f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=8))
    f.start(project, "SBC", by=pm)
    client = client_for(pm)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:project-report-request", args=[project.pk]))

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assessments:project-report-status", args=[project.pk, job.pk]
    )
    assert job.status == ReportJobStatus.DONE and job.progress == 100 and job.requested_by == pm
    status = client.get(response["Location"])
    assert "The report is ready" in status.content.decode()
    assert 'http-equiv="refresh"' not in status.content.decode()
    download = client.get(reverse("assessments:project-report-download", args=[project.pk, job.pk]))
    pages = _text_pages(download.content)
    text = " ".join(pages)
    assert "Stages at a glance" in text and "Strategic definition assessment" in text
    assert (
        "Strategic Business Case assessment" in text
        and "This stage has not yet been assessed" in text
    )
    assert "Not started" in text  # the five later stages
    # The draft stage's pages, the cover and the overview say DRAFT; the signed-off stage's do not.
    start = next(i for i, page in enumerate(pages) if "Strategic definition assessment" in page)
    end = next(i for i, page in enumerate(pages) if "Strategic Business Case assessment" in page)
    assert 0 < start < end
    assert not any("DRAFT" in page for page in pages[start:end])
    assert all("DRAFT" in page for page in pages[:start] + pages[end:])
    assert job.pages == len(pages)


def test_status_updates_in_place_while_the_job_runs(pm, client_for):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-WAIT"
    )
    job = ReportJob.objects.create(
        project=project,
        requested_by=pm,
        progress=40,
        step="Laying out the pages",
        status=ReportJobStatus.RUNNING,
    )
    client = client_for(pm)
    progress_url = reverse("assessments:project-report-progress", args=[project.pk, job.pk])

    page = client.get(
        reverse("assessments:project-report-status", args=[project.pk, job.pk])
    ).content.decode()
    fragment = client.get(progress_url)

    assert 'http-equiv="refresh"' not in page
    live = page[page.index('<div role="status" aria-live="polite">') :]
    assert f'hx-get="{progress_url}" hx-trigger="every 3s"' in live
    assert "Laying out the pages" in live and 'value="40"' in live
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "no-store" in fragment["Cache-Control"]
    assert body.lstrip().startswith(("{#", '<div id="report-job-state"')) and "<html" not in body
    assert (
        "Being generated" in body
        and "Laying out the pages" in body
        and 'hx-trigger="every 3s"' in body
    )
    download = reverse("assessments:project-report-download", args=[project.pk, job.pk])
    assert client.get(download).status_code == 403
    job.refresh_from_db()
    assert job.status == ReportJobStatus.RUNNING  # within the limit: still running


def test_a_job_whose_worker_died_shows_failed_and_can_be_tried_again(
    pm, client_for, settings, django_capture_on_commit_callbacks
):
    settings.CHIIA_REPORT_JOB_STALE_SECONDS = 600
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-STUCK"
    )
    job = ReportJob.objects.create(
        project=project,
        requested_by=pm,
        progress=50,
        step="Laying out the pages",
        status=ReportJobStatus.RUNNING,
    )
    ReportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=601))
    client = client_for(pm)

    fragment = client.get(
        reverse("assessments:project-report-progress", args=[project.pk, job.pk])
    ).content.decode()
    page = client.get(
        reverse("assessments:project-report-status", args=[project.pk, job.pk])
    ).content.decode()

    for html in (fragment, page):
        assert "Failed." in html and "could not be generated" in html
        assert "hx-trigger" not in html and 'http-equiv="refresh"' not in html
        assert (
            f'<form method="post" action="{reverse("assessments:project-report-request", args=[project.pk])}" '
            'data-busy="Starting the report…">' in html
        )
        assert '<button class="btn btn-primary" type="submit">Try again</button>' in html
    job.refresh_from_db()
    assert job.status == ReportJobStatus.FAILED and "No progress for 600 seconds" in job.error

    with django_capture_on_commit_callbacks() as queued:
        again = client.post(reverse("assessments:project-report-request", args=[project.pk]))

    retry = ReportJob.objects.exclude(pk=job.pk).get()
    assert again["Location"] == reverse(
        "assessments:project-report-status", args=[project.pk, retry.pk]
    )
    assert retry.status == ReportJobStatus.QUEUED and len(queued) == 1


def test_unpublished_pdfs_are_never_kept_in_the_browser_cache(pm, client_for):
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-CACHE"
    )
    draft = f.start(project, "STRATEGIC", by=pm)
    job = ReportJob.objects.create(
        project=project,
        requested_by=pm,
        status=ReportJobStatus.DONE,
        progress=100,
        pdf=b"%PDF-1.7 project report",
        filename="GCC-CACHE-project-report.pdf",
    )
    client = client_for(pm)

    for url in [
        reverse("assessments:stage-report-pdf", args=[draft.pk]),
        reverse("assessments:community-summary-pdf", args=[draft.pk]),
        reverse("assessments:project-report-download", args=[project.pk, job.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
        assert not response.has_header("ETag"), url


def test_heatmap_cell_shows_the_worst_harm_for_that_group(filled):
    report = context.build_stage_report(filled)
    children = next(g for g in report.groups_affected if g.name == "Children (0–15)")
    d01 = next(d for d in report.determinants if d.code == "D01")
    bands_for_children = {
        f_.band
        for f_ in d01.findings
        if f_.direction == "negative" and any(name.startswith("Children") for name in f_.groups)
    }

    cells = charts._cell_values(
        filled.answers.select_related("question__determinant"),
        {a.pk: list(a.groups.all()) for a in filled.answers.all()},
        {s.key: s for s in context.scoring.stored_result(filled).answers},
    )

    group_id = f.PopulationGroup.objects.get(code="PC_AGE_CHILD").pk
    assert children.harms > 0 and children.disproportionate
    assert cells[("D01", group_id)] == min(bands_for_children, key=charts.HARM_ORDER.index)
    assert (
        'role="img"'
        in __import__("base64").b64decode(report.heatmap.svg_data_uri.split(",")[1]).decode()
    )


def test_workflow_records_fill_the_action_and_comment_sections(filled, client_for, pm, glasgow):
    from assessments.models import (
        Action,
        CommentReply,
        CommunityComment,
        ConsultationWindow,
        LifecycleStage,
    )

    Action.objects.create(
        assessment=filled,
        text="Fund a community liaison officer",
        owner="Regeneration lead",
        due_stage=LifecycleStage.objects.get(code="OBC"),
    )
    panel = f.make_user("panel.sections", council=glasgow, role=Role.PANEL_MEMBER)
    window = ConsultationWindow.objects.create(assessment=filled, opened_by=pm)
    comment = CommunityComment.objects.create(
        assessment=filled, window=window, author=panel, text="Keep the garden open"
    )
    CommentReply.objects.create(
        comment=comment, text="We will keep it open until the new one is ready", by=pm
    )

    html = (
        client_for(pm)
        .get(reverse("assessments:stage-report-preview", args=[filled.pk]))
        .content.decode()
    )

    assert "<bdi>Fund a community liaison officer</bdi></th>" in html
    assert (
        "Keep the garden open" in html and "We will keep it open until the new one is ready" in html
    )


def test_a_signed_off_stage_report_lists_its_sign_offs_and_who_took_part(filled, pm, client_for):
    """The sign-offs and participants come from the stage's own status log and memberships."""
    f.sign_off(filled)

    html = (
        client_for(pm)
        .get(reverse("assessments:stage-report-preview", args=[filled.pk]))
        .content.decode()
    )

    signoffs = html[html.index("<caption>Sign-offs</caption>") :]
    signoffs = signoffs[: signoffs.index("</table>")]
    assert signoffs.index(">Approved<") < signoffs.index(">Signed off<")
    assert "Not signed off yet." not in html
    people = html[html.index("<caption>People who contributed") :]
    assert "<bdi>Pm Tester</bdi>" in people[: people.index("</table>")]


@pytest.fixture
def located(pm):
    """A project placed like the Glasgow demo (Dalmarnock and Bridgeton), with the real vendored
    SIMD data loaded (about 2 s; rolled back with the test)."""
    loaded_place_data()
    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-PLACE"
    )
    project.postcodes, project.data_zones = ["G40 1HX", "G40 3BL"], ["S01010046", "S01010047"]
    project.save()
    return f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=8)


def test_reports_name_the_automatic_deprived_area_group_with_its_share(pm, client_for):
    """No answer names a group, yet most of the catchment lives in SIMD quintile 1, so the harm
    counts as affecting people living in deprived areas: the stage PDF and the project report say
    so, with the share, in the answer, the groups table and flag F2 (never "no group named")."""
    from assessments.models import Answer
    from assessments.scoring import snapshots as scoring
    from tests.factories import catchment_62_percent_in_quintile_1

    project = f.make_report_project(
        pm=pm, council=pm.memberships.get().council, reference="GCC-DEPRIVED"
    )
    project.postcodes, project.data_zones = [], catchment_62_percent_in_quintile_1()
    project.save()
    assessment = f.start(project, "STRATEGIC", by=pm)
    answer = Answer.objects.filter(
        assessment=assessment, question__determinant__code="D05"
    ).order_by("question__order")[0]
    answer.direction, answer.likelihood, answer.severity = "negative", 2, 2
    answer.duration, answer.reach, answer.evidence_strength = "short", "household", "moderate"
    answer.save()
    scoring.refresh_snapshot(assessment)
    code = answer.question.code
    reason = (
        "automatic: 62% of the catchment lives in SIMD quintile 1, at or above the 50% "
        "threshold for place-based determinants"
    )

    def squeeze(text):
        return re.sub(r"\s+", "", text)

    client = client_for(pm)
    data = client.get(reverse("assessments:stage-report-pdf", args=[assessment.pk])).content
    text = squeeze(" ".join(_text_pages(data)))
    assert squeeze(f"Groups: People living in deprived areas ({reason})") in text
    assert squeeze(f"counts as affecting priority group SE_AREA_DEP ({reason})") in text
    assert squeeze(f"no mitigation action: {code} (through SE_AREA_DEP, {reason})") in text
    assert squeeze("No population group has been named") not in text
    # The heat map, in words.
    assert squeeze("People living in deprived areas: D05 low harm.") in text
    assert (
        squeeze(
            "100% of the expected harm falls on priority groups (the equity index: higher is worse)"
        )
        in text
    )

    url = reverse("assessments:project-report-preview", args=[project.pk])
    html = client.get(url).content.decode()
    assert f'People living in deprived areas<br><span class="small">({reason})</span>' in html
    assert f"no mitigation action: {code} (through SE_AREA_DEP, {reason})" in html


def test_every_report_shows_the_deprivation_profile_map_and_attribution(
    located, client_for, pm, django_capture_on_commit_callbacks
):
    profile = place.project_place(located.project).profile
    client = client_for(pm)
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.post(
            reverse("assessments:project-report-request", args=[located.project_id])
        )["Location"]
    job = ReportJob.objects.get()
    documents = {
        "stage report": client.get(
            reverse("assessments:stage-report-pdf", args=[located.pk])
        ).content,
        "community summary": client.get(
            reverse("assessments:community-summary-pdf", args=[located.pk])
        ).content,
        "project report": client.get(
            reverse("assessments:project-report-download", args=[located.project_id, job.pk])
        ).content,
    }

    assert job_url.endswith(f"/{job.pk}/")
    quintile1 = f"{profile.quintile1_share * 100:.0f}%"
    summary_text = " ".join(_text_pages(documents.pop("community summary")))
    for name, data in documents.items():
        text = " ".join(_text_pages(data))
        assert "Deprivation context (SIMD) is not available" not in text, name
        assert "Deprivation profile of the area" in text, name
        assert (
            f"Living in SIMD quintile 1 (Scotland's most deprived 20% of areas): {quintile1}"
            in text
        ), name
        assert f"{profile.population:,}" in text, name
        assert "S01010046" in text and "S01010047" in text, name
        assert "Data zones on the map: the catchment first" in text, name
        assert "Open Government Licence v3.0" in text, name
        assert "Contains Royal Mail data" in text, name
        alts = _struct_types(data)["/Figure"]
        assert any(alt.startswith("Map of the project catchment") for alt in alts), (name, alts)
    # The community summary is for residents: the same map and areas in everyday words, by
    # name, without data zone codes or the index's name.
    assert "The area around the project" in summary_text
    assert (
        f"{quintile1} of the {profile.population:,} people living where the project is live in "
        "the most deprived 20% of areas in Scotland" in summary_text
    )
    where = summary_text[
        summary_text.index("The area around the project") : summary_text.index("What we found")
    ]
    assert "Dalmarnock" in where and "The areas where the project is" in where
    assert not re.search(r"S0\d{7}", summary_text) and "SIMD" not in where
    assert "Open Government Licence v3.0" in summary_text
