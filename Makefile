# hirfa — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The address printed on cards, attestations and receipts and held by their QR codes: the
# one `make run` serves, unless told otherwise (a public name, a tunnel, a phone on the LAN).
PUBLIC_URL ?= http://$(HOST):$(PORT)
export PORT HOST PUBLIC_URL

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

## make run: install, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)
## (PUBLIC_URL, printed on documents, follows; set it when visitors use another address)
run: $(VENV)/.installed
	$(BIN)/hirfa migrate --noinput
	$(BIN)/hirfa collectstatic --noinput --verbosity 0
	$(BIN)/hirfa load_territory
	$(BIN)/hirfa load_crafts
	$(BIN)/hirfa create_signing_key --if-none
	$(BIN)/hirfa load_demo
	$(BIN)/hirfa expire_registrations
	$(BIN)/hirfa coverage_rules
	$(BIN)/hirfa purge_personal_data
	$(BIN)/hirfa issue_cards
	$(BIN)/hirfa remind_events
	CNSS_SANDBOX=$${CNSS_SANDBOX:-true} scripts/serve

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
## BENCH_FUNNEL=3000000 runs the outreach funnel's benchmark on the issue's 3 M register (default 100,000).
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/hirfa_bench
BENCH_APPROVALS ?= 10000
# The register the approvals are made in (bench/register_approvals.py).
BENCH_APPROVALS_REGISTER ?= 100000
BENCH_IMPORTS ?= 1000000
BENCH_SEARCH_ARTISANS ?= 3000000
BENCH_SEARCH_PG_ARTISANS ?= 1000000
# Statistics (bench/stats.py): the register's size; BENCH_STATS_ARTISANS=3000000 for the national scale.
BENCH_STATS_ARTISANS ?= 20000
bench: $(VENV)/.installed
	rm -rf var/bench && HIRFA_VAR_DIR=var/bench $(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS) $(BENCH_APPROVALS_REGISTER)
	rm -rf var/bench-imports && HIRFA_VAR_DIR=var/bench-imports $(BIN)/python bench/imports.py $(BENCH_IMPORTS) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_imports" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_imports" && HIRFA_VAR_DIR=var/bench-imports DATABASE_URL=postgres://postgres@127.0.0.1:5432/hirfa_bench_imports $(BIN)/python bench/imports.py $(BENCH_IMPORTS); fi
	@if pg_isready -q -h 127.0.0.1; then \
	  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench" && \
	  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench" && \
	  HIRFA_VAR_DIR=var/bench DATABASE_URL=$(BENCH_PG_URL) $(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS) $(BENCH_APPROVALS_REGISTER); \
	else echo "PostgreSQL is not running: PostgreSQL figures skipped"; fi
	rm -rf var/bench-search && HIRFA_VAR_DIR=var/bench-search $(BIN)/python bench/search.py $(BENCH_SEARCH_ARTISANS) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_search" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_search" && HIRFA_VAR_DIR=var/bench-search DATABASE_URL=$(BENCH_PG_URL)_search $(BIN)/python bench/search.py $(BENCH_SEARCH_PG_ARTISANS); fi
	command -v wrk >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk >/dev/null; }; rm -rf var/bench-cards && HIRFA_VAR_DIR=var/bench-cards $(BIN)/python bench/cards.py $(or $(BENCH_CARDS),1000)
	rm -rf var/bench-public && HIRFA_VAR_DIR=var/bench-public $(BIN)/python bench/public_pages.py $(or $(BENCH_PUBLIC_SECONDS),2)
	rm -rf var/bench-audit && HIRFA_VAR_DIR=var/bench-audit $(BIN)/python bench/audit_trail.py $(or $(BENCH_AUDIT),200000) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_audit" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_audit" && rm -rf var/bench-audit && HIRFA_VAR_DIR=var/bench-audit DATABASE_URL=$(BENCH_PG_URL)_audit $(BIN)/python bench/audit_trail.py $(or $(BENCH_AUDIT),200000); fi
	rm -rf var/bench-cnss && HIRFA_VAR_DIR=var/bench-cnss $(BIN)/python bench/cnss.py $(or $(BENCH_CNSS),500000) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_cnss" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_cnss" && rm -rf var/bench-cnss && HIRFA_VAR_DIR=var/bench-cnss DATABASE_URL=$(BENCH_PG_URL)_cnss $(BIN)/python bench/cnss.py $(or $(BENCH_CNSS),500000); fi
	rm -rf var/bench-campaigns && HIRFA_VAR_DIR=var/bench-campaigns $(BIN)/python bench/campaigns.py $(or $(BENCH_CAMPAIGNS),200000) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_campaigns" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_campaigns" && rm -rf var/bench-campaigns && HIRFA_VAR_DIR=var/bench-campaigns DATABASE_URL=$(BENCH_PG_URL)_campaigns $(BIN)/python bench/campaigns.py $(or $(BENCH_CAMPAIGNS),200000); fi
	rm -rf var/bench-funnel && HIRFA_VAR_DIR=var/bench-funnel $(BIN)/python bench/funnel.py $(or $(BENCH_FUNNEL),100000) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_funnel" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_funnel" && HIRFA_VAR_DIR=var/bench-funnel DATABASE_URL=$(BENCH_PG_URL)_funnel $(BIN)/python bench/funnel.py $(or $(BENCH_FUNNEL),100000); fi
	rm -rf var/bench-duplicates && HIRFA_VAR_DIR=var/bench-duplicates $(BIN)/python bench/duplicates.py $(or $(BENCH_DUPLICATES),4000) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_duplicates" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_duplicates" && rm -rf var/bench-duplicates && HIRFA_VAR_DIR=var/bench-duplicates DATABASE_URL=$(BENCH_PG_URL)_duplicates $(BIN)/python bench/duplicates.py $(or $(BENCH_DUPLICATES),4000); fi
	rm -rf var/bench-stats && HIRFA_VAR_DIR=var/bench-stats $(BIN)/python bench/stats.py $(BENCH_STATS_ARTISANS) && if pg_isready -q -h 127.0.0.1; then psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_stats" && psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_stats" && rm -rf var/bench-stats && HIRFA_VAR_DIR=var/bench-stats DATABASE_URL=$(BENCH_PG_URL)_stats $(BIN)/python bench/stats.py $(BENCH_STATS_ARTISANS); fi

## make messages: extract translatable strings into the .po files, then compile them
messages: $(VENV)/.installed
	cd hirfa && ../$(BIN)/hirfa makemessages --all --no-obsolete --ignore "*/tests/*"
	cd hirfa && ../$(BIN)/hirfa compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
