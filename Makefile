# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-slow test-production lint format venv clean requirements

PORT ?= 8000

# requirements-dev.txt = the server's requirements.txt + test tools, every package pinned with its hashes.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Local development server with the demo records (SQLite file db.sqlite3, DEBUG on).
run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo_data
	DEBUG=1 PORT=$(PORT) $(PY) manage.py create_demo_admin
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# ruff (lint + format check), the layer contract (lint-imports), then the whole pytest suite
# (SQLite unless DATABASE_URL is set).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(PY) -m pytest $(PYTEST_ARGS)

# The long property-based runs of the importer (10,000 random files; several minutes), all tests marked slow.
test-slow: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} HYPOTHESIS_PROFILE=slow $(PY) -m pytest -m slow $(PYTEST_ARGS)

# The production topology on 127.0.0.1: gunicorn with 3 workers (DEBUG off), PostgreSQL and Redis
# (both must be running), a change seen by every worker, the access log, a bounded wrk load test.
test-production: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-test-only-not-secret} $(PY) -m pytest -m production -p no:cacheprovider -s $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Re-pin every package with its hashes after editing requirements.in or requirements-dev.in.
requirements: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements-dev.txt requirements-dev.in
