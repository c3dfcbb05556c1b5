# Everyday tasks. `make run` and `make test` do all the set-up they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMPS := .make
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help install setup run dev test lint format check migrations-check pytest test-postgres messages catalogues static demo clean

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

messages: install ## Extract interface strings into the catalogues (needs the gettext package: apt-get install gettext)
	$(MANAGE) makemessages --locale uk --locale en --ignore '$(VENV)/*' --ignore 'staticfiles/*' --no-obsolete
	$(MANAGE) compile_catalogues

clean: ## Remove the virtualenv, collected static files and stamps (keeps the database and media)
	rm -rf $(VENV) $(STAMPS) staticfiles
