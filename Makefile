# Mentorship portal: developer tasks.
#
#   make            list the targets
#   make run        local server with demo data on http://127.0.0.1:8000/
#   make test       everything CI checks (PostgreSQL and SQLite)
#
# Variables you may override:  make run PORT=8080   make test PYTEST_ARGS="-k login -x"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
RUFF        := $(VENV)/bin/ruff
STAMP       := $(VENV)/.installed
REQUIREMENTS := $(wildcard requirements*.txt)

PORT        ?= 8000
# Local targets (run, migrate, demo, worker) run with DEBUG=1 unless DEBUG is set.
DEBUG       ?= 1
PYTEST_ARGS ?=

SQLITE_TEST_DB := $(CURDIR)/.test-db.sqlite3
# Settings for the checks in `make test` that need Django but no real database.
CHECK_ENV   := DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///$(SQLITE_TEST_DB)

# Dummy values that only exist to let `check --deploy` load the production settings.
DEPLOY_ENV  := DJANGO_SETTINGS_MODULE=config.settings.production \
               SECRET_KEY=check-deploy-dummy-Vq7Lm2Xk9Rt4Bz8Nw3Hc6Jp1Fy5Gd0Sa7Ue2Ko9Ti4 \
               ALLOWED_HOSTS=example.org DEBUG=0

# Debian packages the test suite needs (Chromium for Playwright, WeasyPrint's
# libraries and fonts, pdftoppm, pg_virtualenv).
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
                   libharfbuzz-subset0 fonts-liberation fonts-dejavu-core postgresql-common
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

DEMO_LOGINS := coordinator, curator1, curator2, director1  (password: demo12345)

.PHONY: help venv run system-deps test test-pg test-sqlite lint fmt check-deploy \
        migrate demo worker clean

help: ## List the targets
	@echo "Usage: make <target> [PORT=8000] [PYTEST_ARGS='...']"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(firstword $(MAKEFILE_LIST)) \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

# --- environment ------------------------------------------------------------

venv: $(STAMP) ## Create .venv and install requirements-dev.txt (only when requirements change)

$(STAMP): $(REQUIREMENTS)
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  echo "$(PYTHON) cannot create virtual environments; installing python3-venv"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
	  $(PYTHON) -m venv --clear $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

system-deps: ## Install missing Debian packages the tests need (apt-get only if something is missing)
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s "$$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then echo "System packages: all present."; exit 0; fi; \
	echo "Installing missing Debian packages:$$missing"; \
	if [ "$$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then \
	  echo "ERROR: not root and no sudo; install as root:$$missing" >&2; exit 1; \
	fi; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

# --- local development ------------------------------------------------------

# The demo shows the portal's own Russian error pages, as production does; a developer who wants
# Django's technical pages (traceback, URL list) asks: make run DEBUG_TECHNICAL_PAGES=1.
# Static files come from static/ through WhiteNoise: no collectstatic needed.
run: venv ## Migrate, load demo data, start the worker and the dev server (PORT=8000)
	@set -euo pipefail; \
	export DEBUG=$(DEBUG); \
	$(MANAGE) migrate --noinput; \
	$(MANAGE) load_demo; \
	$(MANAGE) worker & worker=$$!; \
	stop_worker() { kill "$$worker" 2>/dev/null || true; wait "$$worker" 2>/dev/null || true; }; \
	trap stop_worker EXIT; \
	trap 'exit 130' INT TERM; \
	echo; \
	echo "  Portal:      http://127.0.0.1:$(PORT)/"; \
	echo "  Demo logins: $(DEMO_LOGINS)"; \
	echo "  Background worker pid $$worker; Ctrl-C stops both."; \
	echo "  Error pages: $$([ "$${DEBUG_TECHNICAL_PAGES:-0}" = 1 ] && echo "Django's technical ones (DEBUG_TECHNICAL_PAGES=1)" || echo "the portal's own, as in production")"; \
	echo; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

migrate: venv ## Apply migrations
	DEBUG=$(DEBUG) $(MANAGE) migrate --noinput

demo: venv ## Load the demo municipality and logins (idempotent)
	DEBUG=$(DEBUG) $(MANAGE) load_demo
	@echo "Demo logins: $(DEMO_LOGINS)"

worker: venv ## Run the background worker (tasks, stuck-job sweep, daily purge) in the foreground
	DEBUG=$(DEBUG) $(MANAGE) worker

# --- checks -----------------------------------------------------------------

test: venv system-deps ## Migration check, ruff, then pytest on PostgreSQL and on SQLite
	$(CHECK_ENV) $(MANAGE) makemigrations --check --dry-run
	$(RUFF) check .
	@pg=0; sqlite=0; \
	scripts/test-postgres.sh $(PYTEST_ARGS) || pg=$$?; \
	scripts/test-sqlite.sh $(PYTEST_ARGS) || sqlite=$$?; \
	echo; \
	echo "=== Summary: PostgreSQL $$([ $$pg = 0 ] && echo passed || echo "FAILED (exit $$pg)"), SQLite $$([ $$sqlite = 0 ] && echo passed || echo "FAILED (exit $$sqlite)") ==="; \
	[ $$pg = 0 ] && [ $$sqlite = 0 ]

test-pg: venv system-deps ## Run pytest on PostgreSQL only
	scripts/test-postgres.sh $(PYTEST_ARGS)

test-sqlite: venv system-deps ## Run pytest on SQLite only
	scripts/test-sqlite.sh $(PYTEST_ARGS)

lint: venv ## ruff check
	$(RUFF) check .

fmt: venv ## ruff format
	$(RUFF) format .

check-deploy: venv ## manage.py check --deploy with production settings and dummy secrets
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

clean: ## Remove .venv, caches and SQLite databases
	rm -rf $(VENV) .pytest_cache .ruff_cache .test-media db.sqlite3 .test-db.sqlite3*
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
