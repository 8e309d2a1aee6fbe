# Two commands do all the set-up: `make run` serves the tracker with the seeded data,
# `make test` runs the whole suite. Both create the virtual environment they need.

# The first Python 3.11 or newer found (python3 itself, else a versioned name).
PYTHON ?= $(shell for candidate in python3 python3.13 python3.12 python3.11; do \
	command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$candidate; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# The development targets run with DJANGO_DEBUG=1 unless told otherwise: with it off the
# tracker takes itself for a deployment and wants DJANGO_SECRET_KEY.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.DEFAULT_GOAL := help
.PHONY: help install migrate seed run superuser token test browser-test eval bench bench-page lint format clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required (set PYTHON=/path/to/python3)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required (set PYTHON=/path/to/python3).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed  ## Create .venv with the project and its development dependencies

migrate: install  ## Apply migrations to the database DATABASE_URL names (SQLite by default)
	$(DEV) $(MANAGE) migrate --noinput

seed: migrate  ## Load the curated fixtures unless already loaded (curators' edits are kept)
	$(DEV) $(MANAGE) seed

run: seed  ## Serve the tracker with the seeded data on 127.0.0.1:$(PORT)
	@echo ""
	@echo "  API:        http://127.0.0.1:$(PORT)/api/v1/"
	@echo "  API docs:   http://127.0.0.1:$(PORT)/api/docs/   (schema: /api/schema/)"
	@echo "  Admin:      http://127.0.0.1:$(PORT)/admin/"
	@echo "  Admin login: run 'make superuser' in another terminal and choose a password."
	@echo "  API token:   $(MANAGE) create_token <username>   (with DJANGO_DEBUG=1 in development)"
	@echo ""
	$(DEV) $(MANAGE) runserver 127.0.0.1:$(PORT)

superuser: migrate  ## Create an admin login (asks for a name and password)
	$(DEV) $(MANAGE) createsuperuser

token: migrate  ## Print a new API token for a user (make token FOR=alice)
	@test -n "$(FOR)" || { echo "Name the user: make token FOR=<username>"; exit 1; }
	@$(DEV) $(MANAGE) create_token $(FOR)

# One worker per core (TEST_WORKERS=0 runs in one process); a test file stays on one worker,
# so the seed a module loads once is loaded once.
TEST_WORKERS ?= auto

test: install  ## Run the whole suite (on PostgreSQL when DATABASE_URL names it)
	$(BIN)/pytest --numprocesses $(TEST_WORKERS) --dist loadfile

browser-test: install  ## Run the browser tests in Debian's Chromium (installed if missing; root)
	bash .ci/install-chromium.sh
	BROWSER_TESTS=required $(BIN)/pytest -m browser

eval: seed  ## Print the readout parser's accuracy per field over tests/corpus/readouts
	$(DEV) $(MANAGE) evaluate_parser $(if $(MISSES),--misses)

bench: seed  ## Time the parser, then the API under load on PostgreSQL beside its floor (BENCHMARKS.md)
	$(DEV) $(MANAGE) benchmark_parser
	$(BIN)/python -m benchmarks.run

# Measured with the production settings (DJANGO_DEBUG off), as a deployment serves the page.
bench-page: seed  ## Print the admin meeting page's HTML size and server time (41 statements)
	DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-bench-only} \
		$(MANAGE) measure_meeting_page --repeat 20

lint: install  ## ruff check and format check, and models match migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(MANAGE) makemigrations --check --dry-run

format: install  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## Remove the virtual environment, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
