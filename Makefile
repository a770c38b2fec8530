# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST_PORT ?= 127.0.0.1:8000

# gunicorn sync workers, 3 on 2 cores. The web requests are CPU-bound and take 10-50 ms
# (the PDF renders in the Celery worker): more workers than cores only share the same CPU
# and make every request wait for the others. Measured 2026-12-07 (docs/performance.md):
# 100 users p95 92/101/55 ms with 3 workers, 94/97/64 with 2, 138/160/64 with 6; 50 users
# with reports met every budget with 3.
WORKERS ?= 3
SERVE_SECRET := .serve-secret-key
# The Celery worker of `make serve` renders the PDF reports (docs/decisions/0005): one
# process per core; a render is CPU-bound and takes a few seconds.
CELERY_BROKER_URL_DEFAULT := redis://127.0.0.1:6379/0
# The shared cache of `make serve` (benchmark release, rate limits): the same Redis, its own
# database, so that all gunicorn workers count and see the same (docs/deployment.md).
CACHE_URL_DEFAULT := redis://127.0.0.1:6379/1
# /metrics sums the gunicorn workers and the Celery worker through this folder, emptied at
# every start (prometheus_client's multiprocess mode; docs/deployment.md, "Monitoring").
PROMETHEUS_DIR := $(CURDIR)/.prometheus
CELERY_CONCURRENCY ?= 2
# Renders yield to web requests: the worker runs at a lower CPU priority than gunicorn, so
# on a shared machine a page waits for a render only when the cores have nothing else to
# do (docs/performance.md, the 200-user runs with and without reports).
CELERY_NICE ?= 19
# Celery beat (reminder e-mails) runs inside the worker here; it keeps its last runs here.
BEAT_SCHEDULE := .celerybeat-schedule

# Translations: Dutch is the source language, locale/en/LC_MESSAGES/django.po the English
# catalogue; both it and the compiled .mo are committed (`make messages` updates them), so
# running the app needs no gettext tools. tests/test_i18n.py checks the .mo matches the .po.
# Directories that are not the app's own source; compilemessages needs them too, or it
# compiles every package's catalogue in .venv.
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests --ignore=staticfiles --ignore=media --ignore=build --ignore=test-artifacts '--ignore=*.egg-info'
# No source locations (a moved line is no change) and no obsolete entries.
# tests/test_i18n.py reads these two lines and checks the catalogue with the same options.
MAKEMESSAGES_ARGS := --locale=en --no-location --no-obsolete $(I18N_IGNORE)
COMPILEMESSAGES_ARGS := -v0 $(I18N_IGNORE)

.PHONY: run setup serve test messages lint format demo-password clean bench-seed bench-load bench-peer

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# axe-core for the browser tests (tests/e2e, docs/accessibility.md), from the npm registry
# at the version in the lock; reinstalled when the lock changes. Without npm (or when npm
# fails) the browser tests skip with the reason; CI sets CI_REQUIRE_E2E=1, so there they fail.
E2E_NPM := tests/e2e/node_modules/.installed
$(E2E_NPM): tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error && touch $@ \
	    || echo "npm ci --prefix tests/e2e mislukte: de browsertests worden overgeslagen."; \
	else \
	  echo "npm ontbreekt: de browsertests (tests/e2e) worden overgeslagen."; \
	fi

# oidc-provider for the single sign-on tests (tests/oidc/provider.mjs, a real OpenID Connect
# provider on loopback; docs/decisions/0008-openid-connect.md), the same way: from the npm
# registry at the lock's versions. Without Node.js those tests skip with the reason
# locally and fail in CI (CI_REQUIRE_E2E=1).
OIDC_NPM := tests/oidc/node_modules/.installed
$(OIDC_NPM): tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error && touch $@ \
	    || echo "npm ci --prefix tests/oidc mislukte: de SSO-tests worden overgeslagen."; \
	else \
	  echo "npm ontbreekt: de SSO-tests met de test-inlogdienst worden overgeslagen."; \
	fi

## Set up the database (idempotent): migrate, question bank, municipalities with their role
## in the region (the 43 centrumgemeenten), demo login.
setup: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_questionbank
	DEBUG=1 $(PY) manage.py load_municipalities --centrumgemeenten
	DEBUG=1 $(PY) manage.py setup_demo

## Start the app on http://127.0.0.1:8000 (development server, SQLite unless DATABASE_URL).
run: setup
	DEBUG=1 TWO_FACTOR_REQUIRED=0 $(PY) manage.py runserver $(HOST_PORT)

## Production-like server: gunicorn, WhiteNoise, DEBUG off, settings from the environment,
## and a Celery worker for the PDF reports (Redis at 127.0.0.1:6379 unless
## CELERY_BROKER_URL says otherwise); the worker stops when gunicorn does.
## On loopback without TLS, HTTPS=0; a real deployment keeps HTTPS on (docs/deployment.md).
serve: $(VENV)/.installed
	test -n "$$SECRET_KEY" || test -s $(SERVE_SECRET) || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $(SERVE_SECRET)
	export SECRET_KEY="$${SECRET_KEY:-$$(cat $(SERVE_SECRET))}" HTTPS="$${HTTPS:-0}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SITE_URL="$${SITE_URL:-http://$(HOST_PORT)}" \
	  CELERY_BROKER_URL="$${CELERY_BROKER_URL:-$(CELERY_BROKER_URL_DEFAULT)}" \
	  CACHE_URL="$${CACHE_URL:-$(CACHE_URL_DEFAULT)}" \
	  PROMETHEUS_MULTIPROC_DIR="$${PROMETHEUS_MULTIPROC_DIR:-$(PROMETHEUS_DIR)}"; \
	mkdir -p "$$PROMETHEUS_MULTIPROC_DIR" && find "$$PROMETHEUS_MULTIPROC_DIR" -name '*.db' -delete && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py load_questionbank && \
	$(PY) manage.py load_municipalities || exit 1; \
	nice -n $(CELERY_NICE) $(VENV)/bin/celery -A config worker --beat --schedule $(BEAT_SCHEDULE) \
	  --loglevel INFO --concurrency $(CELERY_CONCURRENCY) & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(VENV)/bin/gunicorn config.wsgi --workers $(WORKERS) --bind $(HOST_PORT) --timeout 60

## Run the whole test suite, on TEST_WORKERS processes (pytest-xdist; TEST_WORKERS=0: one
## process). Each worker has its own test database (test_<name>_gw0, ...); a test module
## stays on one worker and the browser tests share one (tests/conftest.py).
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev $(E2E_NPM) $(OIDC_NPM)
	SECRET_KEY=test-only-not-secret $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

## Load benchmark (docs/performance.md). Fill a throwaway PostgreSQL database with the
## national load, then, with `DATABASE_URL=$(BENCH_DATABASE_URL) make serve` running (its
## Celery worker renders the reports), measure: make bench-load [BENCH_ARGS="--weight
## report=0 --json /tmp/a.json"], and with reports: BENCH_ARGS="--compare /tmp/a.json".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/scan_bench
bench-seed: $(VENV)/.installed
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=bench-only-not-secret $(PY) bench/seed.py

bench-load: $(VENV)/.installed-bench
	$(PY) bench/load.py $(BENCH_ARGS)

## Our step and results pages timed against the peer survey app in the same run; it starts
## its own server. PEER_BENCH_DIR: the peer's scripts (default ../shared/bench/peer).
bench-peer: $(VENV)/.installed
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/peer.py $(BENCH_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[bench]"
	touch $@

## Update the English catalogue from the Dutch source strings, then translate every new or
## empty msgstr in locale/en/LC_MESSAGES/django.po (no fuzzy entries: tests/test_i18n.py).
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages $(MAKEMESSAGES_ARGS)
	DEBUG=1 $(PY) manage.py compilemessages $(COMPILEMESSAGES_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo-password: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py setup_demo --reset-password

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
