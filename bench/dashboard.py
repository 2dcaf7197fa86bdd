"""Benchmark: does the portfolio dashboard's cost grow with the portfolio?

Builds a fresh PostgreSQL database (CHIIA_BENCH_DATABASE_URL, default
postgres://chiia:chiia@127.0.0.1:5432/chiia_bench; it is dropped and recreated, and a copy
named <name>_2000 is made for the larger portfolio; a missing role is created when run as
root, see _postgres.py), seeds 200
synthetic projects with complete scored assessments, times the dashboard and the project list
through Django's test client signed in as a programme office viewer, then grows the portfolio
to 2,000 projects and times them again. Prints medians and query counts; the last line is
`dashboard: t(2000)/t(200) = X.XX` (goal: below 1.5).

    .venv/bin/python bench/dashboard.py [--runs 15]
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
SIZES = (200, 2000)


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


def timed(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm this connection's caches
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, len(captured.captured_queries)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    # Its own database, never DATABASE_URL's: the bench drops and recreates what it uses.
    url = bench_url(DEFAULT_URL)
    fresh_database(url)
    setup_django(url)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from assessments.dataops.reference_data import load_reference_data
    from assessments.dataops.scale import seed_scale
    from assessments.enums import Role
    from assessments.models import CapitalProject, Membership

    call_command("migrate", verbosity=0)
    load_reference_data()
    user = get_user_model().objects.create_user("bench.pmo", password="bench-only-password-1")
    Membership.objects.create(user=user, council=None, role=Role.PMO_VIEWER)
    client = Client()
    client.force_login(user)

    pages = {
        "dashboard": "/dashboard/",
        "dashboard filtered": "/dashboard/?rating=red&sort=-budget",
        "project list": "/projects/",
    }
    # One database per portfolio size (the larger a copy of the smaller, grown), timed in
    # alternation so that load from anything else on the machine falls on both sizes alike.
    databases = {}
    small_name = connection.settings_dict["NAME"]
    for size in SIZES:
        started = time.perf_counter()
        if databases:
            connection.close()
            use_database(fresh_database(url, template=small_name, name=f"{small_name}_{size}"))
        seed_scale(size - CapitalProject.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        databases[size] = connection.settings_dict["NAME"]
        print(f"seeded {size} projects in {time.perf_counter() - started:.1f} s", flush=True)
    samples: dict[tuple[str, int], list[float]] = {
        (name, size): [] for name in pages for size in SIZES
    }
    queries: dict[tuple[str, int], int] = {}
    for _ in range(args.runs):
        for size in SIZES:
            use_database(databases[size])
            for name, path in pages.items():
                elapsed, queries[(name, size)] = timed(client, path)
                samples[(name, size)].append(elapsed)
    results: dict[tuple[str, int], float] = {}
    for name in pages:
        for size in SIZES:
            results[(name, size)] = statistics.median(samples[(name, size)])
            print(
                f"{name:<20} {size:>5} projects: median {results[(name, size)] * 1000:7.1f} ms, "
                f"{queries[(name, size)]} queries",
                flush=True,
            )
    for name in pages:
        if name != "dashboard":
            print(f"{name}: t(2000)/t(200) = {results[(name, 2000)] / results[(name, 200)]:.2f}")
    ratio = results[("dashboard", 2000)] / results[("dashboard", 200)]
    print(f"dashboard: t(2000)/t(200) = {ratio:.2f}")
    return ratio


if __name__ == "__main__":
    main()
