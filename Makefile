# hirfa — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test check-browser bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

## make run: install, migrate, load reference and demo data, serve on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	$(BIN)/hirfa migrate --noinput
	$(BIN)/hirfa collectstatic --noinput --verbosity 0
	$(BIN)/hirfa load_territory
	$(BIN)/hirfa load_crafts
	$(BIN)/hirfa load_demo
	$(BIN)/hirfa expire_registrations
	scripts/serve

## make test: lint and run the whole test suite (browser tests in Debian's Chromium)
test: $(VENV)/.installed-dev check-browser
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/pytest

# Browser tests drive Debian's chromium: never a browser download.
check-browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; }

## make bench: benchmarks (prints figures; never fails on speed). PostgreSQL via BENCH_PG_URL.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/hirfa_bench
BENCH_APPROVALS ?= 10000
bench: $(VENV)/.installed
	rm -rf var/bench && HIRFA_VAR_DIR=var/bench $(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS)
	@if pg_isready -q -h 127.0.0.1; then \
	  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench" && \
	  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench" && \
	  HIRFA_VAR_DIR=var/bench DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS); \
	else echo "PostgreSQL is not running: PostgreSQL figures skipped"; fi

## make messages: extract translatable strings into the .po files, then compile them
messages: $(VENV)/.installed
	cd hirfa && ../$(BIN)/hirfa makemessages --all --no-obsolete --ignore "*/tests/*"
	cd hirfa && ../$(BIN)/hirfa compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
