"""Word versions of the stage report and the community summary, for officers who paste
sections into committee papers.

Each document is written from the same context dict the PDF template renders
(context.stage_template_context), section for section, so the two never say different things.
Headings use Word's own heading styles (the navigation pane and a pasted section keep their
level), tables have a header row repeated on every page and a caption, charts are PNG images
with alternative text, and the title and language are set in the document properties."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterable, Sequence

import resvg_py
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import floatformat
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu

from assessments.models import ReportKind, StageAssessment
from assessments.reports import archive, context, docx_outcomes, docx_place, outcomes
from assessments.reports.data import Chart

LANGUAGE = "en-GB"
MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_WIDTH = Cm(16)
CHART_ZOOM = 2  # charts are drawn at twice their size, so they stay sharp when printed
# Characters XML 1.0 cannot hold (a stray NUL pasted from another system): dropped, never sent
# through as markup.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(value) -> str:
    return NOT_XML.sub("", "" if value is None else str(value))


def when(value, fmt: str = "j F Y") -> str:
    if not value:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_date(value, fmt)


def money(value) -> str:
    return f"£{intcomma(floatformat(value, 0))}"


def chart_png(chart: Chart) -> bytes:
    svg = base64.b64decode(chart.svg_data_uri.split(",", 1)[1]).decode("utf-8")
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=CHART_ZOOM, background="#ffffff"))


class Writer:
    """A document being written, with the few kinds of block the reports use."""

    def __init__(self, *, title: str, subject: str):
        self.doc = Document()
        properties = self.doc.core_properties
        properties.title = clean(title)
        properties.subject = clean(subject)
        properties.language = LANGUAGE
        properties.author = "CHIIA"
        properties.keywords = "health inequalities impact assessment"
        self._set_default_language()

    def _set_default_language(self) -> None:
        """The language of every run unless it says otherwise (spelling and screen readers)."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), LANGUAGE)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(clean(text), level=level)

    def para(self, *parts: str | tuple[str, bool], style: str | None = None) -> None:
        """A paragraph of text parts; a (text, True) part is bold."""
        paragraph = self.doc.add_paragraph(style=style)
        for part in parts:
            text, bold = part if isinstance(part, tuple) else (part, False)
            if text:
                paragraph.add_run(clean(text)).bold = bold

    def bullets(self, lines: Iterable[str | Sequence[str | tuple[str, bool]]]) -> None:
        for line in lines:
            parts = (line,) if isinstance(line, str) else tuple(line)
            self.para(*parts, style="List Bullet")

    def table(self, caption: str, headers: list[str], rows: list[list[str]]) -> None:
        """A captioned table: header row repeated on each page, first column as row headers."""
        self.para(caption, style="Caption")
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(clean(text)).bold = True
        header_props = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_props.append(repeat)
        for values in rows:
            cells = table.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
                cell.paragraphs[0].add_run(clean(text)).bold = index == 0
        described = OxmlElement("w:tblCaption")
        described.set(qn("w:val"), clean(caption)[:255])
        table._tbl.tblPr.append(described)

    def figure(self, chart: Chart) -> None:
        png = chart_png(chart)
        picture = io.BytesIO(png)
        width = int.from_bytes(png[16:20], "big") / CHART_ZOOM  # PNG header: pixel width
        self.doc.add_paragraph().add_run().add_picture(
            picture, width=min(TEXT_WIDTH, Emu(int(width * 914400 / 96)))
        )
        frame = self.doc.inline_shapes[-1]._inline.docPr
        frame.set("descr", clean(chart.alt))
        frame.set("title", clean(chart.title))
        self.para(
            (f"{chart.title}. ", True), f"{chart.alt} In words: {chart.text}", style="Caption"
        )

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


# ------------------------------------------------------------------ shared blocks


def _facts(w: Writer, ctx: dict) -> None:
    s, project = ctx["s"], ctx["project"]
    rows = [
        ["Project", project.title],
        ["Reference", project.reference],
        ["Council", project.council],
        ["Stage", s.stage_name],
        ["Status", s.status_label],
        ["Started", when(s.started)],
        ["Last changed", when(s.updated)],
    ]
    if s.finalised:
        rows.append(["Signed off", when(s.finalised)])
    rows.append(["Report generated", when(ctx["generated_at"], "j F Y, H:i")])
    w.table("About this report", ["Item", "Detail"], rows)


def _status_note(w: Writer, ctx: dict) -> None:
    if ctx["is_final"]:
        w.para(
            f"This report is the signed-off record of the {ctx['s'].stage_name} assessment. "
            "It was generated once and is kept unchanged."
        )
    else:
        w.para(
            ("Draft. ", True),
            "This report shows work in progress that has not been signed off. Ratings and "
            "findings may still change.",
        )


def _place(w: Writer, place, project) -> None:
    w.heading("Deprivation profile of the area", 3)
    if place is None:
        return
    for note in place.notes:
        w.para(note)
    if not place.located:
        zones = ", ".join(project.data_zones) or "none given"
        w.para(
            f"Data zones: {zones}. Deprivation context (SIMD) is not available for this project."
        )
        return
    w.para(place.summary)
    w.bullets([(f"{line.label}: ", (" ".join(line.figures), True)) for line in place.headline])
    w.table(
        "Catchment population by SIMD 2020v2 quintile",
        ["Quintile", "Data zones", "Residents", "Share"],
        [[row.label, *row.figures] for row in place.quintiles],
    )
    w.table(
        "Deprivation domains: share of residents living in a data zone ranked among Scotland's "
        "most deprived fifth on that domain, and the zones' median domain rank (1 = most "
        "deprived of 6,976)",
        ["Domain", "Residents in most deprived fifth", "Median rank"],
        [[row.label, *row.figures] for row in place.domains],
    )
    if place.map:
        w.figure(place.map)
    w.table(
        "Data zones in the catchment, most deprived first (Scottish Index of Multiple "
        "Deprivation 2020v2)",
        ["Data zone", "Name", "SIMD rank", "Decile", "Quintile", "Residents"],
        [
            [
                row.data_zone,
                row.name,
                *(
                    "–" if value is None else str(value)
                    for value in (row.rank, row.decile, row.quintile, row.population)
                ),
            ]
            for row in place.rows
        ],
    )
    w.para(
        "Figures count people, not areas: each data zone's 2017 population is added up by its "
        "SIMD band. The postcode-to-data-zone lookup is derived (about 96% exact, nearly always "
        "the same or a neighbouring zone). Sources are listed under “Data sources and "
        "attributions”."
    )


def _plain_place(w: Writer, place) -> None:
    """The place section in everyday words, for residents: no data zone codes, no index names."""
    w.heading("The area around the project", 3)
    if place is None or not place.located:
        return
    w.para(place.plain_headline)
    if place.plain_map:
        w.figure(place.plain_map)
        # Only the areas where the project is: the map's words count the areas around it.
        w.table(
            "The areas where the project is, most deprived first",
            ["Area", "Council", "How deprived, compared with Scotland"],
            [
                [row.name, row.council, row.quintile_words]
                for row in place.map_rows
                if row.in_catchment
            ],
        )


def _attributions(w: Writer, ctx: dict) -> None:
    w.heading("Data sources and attributions", 2)
    w.bullets(
        [
            *ctx["attributions"],
            "Scoring: CHIIA rules module; each rating names the rule-set version that produced it.",
        ]
    )


# ------------------------------------------------------------------ stage report


def _summary_sections(w: Writer, s, project) -> None:
    w.heading("Summary", 2)
    w.para(
        "Overall harm rating: ",
        (s.overall_label, True),
        " · after mitigation: ",
        (s.residual_label, True),
    )
    w.bullets(s.summary)
    w.para(f"This assessment informs the decision: {s.decision_gated}")

    w.heading("The project and its place", 2)
    w.para(project.description)
    w.table(
        "The project",
        ["Item", "Detail"],
        [
            ["Type", project.project_type + (" (City Deal)" if project.city_deal else "")],
            ["Budget", money(project.budget)],
            ["Project manager", project.project_manager],
            ["Senior responsible officer", project.sro],
            ["Postcodes", ", ".join(project.postcodes) or "none given"],
        ],
    )
    _place(w, s.place, project)
    docx_place.place_change(w, s.place_change)

    w.heading("Who took part", 2)
    if s.participants:
        w.table(
            "People who contributed to this stage assessment",
            ["Name", "Role", "Organisation"],
            [
                [
                    p.name,
                    p.role + (" (community member)" if p.community_member else ""),
                    p.organisation,
                ]
                for p in s.participants
            ],
        )
    else:
        w.para("None recorded.")

    w.heading("Population groups considered and affected", 2)
    if s.groups_affected:
        w.table(
            "Groups named in at least one answer or counted automatically by the rules, most "
            "affected first",
            ["Group", "Determinants (codes)", "Harms", "Benefits", "Disproportionately affected"],
            [
                [
                    g.name + (f" ({g.automatic})" if g.automatic else ""),
                    ", ".join(g.determinants),
                    str(g.harms),
                    str(g.benefits),
                    "Yes" if g.disproportionate else "No",
                ]
                for g in s.groups_affected
            ],
        )
        w.para(f"Not named in any answer: {'; '.join(s.groups_not_considered) or 'none'}.")
    else:
        w.para("No population group has been named in an answer yet.")

    w.heading("Heat map and benefit and harm chart", 2)
    if s.heatmap and s.heatmap.svg_data_uri:
        w.figure(s.heatmap)
    elif s.heatmap:
        w.para(s.heatmap.text)
    else:
        w.para("Not yet assessed: there is nothing to chart.")
    if s.benefit_chart:
        w.figure(s.benefit_chart)


def _finding(w: Writer, f) -> None:
    if not (f.score or f.pathway or f.groups or f.mitigation or f.notes):
        w.para((f.code, True), f" {f.question} ", (f"{f.direction_label}.", True))
        return
    w.para((f.code, True), f" {f.question}")
    head: list[str | tuple[str, bool]] = [(f.direction_label, True)]
    if f.score:
        head.append(
            f" · score {f.score.weighted} · band {f.band.capitalize()} · after mitigation "
            f"{f.residual_band.capitalize()}"
        )
    w.para(*head)
    lines = []
    if f.inputs:
        lines.append(" · ".join(f"{label}: {value}" for label, value in f.inputs))
        if f.score:
            lines.append(f"Score: {f.score.explanation}")
    if f.pathway:
        lines.append(f"How: {f.pathway}")
    if f.groups:
        lines.append(f"Groups: {'; '.join(f.groups)}")
    if f.evidence:
        lines.append(f"Evidence: {f.evidence}")
    if f.mitigation:
        owner = f" (owner: {f.mitigation_owner})" if f.mitigation_owner else ""
        lines.append(f"Mitigation: {f.mitigation}{owner}")
    if f.delivery_mechanism:
        lines.append(f"Secured by: {f.delivery_mechanism}")
    if f.indicator:
        baseline = f" (baseline {f.baseline})" if f.baseline else ""
        lines.append(f"Monitoring: {f.indicator}{baseline}")
    if f.notes:
        lines.append(f"Notes: {f.notes}")
    w.bullets(lines)


def _findings_section(w: Writer, s) -> None:
    w.heading("Findings by determinant", 2)
    w.table(
        "Rating of each determinant of health",
        ["Determinant", "Harm", "After mitigation", "Benefit", "Equity share", "Answered"],
        [
            [
                f"{d.code} {d.name}",
                d.harm_rag.capitalize(),
                d.residual_rag.capitalize(),
                d.benefit,
                d.equity_share,
                f"{d.answered} of {d.applicable}",
            ]
            for d in s.determinants
        ],
    )
    w.para(
        "Magnitude = severity, plus 1 if the reach is a locality or larger, plus 1 if the effect "
        "is long-lasting or irreversible (at most 4). Significance = likelihood × magnitude. "
        "Score = significance × equity multiplier, negative for harms. Bands use rule set "
        f"v{s.rule_set_version}."
    )
    for d in s.determinants:
        w.heading(f"{d.code} {d.name}", 3)
        reason = f" {d.harm_reason}" if d.harm_reason else ""
        w.para(
            "Harm: ",
            (d.harm_label, True),
            f"{reason} · After mitigation: {d.residual_label} · Benefit: {d.benefit}",
        )
        if d.not_assessed_reason:
            w.para(("Not assessed because: ", True), d.not_assessed_reason)
        for f in d.findings:
            _finding(w, f)
        if not d.findings:
            w.para("No questions for this determinant at this stage.")


def _record_sections(w: Writer, s, outcome_lines=()) -> None:
    w.heading("Flags and decisions", 2)
    w.heading("Full health impact assessment", 3)
    w.para(s.full_hia)
    w.heading("Flags raised by the scoring rules", 3)
    if s.flags:
        w.table(
            "Open flags",
            ["Flag", "Why", "Answers"],
            [[f"{f.code} {f.title}", f.reason, f.answers or "–"] for f in s.flags],
        )
    else:
        w.para("No flags were raised." if s.assessed else "Not yet assessed.")
    w.heading("Decisions recorded", 3)
    if s.decisions:
        w.table(
            "Review decisions",
            ["Decision", "Outcome and reasons", "By", "Date"],
            [
                [
                    d.title,
                    d.outcome + (f". {d.reasons}" if d.reasons else ""),
                    d.by,
                    when(d.date, "j M Y"),
                ]
                for d in s.decisions
            ],
        )
    else:
        w.para("None recorded.")

    w.heading("Action plan and monitoring", 2)
    if s.actions:
        w.table(
            "Actions",
            ["Action", "Kind", "About", "Owner", "Due", "Status"],
            [[a.text, a.kind, a.about, a.owner, a.due or "–", a.status] for a in s.actions],
        )
    else:
        w.para("No actions recorded.")
    if s.monitoring:
        w.table(
            "Monitoring indicators",
            ["Indicator", "Baseline", "About"],
            [[m.indicator, m.baseline, m.about] for m in s.monitoring],
        )
    else:
        w.para("No monitoring indicators recorded.")
    docx_outcomes.outcome_indicators(w, outcome_lines)

    w.heading("Community panel comments", 2)
    for c in s.comments:
        about = f" on {c.about}" if c.about else ""
        dated = f" · {when(c.date, 'j M Y')}" if c.date else ""
        concern = " · raised a concern" if c.concern else ""
        hia = " · asked for a full health impact assessment" if c.hia_request else ""
        w.para((f"{c.author}{about}{dated}{concern}{hia}", True))
        w.para(c.text)
        if c.reply:
            by = f" from {c.reply_by}" if c.reply_by else ""
            w.para((f"Reply{by}: ", True), c.reply)
        else:
            w.para("No reply yet.")
    if not s.comments:
        w.para("None recorded.")

    w.heading("Sign-offs and versions", 2)
    if s.signoffs:
        w.table(
            "Sign-offs",
            ["Role", "Name", "Decision", "Date"],
            [
                [
                    o.role,
                    o.name,
                    o.decision + (f": {o.note}" if o.note else ""),
                    when(o.date, "j M Y"),
                ]
                for o in s.signoffs
            ],
        )
    else:
        w.para("Not signed off yet.")
    scored = f", scored {when(s.scored_at, 'j M Y H:i')}" if s.scored_at else ""
    w.table(
        "Versions",
        ["Item", "Detail"],
        [
            ["Rule set", f"v{s.rule_set_version or '–'}{scored}"],
            ["Question bank", f"v{s.question_bank_version}"],
            ["Completeness", s.completeness],
        ],
    )


def stage_report(ctx: dict) -> bytes:
    s, project = ctx["s"], ctx["project"]
    w = Writer(
        title=f"{s.stage_name} health inequalities impact assessment – {project.title}",
        subject=f"Stage report of the {s.stage_name} assessment of {project.reference} "
        f"{project.title}, {project.council}",
    )
    w.para("Health inequalities impact assessment · stage report")
    w.heading(project.title, 1)
    w.para(f"{project.reference} · {s.stage_name} · {project.council}")
    _facts(w, ctx)
    w.para("Overall harm rating: ", (s.overall_label, True))
    _status_note(w, ctx)
    _summary_sections(w, s, project)
    _findings_section(w, s)
    _record_sections(w, s, ctx.get("outcomes", ()))
    _attributions(w, ctx)
    return w.save()


# ------------------------------------------------------------------ community summary


def community_summary(ctx: dict) -> bytes:
    s, project = ctx["s"], ctx["project"]
    w = Writer(
        title=f"What we found: {project.title} – community summary",
        subject=f"Plain-language summary of the {s.stage_name} health inequalities impact "
        f"assessment of {project.title}",
    )
    w.para(f"Community summary · {project.council}")
    w.heading(project.title, 1)
    w.para(f"{project.reference} · {s.stage_name} stage · {when(ctx['generated_at'])}")
    _status_note(w, ctx)

    if s.public_summary:
        w.heading("In short", 2)
        for paragraph in s.public_summary:
            w.para(paragraph)
        w.para("Written by the project team and checked by public health staff.")

    w.heading("What is being planned", 2)
    w.para(project.description)
    w.para(
        "The project is at the ",
        (s.stage_name.lower(), True),
        f" stage. This assessment helps decide: {s.decision_gated.lower()}",
    )
    _plain_place(w, s.place)
    docx_place.place_change_plain(w, s.place_change)

    w.heading("What we found", 2)
    if s.assessed:
        w.para(
            "Overall, the possible harm to health is rated ",
            (s.overall_label, True),
            f". With the changes the project team has planned, it is rated "
            f"{s.residual_label.lower()}.",
        )
        w.heading("The biggest benefits", 3)
        if s.top_benefits:
            w.bullets(
                [((h.area, True), f" ({h.band.lower()} benefit): {h.text}") for h in s.top_benefits]
            )
        else:
            w.para("No benefits have been identified yet.")
        w.heading("The biggest concerns, and what will be done", 3)
        if s.top_harms:
            w.bullets([_concern(h) for h in s.top_harms])
        else:
            w.para("No harms have been identified yet.")
    else:
        w.para("This stage has not yet been assessed, so there are no findings to share yet.")

    w.heading("Who could be affected most", 2)
    if s.groups_affected:
        w.bullets(
            [
                g.name
                + (" – more than most people" if g.disproportionate else "")
                + (f" ({g.automatic})" if g.automatic else "")
                for g in s.groups_affected[:6]
            ]
        )
    else:
        w.para("No particular groups have been identified yet.")
    docx_outcomes.outcomes_plain(w, ctx.get("outcomes", ()))

    w.heading("What the community panel said", 2)
    if s.comments:
        w.bullets(
            [f"“{c.text}”" + (f" – Reply: {c.reply}" if c.reply else "") for c in s.comments[:5]]
        )
    else:
        w.para("No comments from the community panel have been recorded yet.")
    w.heading("What happens next", 2)
    w.para(
        "This stage has been signed off. The actions above will be followed up at the next "
        "stage, when the assessment is reviewed again."
        if s.is_final
        else "The assessment is still being worked on. It will be reviewed by public health "
        "staff and signed off by the council before the decision is made."
    )
    _attributions(w, ctx)
    return w.save()


def _concern(h) -> tuple:
    if h.mitigation:
        after = f" (afterwards: {h.residual_band.lower()})" if h.residual_band else ""
        done = f" What will be done: {h.mitigation}{after}."
    else:
        done = " No action has been agreed yet."
    return ((h.area, True), f" ({h.band.lower()} concern): {h.text}{done}")


# ------------------------------------------------------------------ entry point

WRITERS: dict[str, Callable[[dict], bytes]] = {
    ReportKind.STAGE: stage_report,
    ReportKind.COMMUNITY: community_summary,
}


def stage_document(assessment: StageAssessment, kind: str = ReportKind.STAGE) -> tuple[bytes, str]:
    """(.docx bytes, file name). A signed-off stage's document is written from the record its
    published PDF was made from: the frozen stage, dated and named as that PDF (which is made
    first if no one has asked for it yet)."""
    report = context.build_stage_report(assessment)
    published = archive.archived(assessment, kind)
    if published is None and assessment.status in archive.ARCHIVABLE:
        published = archive.get_or_create_archive(assessment, kind)
    if published is not None:
        report.generated_at = published.generated_at
        filename = published.filename
    else:
        filename = archive.filename_for(assessment, kind, timezone.localtime())
    page = context.stage_template_context(report)
    page["outcomes"] = outcomes.outcome_lines(assessment, report.finalised)
    data = WRITERS[kind](page)
    return data, filename.removesuffix(".pdf") + ".docx"
