# Rebond: `make demo` serves the portal with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_PORT ?= 8420
export DJANGO_SETTINGS_MODULE ?= reuse.settings.dev

.PHONY: install install-runtime demo serve test check lint pytest services-test cluster-test bench format messages clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

# Two locks: requirements.lock holds what the site, the worker and beat import (what production installs);
# requirements-dev.lock holds the same pins plus the demo's and the tests' tools (pytest, ruff, playwright,
# locust, localstripe...). The demo and the suite install the second; see README "Dependencies".
# Installs exactly the locked versions (with hashes) and nothing else. Bytecode is compiled once here, not
# again by every process the suite starts (pytest, its xdist workers, manage.py, the Celery worker) where
# PYTHONDONTWRITEBYTECODE is set.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode requirements-dev.lock
	$(BIN)/python -m pip --version >/dev/null
	touch $@

install: $(VENV)/.installed

# What a production machine installs: requirements.lock only, in its own virtualenv (no test tool, no localstripe).
# The cluster test runs every production process from it.
RUNTIME_VENV := .venv-runtime
$(RUNTIME_VENV)/.installed: requirements.lock | $(BIN)/uv
	$(PYTHON) -m venv $(RUNTIME_VENV)
	$(BIN)/uv pip sync --quiet --python $(RUNTIME_VENV)/bin/python --require-hashes --compile-bytecode requirements.lock
	touch $@

install-runtime: $(RUNTIME_VENV)/.installed

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@$(MAKE) --no-print-directory serve

# localstripe (fake Stripe) on 127.0.0.1:$(STRIPE_PORT) beside the portal, stopped with it.
serve:
	@set -e; \
	$(BIN)/localstripe --port $(STRIPE_PORT) > .localstripe.log 2>&1 & stripe_pid=$$!; \
	trap 'kill $$stripe_pid 2>/dev/null' EXIT INT TERM; \
	STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT) $(BIN)/python manage.py demo_stripe --wait; \
	echo "Rebond : http://$(HOST):$(PORT)/  (admin : /admin/, comptes : README.md)"; \
	STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install check pytest

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=reuse.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=reuse.settings.test $(BIN)/python manage.py check

# The default pass: SQLite, eager Celery, no external service; one xdist worker per core (each with its own
# in-memory database); the ten slowest tests listed at the end, so that a slow one is seen when it is added.
# The test profile (MD5 hasher, unknown template variables fail, throwaway media folders), not the dev profile
# exported above for manage.py: pytest-django takes the environment's settings over pyproject.toml's.
pytest: install
	DJANGO_SETTINGS_MODULE=reuse.settings.test $(BIN)/python -m pytest -m "not services and not browser" \
		-n auto --durations=10 $(PYTEST_ARGS)

# The PostgreSQL/Redis/worker/browser pass, as .ci/run runs it.
services-test: install
	bash .ci/run --services-only

# The production topology on one machine (tests/cluster/): two gunicorn instances, two Celery workers and two
# beats in the production profile from .venv-runtime, on one PostgreSQL and one Redis (broker and cache in two
# databases); started and stopped by the test, bounded by `timeout`.
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rebond_cluster
CLUSTER_BROKER_URL ?= redis://127.0.0.1:6379/11
CLUSTER_CACHE_URL ?= redis://127.0.0.1:6379/12
# --reuse-db where the test database was made beforehand (.ci/run copies it from one migrated template).
CLUSTER_DB_FLAG ?= --create-db
cluster-test: install install-runtime
	redis-cli -u $(CLUSTER_BROKER_URL) flushdb >/dev/null
	redis-cli -u $(CLUSTER_CACHE_URL) flushdb >/dev/null
	DATABASE_URL=$(CLUSTER_DATABASE_URL) CELERY_BROKER_URL=$(CLUSTER_BROKER_URL) CACHE_URL=$(CLUSTER_CACHE_URL) \
		DJANGO_SETTINGS_MODULE=reuse.settings.test timeout 600 $(BIN)/python -m pytest tests/cluster -m cluster \
		-n 0 $(CLUSTER_DB_FLAG) --durations=10 $(PYTEST_ARGS)

# Benchmarks on PostgreSQL (figures printed and written to docs/benchmarks.md; nothing asserts on time).
# A new database each run: every figure starts from the same data (demo data plus the benchmarks' own rows).
# The 1,000,000-device seeding (COPY) and the measurements are bounded (bench_scale --budget); the run prints
# its duration. BENCH_DATABASE_URL names the database that is dropped and created again.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rebond_bench
BENCH_DB := $(lastword $(subst /, ,$(BENCH_DATABASE_URL)))
bench: install
	dropdb -h 127.0.0.1 -U postgres --if-exists $(BENCH_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py seed_demo --force
	@started=$$(date +%s); DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench $(BENCH_ARGS); \
	echo "make bench: $$(( $$(date +%s) - started )) s"

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l en --no-wrap --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=.bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) $(RUNTIME_VENV) db.sqlite3 staticfiles .cluster-static .test-media .localstripe.log
