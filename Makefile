# The project's front door: `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development runs with DEBUG on; production sets its own environment (see README).
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: setup run test test-fast lint test-postgres test-redis format clean browser tools screenshots audit bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.requirements
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py render_articles -v0

run: setup
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium, never a browser Playwright downloads.
CHROMIUM := /usr/bin/chromium

browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && apt-get install -y chromium; \
		else \
			echo "$(CHROMIUM) not found: install it with 'sudo apt-get install chromium'." >&2; \
			exit 1; \
		fi; \
	fi

# The markup and audit checkers (Nu HTML Checker, axe-core, Lighthouse) come from npm
# and run on Java and Node.js; Debian's packages provide those when they are missing.
TOOLS := tests/tools

tools: $(TOOLS)/node_modules/.installed

$(TOOLS)/node_modules/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	@for need in "npm:nodejs npm" "java:default-jre-headless"; do \
		command -v $${need%%:*} >/dev/null && continue; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && apt-get install -y $${need#*:}; \
		else \
			echo "$${need%%:*} not found: install it with 'sudo apt-get install $${need#*:}'." >&2; \
			exit 1; \
		fi; \
	done
	cd $(TOOLS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Spread over one process per core (pytest-xdist).
test: lint browser tools
	$(BIN)/pytest -n auto --dist worksteal

# The edit-test loop: no lint, no browser, no external checkers.
test-fast: $(VENV)/.requirements-dev
	$(BIN)/pytest -n auto --dist worksteal -m "not browser and not checker"

# The same suite against a throwaway PostgreSQL server on 127.0.0.1.
test-postgres: $(VENV)/.requirements-dev browser tools
	.ci/with-postgres $(BIN)/pytest -n auto --dist worksteal

# The page cache's tests against a throwaway Redis server on 127.0.0.1 (`make test` uses
# each process's own memory), with each worker's pages kept in front of it: on SQLite,
# then on PostgreSQL.
test-redis: $(VENV)/.requirements-dev
	.ci/with-redis $(BIN)/pytest tests/test_page_cache.py tests/test_generation.py
	.ci/with-postgres .ci/with-redis $(BIN)/pytest tests/test_page_cache.py tests/test_generation.py

# Requests per second of every public page against a bare-view ceiling, served as
# production serves them (README, "Performance"): `make bench ARTICLES=1000,100000`,
# `POSTGRES=1` for PostgreSQL, `BENCH_SECONDS=10` of load per page. Not part of `make test`.
ARTICLES ?= 1000
BENCH_SECONDS ?= 10
bench: $(VENV)/.requirements-dev
	@for need in wrk redis-server; do \
		command -v $$need >/dev/null && continue; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && apt-get install -y $$need; \
		else \
			echo "$$need not found: install it with 'sudo apt-get install $$need'." >&2; \
			exit 1; \
		fi; \
	done
	$(BIN)/python $(TOOLS)/bench.py --articles $(ARTICLES) --seconds $(BENCH_SECONDS) $(if $(POSTGRES),--postgres)

# Lighthouse (desktop) scores of every page type, served as production serves them.
audit: $(VENV)/.requirements-dev browser tools
	$(BIN)/python $(TOOLS)/audit.py

# The README's editor guide screenshots, taken by the browser tests at each step.
screenshots: $(VENV)/.requirements-dev browser
	rm -f docs/screenshots/*.png
	NEWSROOM_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/test_browser.py

format: $(VENV)/.requirements-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles
