"""Benchmark: our project report (WeasyPrint, tagged PDF/UA-1) against headless Chromium
printing the same HTML.

Builds a seven-stage demo project with every question answered in a throw-away test database,
renders the full project report with our code (template + WeasyPrint) and has
`chromium --headless --print-to-pdf` print the identical HTML, alternating runs. Two figures:

- all live: the whole report laid out from scratch, as if no stage were signed off;
- realistic (the last line, `report_pdf: ours/chromium = X.XX`): six of the seven stages are
  signed off, so their chapters come from the store written at sign-off (stitch.py) and only
  the front matter, the live stage's chapter and the closing page are laid out, then stitched
  and given their running heads. Chromium has no such store and prints the whole HTML.

Also prints where the realistic case's time goes.

Run: .venv/bin/python bench/report_pdf.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]


def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiia.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("CHIIA_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def _chromium() -> str:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("report_pdf: Chromium not found (apt-get install chromium)")


def _count_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs of each renderer (default 5)"
    )
    args = parser.parse_args(argv)
    connection, old_name = _setup_django()
    try:
        from assessments.dataops.reference_data import load_reference_data
        from assessments.enums import Role
        from assessments.management.commands.run_worker import fewer_cycle_collections
        from assessments.reports import pdf, project_report, stitch
        from tests import factories

        fewer_cycle_collections()  # project reports are rendered by the worker, which does this

        load_reference_data()
        pm = factories.make_user(
            "pm.bench",
            council=factories.Council.objects.get(code="S12000049"),
            role=Role.PROJECT_MANAGER,
        )
        started = time.perf_counter()
        project = factories.seven_stage_project(by=pm)
        print(f"built seven-stage project in {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        report = project_report.build_project_report(project)
        print(
            f"context: {time.perf_counter() - started:.3f} s, "
            f"{sum(len(d.findings) for s in report.stages for d in s.determinants)} answers"
        )
        ctx = project_report.project_template_context(report)

        css = pdf.static_path(pdf.PRINT_CSS).as_uri()
        html = pdf.render_html("reports/project.html", ctx).replace(
            "</head>", f'<link rel="stylesheet" href="{css}"></head>', 1
        )
        chromium = _chromium()
        work = Path(tempfile.mkdtemp(prefix="chiia-bench-"))
        html_path = work / "report.html"
        html_path.write_text(html, encoding="utf-8")

        def run_ours():
            t = time.perf_counter()
            result = pdf.render_pdf_result("reports/project.html", ctx)
            return time.perf_counter() - t, result.pages

        def chromium_print(source: Path, out: Path) -> float:
            t = time.perf_counter()
            subprocess.run(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={work / 'profile'}",
                    f"--print-to-pdf={out}",
                    source.as_uri(),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=300,
            )
            return time.perf_counter() - t

        def run_chromium():
            out = work / "chromium.pdf"
            return chromium_print(html_path, out), _count_pages(out)

        # Chromium's fixed cost: the same stylesheet and one line of text.
        blank_path = work / "blank.html"
        blank_path.write_text(
            f'<!doctype html><html lang="en"><head><link rel="stylesheet" href="{css}">'
            "</head><body><p>One line.</p></body></html>",
            encoding="utf-8",
        )

        def run_chromium_blank():
            return chromium_print(blank_path, work / "blank.pdf")

        # One untimed warm-up each (fonts, caches, Chromium profile), then alternate.
        run_ours()
        run_chromium()
        # The realistic case: the signed-off stages' chapters stored, as sign-off does.
        for assessment in project.assessments.filter(status="signed_off"):
            stitch.render_chapter_for(assessment)

        def run_stitched():
            t = time.perf_counter()
            result = stitch.render_stitched(report)
            return time.perf_counter() - t, result.pages, result.steps

        run_stitched()
        ours, theirs, blanks, stitched = [], [], [], []
        for _ in range(args.runs):
            ours.append(run_ours())
            theirs.append(run_chromium())
            blanks.append(run_chromium_blank())
            stitched.append(run_stitched())
        ours_s = statistics.median(t for t, _ in ours)
        theirs_s = statistics.median(t for t, _ in theirs)
        blank_s = statistics.median(blanks)
        ours_pages, their_pages = ours[-1][1], theirs[-1][1]
        print(
            f"ours (WeasyPrint, PDF/UA-1 tagged): median {ours_s:.2f} s, {ours_pages} pages, "
            f"{ours_s / max(ours_pages, 1):.3f} s/page"
        )
        print(
            f"chromium --print-to-pdf:           median {theirs_s:.2f} s, {their_pages} pages, "
            f"{theirs_s / max(their_pages, 1):.3f} s/page"
        )
        # Chromium's time is a start-up cost plus a cost per page; ours is almost all per page.
        # Where the two lines cross is the longest report ours could print as fast.
        their_per_page = max(theirs_s - blank_s, 0.0) / max(their_pages, 1)
        ours_per_page = ours_s / max(ours_pages, 1)
        print(
            f"chromium start-up (one-line page): median {blank_s:.2f} s; per page beyond that "
            f"{their_per_page:.3f} s against ours {ours_per_page:.3f} s"
        )
        if ours_per_page > their_per_page:
            print(
                f"break-even length: about {blank_s / (ours_per_page - their_per_page):.0f} pages"
            )
        shutil.rmtree(work, ignore_errors=True)
        print(f"all live (rendered whole): ours/chromium = {ours_s / theirs_s:.2f}")
        stitched_s = statistics.median(t for t, _, _ in stitched)
        # Where the realistic case's time goes, step by step (medians over the runs).
        for step in stitched[-1][2]:
            seconds = statistics.median(steps[step] for _, _, steps in stitched)
            print(f"  realistic, {step}: {seconds:.2f} s ({seconds / theirs_s:.2f} of chromium)")
        print(
            f"realistic (six of seven stages signed off, stitched): median {stitched_s:.2f} s, "
            f"{stitched[-1][1]} pages"
        )
        ratio = stitched_s / theirs_s
        print(f"report_pdf: ours/chromium = {ratio:.2f}")
        return ratio
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
