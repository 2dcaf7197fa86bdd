"""The PostgreSQL side of the benchmarks: make sure the role in the benchmark's URL can sign in
and create databases, then drop and recreate the benchmark's own database.

On a fresh clone the role does not exist yet (`.ci/run` creates it for the tests). When we run
as root next to a local cluster we create it the same way `.ci/run` does, through the `postgres`
superuser; otherwise we stop with one line saying what to set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlparse

URL_VARIABLE = "CHIIA_BENCH_DATABASE_URL"


def bench_url(default: str) -> str:
    """The benchmark's database URL: CHIIA_BENCH_DATABASE_URL (BENCH_DATABASE_URL is still
    read for older set-ups), else `default`. Never DATABASE_URL: the benchmark drops what it uses."""
    url = os.environ.get(URL_VARIABLE) or os.environ.get("BENCH_DATABASE_URL") or default
    if not url.startswith(("postgres://", "postgresql://")):
        _stop(f"{URL_VARIABLE} must be a postgres:// URL (got {url!r})")
    return url


def _stop(message: str):
    raise SystemExit(f"bench: {message}")


def _parts(url: str) -> dict:
    parts = urlparse(url)
    return {
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "name": parts.path.lstrip("/"),
    }


def _connect(url: str):
    import psycopg2

    parts = _parts(url)
    return psycopg2.connect(
        dbname="postgres",
        user=parts["user"],
        password=parts["password"],
        host=parts["host"],
        port=parts["port"],
    )


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create_role_as_superuser(url: str) -> bool:
    """Create the URL's role (LOGIN CREATEDB, the URL's password) through the local `postgres`
    superuser, as `.ci/run` does. Returns False when this process cannot do that."""
    if os.geteuid() != 0 or not shutil.which("su") or not shutil.which("psql"):
        return False
    parts = _parts(url)
    role = _quote_identifier(parts["user"])
    sql = (
        "DO $$ BEGIN\n"
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_quote_literal(parts['user'])}) THEN\n"
        f"    CREATE ROLE {role} LOGIN CREATEDB PASSWORD {_quote_literal(parts['password'])};\n"
        "  END IF;\n"
        "END $$;\n"
    )
    result = subprocess.run(
        ["su", "postgres", "-c", "psql -v ON_ERROR_STOP=1 -q"],
        input=sql,
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stderr.strip(), file=sys.stderr)
    return result.returncode == 0


def admin_connection(url: str):
    """An autocommit connection to the `postgres` database as the URL's role, creating the role
    first when it is missing and we are allowed to."""
    import psycopg2

    parts = _parts(url)
    try:
        connection = _connect(url)
    except psycopg2.OperationalError as first_error:
        if "Connection refused" in str(first_error) or "could not connect" in str(first_error):
            _stop(
                f"PostgreSQL is not answering at {parts['host']}:{parts['port']}; start it "
                f"(e.g. pg_ctlcluster 15 main start) or set {URL_VARIABLE}"
            )
        if not _create_role_as_superuser(url):
            _stop(
                f"cannot sign in to PostgreSQL as {parts['user']!r} ({str(first_error).strip()}); "
                f"create that role with LOGIN CREATEDB or set {URL_VARIABLE} to one that has them"
            )
        print(f"bench: created PostgreSQL role {parts['user']!r} (LOGIN CREATEDB)", flush=True)
        try:
            connection = _connect(url)
        except psycopg2.OperationalError as error:
            _stop(
                f"cannot sign in to PostgreSQL as {parts['user']!r} ({str(error).strip()}); "
                f"check the password in {URL_VARIABLE}"
            )
    connection.autocommit = True
    return connection


def fresh_database(url: str, *, template: str | None = None, name: str | None = None) -> str:
    """Drop and create the URL's database (or `name`), optionally as a copy of `template`;
    returns its name."""
    name = name or _parts(url)["name"]
    admin = admin_connection(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote_identifier(name)}")
            copy = f" TEMPLATE {_quote_identifier(template)}" if template else ""
            cursor.execute(f"CREATE DATABASE {_quote_identifier(name)}{copy}")
    finally:
        admin.close()
    return name
