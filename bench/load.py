"""Load benchmark: how much slower is a real page than a trivial one, under the same load?

Starts gunicorn with 2 workers on 127.0.0.1 against PostgreSQL (CHIIA_BENCH_DATABASE_URL, else
postgres://chiia:chiia@127.0.0.1:5432/chiia_load, dropped and recreated) with production
settings (DEBUG off, manifest static files, Redis cache from CHIIA_BENCH_CACHE_URL, default
redis://127.0.0.1:6379/3, or local memory when set empty; only HTTPS redirect and secure cookies
off because there is no TLS on 127.0.0.1), loads the reference, place and demo data, then runs locust
headless for BENCH_LOAD_SECONDS (default 60) against each page (a stage assessment, the
project list, the dashboard when installed, and /healthz/ping), in three interleaved turns after
an untimed 10-second round of every page, with BENCH_USERS (default 8) signed-in users that
send the next request as soon as the last one is answered. Each user holds the cookies a
browser would after one visit (session and CSRF).

Prints p50/p95 latency, requests/s and errors per page; the last line is
`load: assessment_rps/trivial_rps = X.XX` (goal: at least 0.30, with zero errors).

    .venv/bin/python bench/load.py
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from _postgres import bench_url, fresh_database

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://chiia:chiia@127.0.0.1:5432/chiia_load"
DEMO_PASSWORD = "chiia-demo-2026"
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "8"))
SCALE_PROJECTS = int(os.environ.get("BENCH_SCALE_PROJECTS", "200"))
CACHE_URL = os.environ.get("CHIIA_BENCH_CACHE_URL", "redis://127.0.0.1:6379/3")
WARM_UP_SECONDS = min(10, SECONDS)
ROUNDS = 3

# Print the pages to load, as JSON, from inside the configured project.
TARGETS_SCRIPT = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from assessments.models import StageAssessment
assessment = StageAssessment.objects.filter(project__reference="GCC-HR-014").latest("created_at")
targets = [
    ("assessment", assessment.get_absolute_url(), "pm.glasgow"),
    ("project list", reverse("assessments:project-list"), "pm.glasgow"),
]
try:
    targets.append(("dashboard", reverse("assessments:dashboard"), "pmo"))
except NoReverseMatch:
    pass
targets.append(("trivial", reverse("healthz-ping"), ""))
# Each user signs in once and opens their page once, as a browser would before the measured
# requests, so it holds the cookies the site sets (session and CSRF) and sends them back.
sessions = {}
for username in {user for _, _, user in targets if user}:
    sessions[username] = []
    for _ in range(USERS):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        for path in [path for _, path, user in targets if user == username]:
            assert client.get(path).status_code == 200, path
        sessions[username].append("; ".join(f"{c.key}={c.value}" for c in client.cookies.values()))
print("TARGETS=" + json.dumps({"targets": targets, "sessions": sessions}))
"""


def production_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CHIIA_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CHIIA_SECURE_COOKIES="false",
        CHIIA_LOG_LEVEL="WARNING",
        CHIIA_DEMO_PASSWORD=DEMO_PASSWORD,
        DATABASE_URL=database_url,
        # As in production (docs/deploy.md): sessions and the page's score tables in Redis.
        CHIIA_CACHE_URL=CACHE_URL,
    )
    return env


def manage(env, *args, capture=False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def available_commands(env) -> set[str]:
    text = manage(env, "help", "--commands", capture=True)
    return {line.strip() for line in text.splitlines() if line.strip()}


def prepare(env) -> None:
    commands = available_commands(env)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--clear")
    manage(env, "load_reference_data")
    if "load_place_data" in commands:
        manage(env, "load_place_data")
    manage(env, "seed_demo")
    if "seed_scale" in commands and SCALE_PROJECTS:
        manage(env, "seed_scale", "--projects", str(SCALE_PROJECTS))
    # Settle the freshly loaded database as an operator would after a bulk load, so autovacuum
    # does not start in the middle of a measurement.
    settle(env["DATABASE_URL"])


def settle(url: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "chiia.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                checks = json.load(response)
        except urllib.error.HTTPError as degraded:
            # 503 "degraded" still lists the checks: no task worker runs beside this server, so
            # the task check is never "ok" here; only the database matters for serving pages.
            checks = json.load(degraded)
        except OSError:
            checks = {}
        if checks.get("database", {}).get("status") == "ok":
            return process
        time.sleep(0.3)
    stop(process)
    raise RuntimeError("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(
    name: str, path: str, cookies: list[str], port: int, workdir: Path, seconds: int = SECONDS
) -> dict:
    prefix = workdir / name.replace(" ", "_")
    env = {
        **os.environ,
        "BENCH_PATH": path,
        "BENCH_NAME": name,
        "BENCH_COOKIES": json.dumps(cookies),
    }
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "_locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    row = rows[name]
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
    }


def combine(runs: list[dict]) -> dict:
    """One page's turns together: requests and errors summed, requests/s over the whole
    measured time, latency percentiles as the median of the turns'."""
    seconds = sum(r["requests"] / r["rps"] for r in runs if r["rps"])
    requests = sum(r["requests"] for r in runs)
    return {
        "requests": requests,
        "errors": sum(r["errors"] for r in runs),
        "rps": requests / seconds if seconds else 0.0,
        "p50": statistics.median(r["p50"] for r in runs),
        "p95": statistics.median(r["p95"] for r in runs),
    }


def main() -> int:
    url = bench_url(DEFAULT_URL)
    fresh_database(url)
    env = production_env(url)
    prepare(env)
    script = f"USERS = {USERS}\n" + TARGETS_SCRIPT
    targets_line = next(
        line
        for line in manage(env, "shell", "-c", script, capture=True).splitlines()
        if line.startswith("TARGETS=")
    )
    plan = json.loads(targets_line.removeprefix("TARGETS="))
    port = free_port()
    server = start_gunicorn(env, port)
    rounds: dict[str, list[dict]] = {name: [] for name, _, _ in plan["targets"]}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # An untimed round first, so every page meets warm worker processes and caches.
            for name, path, username in plan["targets"]:
                run_locust(
                    name, path, plan["sessions"].get(username, []), port, Path(tmp), WARM_UP_SECONDS
                )
            # Then the measured time of each page in ROUNDS turns, interleaved, so a slow or
            # busy spell of the machine falls on every page alike rather than on one.
            for _ in range(ROUNDS):
                for name, path, username in plan["targets"]:
                    cookies = plan["sessions"].get(username, [])
                    rounds[name].append(
                        run_locust(name, path, cookies, port, Path(tmp), SECONDS // ROUNDS)
                    )
    finally:
        stop(server)
    results = {name: combine(runs) for name, runs in rounds.items()}
    print(
        f"gunicorn 2 workers, {USERS} users, {SECONDS} s per page in {ROUNDS} interleaved turns, "
        f"PostgreSQL, cache {CACHE_URL or 'local memory'}, DEBUG off"
    )
    print(f"{'page':<14}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>9}{'requests':>10}{'errors':>8}")
    for name, r in results.items():
        print(
            f"{name:<14}{r['p50']:>8.0f}{r['p95']:>8.0f}{r['rps']:>9.1f}{r['requests']:>10}{r['errors']:>8}"
        )
    errors = sum(r["errors"] for r in results.values())
    print(f"errors in total: {errors}")
    ratio = (
        results["assessment"]["rps"] / results["trivial"]["rps"]
        if results["trivial"]["rps"]
        else 0.0
    )
    print(f"load: assessment_rps/trivial_rps = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
