# Ledernetværket. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := .make

.PHONY: run run-cluster test test-fast screenshots lint audit format translations extract-messages vendor install install-test dictionary clean bench bench-http

run: install vendor translations
	$(BIN)/network init-db
	$(BIN)/network seed-demo --if-empty
	PORT=$(PORT) $(BIN)/network run --port $(PORT)

# The several-process tier on this machine: nginx (sticky) + 2 gunicorn processes, PostgreSQL, Redis.
run-cluster: install vendor translations
	@command -v nginx >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx)
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='ledernetvaerket'" | grep -q 1 \
		|| psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE ledernetvaerket"
	$(BIN)/python -m network.cluster --port $(PORT)

test: install-test vendor translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# HTTP pages under gunicorn: wrk load, SQLite and PostgreSQL, hello ceiling. E.g. BENCH_HTTP_ARGS="--soak-minutes 10".
BENCH_HTTP_ARGS ?=
bench-http: install
	@command -v wrk >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.http $(BENCH_HTTP_ARGS)

# The README's pictures (docs/screenshots/), taken by the layout test's walk through the demo network.
screenshots: install-test vendor translations
	NETWORK_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/e2e/test_layout.py -k member

test-fast: install-test translations
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache  # the architecture contracts in pyproject.toml (docs/architecture.md)
	$(MAKE) --no-print-directory audit

# Known vulnerabilities in the installed dependencies (PyPI's advisory data). Offline, pip-audit
# says which packages it could not check instead of failing.
audit: install-test
	$(BIN)/pip-audit --progress-spinner off --skip-editable

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Search benchmarks (Whoosh beside SQLite FTS5); results in docs/benchmarks.md. BENCH_SIZES="10000 100000".
BENCH_SIZES ?= 10000
bench: install
	$(BIN)/python -m bench.search --sizes $(BENCH_SIZES) --out docs/benchmarks.md

# --- set-up steps (each reruns only when its inputs change) ---------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP)/install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/install-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@mkdir -p $(STAMP) && touch $@ $(STAMP)/install

install: $(STAMP)/install dictionary
install-test: $(STAMP)/install-test dictionary

# The Danish dictionary the search splits compounds with (Debian's hunspell-da). Where apt cannot
# install it (not Debian, not root) the search works without compounds and logs a warning.
dictionary:
	@test -f /usr/share/hunspell/da_DK.dic || test -n "$$NETWORK_SEARCH_DICTIONARY" \
		|| { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get update -q \
			&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q hunspell-da; } \
		|| echo "Note: Debian's hunspell-da is missing: the search runs without Danish compounds."

$(STAMP)/vendor: package.json package-lock.json tools/vendor.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node tools/vendor.mjs
	@mkdir -p $(STAMP) && touch $@

vendor: $(STAMP)/vendor

# Danish is the source language of the templates; English is the translation. --ignore-dirs
# replaces Babel's default, which skips folders starting with "_" (templates/_macros/).
extract-messages: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --ignore-dirs=".* node_modules static" -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching

translations: install
	$(BIN)/pybabel -q compile -d translations

clean:
	rm -rf $(VENV) $(STAMP) node_modules static/vendor
