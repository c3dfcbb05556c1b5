# Everyday tasks. `make run` and `make test` do all the set-up they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMPS := .make
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help install setup run dev test lint format check migrations-check pytest test-postgres bench-search messages catalogues static demo clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/installed ## Create .venv with Python 3.11 and install the pinned packages


catalogues: $(STAMPS)/installed ## Compile the message catalogues (no gettext needed)
	$(MANAGE) compile_catalogues

$(STAMPS)/static: $(STAMPS)/installed $(shell find static -type f 2>/dev/null)
	$(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

static: $(STAMPS)/static ## Collect static files (only when they changed)

setup: install catalogues $(STAMPS)/static ## Install, migrate, compile messages, collect static, site tree, demo, admin
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_site
	$(MANAGE) load_demo --if-empty
	$(MANAGE) build_search_index --if-empty
	$(MANAGE) ensure_admin

run: setup ## Set up, then serve the site with gunicorn on http://127.0.0.1:8000 (PORT=… to change)
	PORT=$(PORT) DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} \
		$(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi:application

dev: setup ## Set up, then Django's auto-reloading server with DEBUG on
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

demo: install ## Load the demo content (what exists is left as it is)
	$(MANAGE) load_demo

lint: install ## ruff check
	$(BIN)/ruff check .

format: install ## ruff format and fix what can be fixed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install ## Django's system checks
	$(MANAGE) check

migrations-check: install ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

pytest: install catalogues ## Only the test suite
	$(BIN)/pytest --ds=config.settings.test

test: setup lint check migrations-check pytest ## Set up, then ruff, checks, migrations check and the whole suite

test-postgres: install catalogues ## The whole suite against PostgreSQL (DATABASE_URL, by default the local server)
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/pytest --ds=config.settings.test

# The search benchmark's scratch databases, made afresh by each run, never the site's own (their names
# must hold "bench"; give others to run two benchmarks at once).
BENCH_SQLITE ?= /tmp/rishennia-bench.sqlite3
BENCH_POSTGRES_DB ?= rishennia_bench
BENCH_POSTGRES_URL = $(dir $(POSTGRES_URL))$(BENCH_POSTGRES_DB)
BENCH_SIZES ?= 1000 20000
BENCH_REPEAT ?= 30
# Runs SQL statements (the arguments after the URL) on a PostgreSQL server, outside a transaction.
PG_EXECUTE = $(BIN)/python -c 'import sys, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=5); [c.execute(s) for s in sys.argv[2:]]'

bench-search: install catalogues $(STAMPS)/static ## Time the site search at 1,000 and 20,000 materials on SQLite and PostgreSQL (scratch databases)
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) migrate --noinput --verbosity 0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) setup_site
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) bench_search --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT)
	@if $(PG_EXECUTE) "$(POSTGRES_URL)" "SELECT 1" 2>/dev/null; then \
		set -e; \
		echo "PostgreSQL: a fresh database $(BENCH_POSTGRES_DB)"; \
		$(PG_EXECUTE) "$(POSTGRES_URL)" "DROP DATABASE IF EXISTS $(BENCH_POSTGRES_DB) WITH (FORCE)" "CREATE DATABASE $(BENCH_POSTGRES_DB)"; \
		DATABASE_URL=$(BENCH_POSTGRES_URL) $(MANAGE) migrate --noinput --verbosity 0; \
		DATABASE_URL=$(BENCH_POSTGRES_URL) $(MANAGE) setup_site; \
		DATABASE_URL=$(BENCH_POSTGRES_URL) $(MANAGE) bench_search --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT); \
	else \
		echo "PostgreSQL does not answer at $(POSTGRES_URL): its benchmark is skipped."; \
	fi

messages: install ## Extract interface strings into the catalogues (needs the gettext package: apt-get install gettext)
	$(MANAGE) makemessages --locale uk --locale en --ignore '$(VENV)/*' --ignore 'staticfiles/*' --no-obsolete
	$(MANAGE) compile_catalogues

clean: ## Remove the virtualenv, collected static files and stamps (keeps the database and media)
	rm -rf $(VENV) $(STAMPS) staticfiles
