# Portail Famille — the two commands a newcomer needs: `make run` and `make test`.
# Every variable set in the environment (DATABASE_URL, DEBUG, …) wins over .env.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench install install-dev clean

# HOST and PORT reach the settings too: PORTAL_URL (links in PDFs and e-mails, the PayFiP
# simulator) defaults to this server's address in development.
run: $(VENV)/.runtime .env  ## Install, create the database, migrate, load the demo, serve on :8000
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev node_modules/.installed .env  ## Install test tools, lint, run the whole suite
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadfile

bench: $(VENV)/.dev .env  ## Benchmarks (not part of make test): they print figures
	$(PY) -m tests.bench.run

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

.env:
	cp .env.example .env

clean:
	rm -rf $(VENV) node_modules staticfiles
