# Two commands do all the set-up: `make run` serves the tracker with the seeded data,
# `make test` runs the whole suite. Both create the virtual environment they need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install migrate seed run superuser test eval bench lint format clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required (set PYTHON=/path/to/python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed  ## Create .venv with the project and its development dependencies

migrate: install  ## Apply migrations to the database DATABASE_URL names (SQLite by default)
	$(MANAGE) migrate --noinput

seed: migrate  ## Load the curated fixtures unless already loaded (curators' edits are kept)
	$(MANAGE) seed

run: seed  ## Serve the tracker with the seeded data on 127.0.0.1:$(PORT)
	@echo ""
	@echo "  API:        http://127.0.0.1:$(PORT)/api/v1/"
	@echo "  API docs:   http://127.0.0.1:$(PORT)/api/docs/   (schema: /api/schema/)"
	@echo "  Admin:      http://127.0.0.1:$(PORT)/admin/"
	@echo "  Admin login: run 'make superuser' in another terminal and choose a password."
	@echo "  API token:   $(MANAGE) drf_create_token <username>"
	@echo ""
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(MANAGE) runserver 127.0.0.1:$(PORT)

superuser: migrate  ## Create an admin login (asks for a name and password)
	$(MANAGE) createsuperuser

test: install  ## Run the whole suite (on PostgreSQL when DATABASE_URL names it)
	$(BIN)/pytest

eval: seed  ## Print the readout parser's accuracy per field over tests/corpus/readouts
	$(MANAGE) evaluate_parser $(if $(MISSES),--misses)

bench: seed  ## Time the parser, then the API under load on PostgreSQL beside its floor (BENCHMARKS.md)
	$(MANAGE) benchmark_parser
	$(BIN)/python -m benchmarks.run

lint: install  ## ruff check and format check, and models match migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## Remove the virtual environment, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
