"""Benchmark: does the portfolio dashboard's cost grow with the portfolio?

Builds a fresh PostgreSQL database (CHIIA_BENCH_DATABASE_URL, default
postgres://chiia:chiia@127.0.0.1:5432/chiia_bench; it is dropped and recreated, and a copy
named <name>_2000 is made for the larger portfolio; a missing role is created when run as
root, see _postgres.py), seeds 200
synthetic projects with complete scored assessments, times the dashboard, its trends, map and
exports and the project list through Django's test client signed in as a programme office
viewer, then grows the portfolio to 20,000 projects (a copy named <name>_20000) and times them
again (the first 2,000 projects scored for real, the rest copies of them: see _copy_scored).
Each project is placed in one of the region's data zones, so the map has points to draw.
Each page is timed cold (the portfolio's cached figures dropped first, as after any change) and
warm (figures from the cache). Prints medians and query counts; the last line is
`dashboard: t(20000)/t(200) = X.XX` for the warm dashboard (goal: below 1.5, with the same number
of queries at both sizes); the cold ratios are printed before it.

    .venv/bin/python bench/dashboard.py [--runs 15] [--reuse]

Seeding 20,000 projects takes many minutes; --reuse times databases a previous run left behind
when they hold the expected number of projects (and seeds them otherwise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _postgres import bench_url, fresh_database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://chiia:chiia@127.0.0.1:5432/chiia_bench"
SIZES = (200, 20000)
# Seeded in slices so that one transaction never holds a million answers in memory.
SEED_SLICE = 2000


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiia.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client use the "testserver" host


def use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def timed(client, url: str, *, cold: bool) -> tuple[float, int]:
    """One request's time and query count, after a first request has warmed the connection.
    Cold: the portfolio's cached figures are dropped first, so they are worked out afresh (as
    after any change to the portfolio); warm: they come from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.portfolio import cache as portfolio_cache

    assert client.get(url).status_code == 200  # warm this connection's caches
    if cold:
        portfolio_cache.forget()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, len(captured.captured_queries)


def _database_exists(url: str, name: str) -> bool:
    from _postgres import admin_connection

    admin = admin_connection(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        admin.close()


def _place_projects() -> None:
    """Put each synthetic project in one of the region's data zones (round robin), as a project
    manager would by postcode or zone code, so that the map has something to draw."""
    from assessments.models import CapitalProject, DataZone

    zones = list(DataZone.objects.order_by("code").values_list("code", flat=True))
    unplaced = list(CapitalProject.objects.filter(data_zones=[]).order_by("pk"))
    for i, project in enumerate(unplaced):
        project.data_zones = [zones[(project.pk * 7919) % len(zones)]] if i % 10 else []
    CapitalProject.objects.bulk_update(unplaced, ["data_zones"], batch_size=2000)


def _copy_scored(count: int) -> None:
    """Add `count` projects that copy already scored ones: the project, its assessment with the
    rating, equity index, flags and status, and the queryable determinant ratings and flags
    (everything the dashboard, its trends, map and exports read; not the answers). Scoring
    each project for real takes a second or more; copies make a 20,000-project portfolio in
    minutes, with the same mix of ratings as the scored ones."""
    from assessments.models import AssessmentFlag, CapitalProject, DeterminantRating
    from assessments.models import StageAssessment as Assessment

    sources = list(Assessment.objects.filter(project__reference__startswith="SCALE-"))
    ratings: dict[int, list] = {}
    for row in DeterminantRating.objects.filter(assessment__in=sources):
        ratings.setdefault(row.assessment_id, []).append(row)
    flags: dict[int, list[str]] = {}
    for flag in AssessmentFlag.objects.filter(assessment__in=sources):
        flags.setdefault(flag.assessment_id, []).append(flag.code)
    projects = {
        p.pk: p for p in CapitalProject.objects.filter(pk__in=[a.project_id for a in sources])
    }
    start = CapitalProject.objects.count()
    while count > 0:
        batch = min(count, SEED_SLICE)
        chosen = [sources[(start + i) % len(sources)] for i in range(batch)]
        copies = []
        for i, source in enumerate(chosen):
            project = projects[source.project_id]
            copies.append(
                CapitalProject(
                    council_id=project.council_id,
                    reference=f"COPY-{start + i + 1:05d}",
                    title=project.title,
                    description=project.description,
                    project_type=project.project_type,
                    budget=project.budget,
                    city_deal=project.city_deal,
                    current_stage_id=project.current_stage_id,
                )
            )
        copies = CapitalProject.objects.bulk_create(copies)
        assessments = Assessment.objects.bulk_create(
            Assessment(
                project=copy,
                stage_id=source.stage_id,
                question_bank_id=source.question_bank_id,
                rule_set_id=source.rule_set_id,
                status=source.status,
                scored_at=source.scored_at,
                overall_rating=source.overall_rating,
                equity_index=source.equity_index,
                completeness=source.completeness,
                open_flags=source.open_flags,
                is_latest=source.is_latest,
            )
            for copy, source in zip(copies, chosen, strict=True)
        )
        DeterminantRating.objects.bulk_create(
            (
                DeterminantRating(
                    assessment=copy,
                    determinant_id=row.determinant_id,
                    harm_rag=row.harm_rag,
                    residual_harm_rag=row.residual_harm_rag,
                    benefit_level=row.benefit_level,
                )
                for copy, source in zip(assessments, chosen, strict=True)
                for row in ratings.get(source.pk, [])
            ),
            batch_size=5000,
        )
        AssessmentFlag.objects.bulk_create(
            (
                AssessmentFlag(assessment=copy, code=code)
                for copy, source in zip(assessments, chosen, strict=True)
                for code in flags.get(source.pk, [])
            ),
            batch_size=5000,
        )
        start += batch
        count -= batch


SCORED = 2000  # projects scored for real by seed_scale; the rest of a larger size are copies


def _grow(size: int) -> None:
    from assessments.dataops.scale import seed_scale
    from assessments.models import CapitalProject

    while (missing := min(size, SCORED) - CapitalProject.objects.count()) > 0:
        seed_scale(min(missing, SEED_SLICE))
    _copy_scored(size - CapitalProject.objects.count())
    _place_projects()


def _prepare(url: str, reuse: bool) -> dict[int, str]:
    """One database per portfolio size (the larger a copy of the smaller, grown)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from assessments.dataops.reference_data import load_reference_data
    from assessments.enums import Role
    from assessments.models import CapitalProject, Membership
    from assessments.place.loading import load_place_data

    small_name = connection.settings_dict["NAME"]
    names = {size: small_name if i == 0 else f"{small_name}_{size}" for i, size in enumerate(SIZES)}
    if reuse and all(_database_exists(url, name) for name in names.values()):
        counts = {}
        for size, name in names.items():
            use_database(name)
            counts[size] = CapitalProject.objects.count()
        if all(counts[size] == size for size in SIZES):
            print("reusing the seeded databases", flush=True)
            return names
        use_database(small_name)
    fresh_database(url)
    connection.close()
    call_command("migrate", verbosity=0)
    load_reference_data()
    load_place_data()
    user = get_user_model().objects.create_user("bench.pmo", password="bench-only-password-1")
    Membership.objects.create(user=user, council=None, role=Role.PMO_VIEWER)
    for size in SIZES:
        started = time.perf_counter()
        if size != SIZES[0]:
            connection.close()
            use_database(fresh_database(url, template=small_name, name=names[size]))
        _grow(size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {size} projects in {time.perf_counter() - started:.1f} s", flush=True)
    return names


PAGES = {
    "dashboard": "/dashboard/",
    "dashboard filtered": "/dashboard/?rating=red&sort=-budget",
    "portfolio report pdf": "/dashboard/export.pdf",
    "project list": "/projects/",
}


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--reuse", action="store_true", help="time databases already seeded")
    args = parser.parse_args(argv)
    # Its own database, never DATABASE_URL's: the bench drops and recreates what it uses.
    url = bench_url(DEFAULT_URL)
    if not args.reuse:
        fresh_database(url)
    setup_django(url)

    from django.contrib.auth import get_user_model
    from django.test import Client

    databases = _prepare(url, args.reuse)
    # One signed-in client per database: each database keeps its own sessions.
    clients = {}
    for size in SIZES:
        use_database(databases[size])
        clients[size] = Client()
        clients[size].force_login(get_user_model().objects.get(username="bench.pmo"))
    # Timed in alternation so that load from anything else on the machine falls on both sizes
    # alike. Both databases live in this one process, so the cached figures are dropped at each
    # switch (a server serves one database).
    from assessments.portfolio import cache as portfolio_cache

    modes = ("cold", "warm")
    samples: dict[tuple[str, str, int], list[float]] = {
        (name, mode, size): [] for name in PAGES for mode in modes for size in SIZES
    }
    queries: dict[tuple[str, str, int], int] = {}
    for _ in range(args.runs):
        for size in SIZES:
            use_database(databases[size])
            portfolio_cache.forget()
            for name, path in PAGES.items():
                for mode in modes:
                    elapsed, queries[(name, mode, size)] = timed(
                        clients[size], path, cold=mode == "cold"
                    )
                    samples[(name, mode, size)].append(elapsed)
    small, large = SIZES
    results: dict[tuple[str, str, int], float] = {}
    for key, values in samples.items():
        results[key] = statistics.median(values)
        name, mode, size = key
        print(
            f"{name:<22} {mode} {size:>6} projects: median {results[key] * 1000:7.1f} ms, "
            f"{queries[key]} queries",
            flush=True,
        )
    for name in PAGES:
        for mode in modes:
            if (name, mode) != ("dashboard", "warm"):
                ratio = results[(name, mode, large)] / results[(name, mode, small)]
                print(f"{name} ({mode}): t({large})/t({small}) = {ratio:.2f}")
    # The last line: the dashboard as people open it, its figures kept in the cache until the
    # portfolio changes (the cold ratio, figures worked out afresh, is printed above).
    ratio = results[("dashboard", "warm", large)] / results[("dashboard", "warm", small)]
    print(f"dashboard: t({large})/t({small}) = {ratio:.2f}")
    return ratio


if __name__ == "__main__":
    main()
