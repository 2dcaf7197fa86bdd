# CHIIA – one command to run the app, one to run the tests. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Django 6.1 needs Python 3.12 or newer: take the first suitable interpreter we can find.
PYTHON_CANDIDATES := python3.13 python3.12 /root/.pyenv/versions/3.13.0/bin/python3 /root/.pyenv/versions/3.12.1/bin/python3 /usr/bin/python3 python3
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then command -v $$p; break; fi; done)
DEV_ENV := DJANGO_DEBUG=true
TEST_ENV := DJANGO_DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true CHIIA_TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra
APT_TEST_PACKAGES := chromium poppler-utils

.PHONY: help python system-deps test-system-deps install migrate reference demo run worker test test-fast lint check bench clean

help:
	@echo "make run    set everything up on SQLite, load reference and demo data, serve on http://127.0.0.1:8000"
	@echo "make test   set everything up and run the whole test suite (PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff, import-linter and mypy"
	@echo "make bench  run the benchmarks in bench/"

python:
	@if [ -z "$(PYTHON)" ]; then echo "ERROR: CHIIA needs Python 3.12 or newer (Django 6.1). Install python3.12 or set PYTHON=/path/to/python3.12." >&2; exit 1; fi

# Debian packages: installed only when missing, and only when we can (root with apt-get).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install these Debian packages:$$missing" >&2; fi; \
	fi

test-system-deps: system-deps
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install these Debian packages:$$missing" >&2; fi; \
	fi

$(VENV)/.installed: pyproject.toml | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: system-deps $(VENV)/.installed node_modules/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

reference: migrate
	$(DEV_ENV) $(PY) manage.py load_reference_data

demo: reference
	$(DEV_ENV) $(PY) manage.py load_place_data
	$(DEV_ENV) $(PY) manage.py seed_demo

# The background worker (project reports) runs alongside the web server and stops with it;
# run_worker restarts it after a database error instead of letting it exit.
run: demo
	@echo "Serving CHIIA on http://127.0.0.1:8000 with a background task worker (Ctrl+C to stop)"
	@$(DEV_ENV) $(PY) manage.py run_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

worker: migrate
	$(DEV_ENV) $(PY) manage.py run_worker

# The suite runs on every core (pytest-xdist), one test database per worker; idle workers take
# waiting tests from busy ones (worksteal: one file holds the axe checks of every role, which
# kept one worker busy long after the other had finished); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := -n $(PYTEST_WORKERS) --dist worksteal

test: test-system-deps install
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-fast: install
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_XDIST) -m "not browser" $(PYTEST_ARGS)

# Style, layers and types: ruff (rules and formatting), import-linter (the layer contracts in
# pyproject.toml) and mypy with django-stubs. .ci/run runs this before the tests.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(VENV)/bin/mypy assessments chiia

check: install
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

bench: test-system-deps install
	$(DEV_ENV) $(PY) -m bench

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
