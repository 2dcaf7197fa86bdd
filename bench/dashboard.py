"""Benchmark: does the portfolio dashboard's cost grow with the portfolio?

Builds a fresh PostgreSQL database (DATABASE_URL, default
postgres://chiia:chiia@127.0.0.1:5432/chiia_bench; it is dropped and recreated), seeds 200
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
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://chiia:chiia@127.0.0.1:5432/chiia_bench"
SIZES = (200, 2000)


def fresh_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port or 5432
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiia.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client use the "testserver" host


def timed(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm caches and connections
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(samples), len(captured.captured_queries)


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    url = os.environ.get("CHIIA_BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        url = DEFAULT_URL
    fresh_database(url)
    setup_django(url)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from assessments.enums import Role
    from assessments.models import CapitalProject, Membership
    from assessments.reference_data import load_reference_data
    from assessments.scale import seed_scale

    call_command("migrate", verbosity=0)
    load_reference_data()
    user = get_user_model().objects.create_user("bench.pmo", password="bench-only-password-1")
    Membership.objects.create(user=user, council=None, role=Role.PMO_VIEWER)
    client = Client()
    client.force_login(user)

    pages = {"dashboard": "/dashboard/", "dashboard filtered": "/dashboard/?rating=red&sort=-budget",
             "project list": "/projects/"}
    results: dict[tuple[str, int], float] = {}
    for size in SIZES:
        started = time.perf_counter()
        seed_scale(size - CapitalProject.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {size} projects in {time.perf_counter() - started:.1f} s", flush=True)
        for name, path in pages.items():
            median, queries = timed(client, path, args.runs)
            results[(name, size)] = median
            print(f"{name:<20} {size:>5} projects: median {median * 1000:7.1f} ms, {queries} queries", flush=True)
    for name in pages:
        if name != "dashboard":
            print(f"{name}: t(2000)/t(200) = {results[(name, 2000)] / results[(name, 200)]:.2f}")
    ratio = results[("dashboard", 2000)] / results[("dashboard", 200)]
    print(f"dashboard: t(2000)/t(200) = {ratio:.2f}")
    return ratio


if __name__ == "__main__":
    main()
