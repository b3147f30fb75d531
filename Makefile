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

## make bench: every benchmark at modest sizes, about 20 minutes on a 2-core machine (prints
## figures beside their floor, measured in the same process, and the ratio; never fails on
## speed). make bench-full: the national sizes (a 3 M register; an hour or more).
## One benchmark alone: make bench-search (bench-approvals, bench-imports, bench-cards, …).
## PostgreSQL figures via BENCH_PG_URL, when a server answers on 127.0.0.1.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/hirfa_bench
BENCH_APPROVALS ?= 2000
# The register the approvals are made in (bench/register_approvals.py).
BENCH_APPROVALS_REGISTER ?= 20000
BENCH_IMPORTS ?= 100000
# Search: two register sizes, so that the growth of each figure between them is printed.
BENCH_SEARCH_ARTISANS ?= 10000,100000
BENCH_SEARCH_PG_ARTISANS ?= 10000,100000
BENCH_CARDS ?= 1000
BENCH_PUBLIC_SECONDS ?= 2
BENCH_AUDIT ?= 100000
BENCH_CNSS ?= 100000
BENCH_CAMPAIGNS ?= 100000
# The outreach funnel (bench/funnel.py): the register's size.
BENCH_FUNNEL ?= 50000
BENCH_DUPLICATES ?= 4000
# Statistics (bench/stats.py): the register's size (20,000: a few minutes; make bench-full: 3,000,000,
# about an hour on a quiet machine).
BENCH_STATS_ARTISANS ?= 20000
# The SPDCI registry search (bench/spdci.py): the register's size.
BENCH_SPDCI_ARTISANS ?= 50000
# The national sizes of make bench-full.
FULL_SIZES := BENCH_APPROVALS=10000 BENCH_APPROVALS_REGISTER=100000 BENCH_IMPORTS=1000000 \
  BENCH_SEARCH_ARTISANS=200000,3000000 BENCH_SEARCH_PG_ARTISANS=200000,1000000 \
  BENCH_AUDIT=200000 BENCH_CNSS=500000 BENCH_CAMPAIGNS=200000 BENCH_FUNNEL=3000000 BENCH_STATS_ARTISANS=3000000 \
  BENCH_SPDCI_ARTISANS=3000000
BENCHES := bench-approvals bench-imports bench-search bench-cards bench-public bench-audit \
  bench-cnss bench-campaigns bench-funnel bench-duplicates bench-stats bench-spdci bench-demo
.PHONY: bench-full $(BENCHES)

# $(call on-postgresql,NAME,COMMAND): COMMAND on a fresh database hirfa_bench_NAME (and a fresh
# var/bench-NAME) when PostgreSQL answers; a line saying so when it does not.
define on-postgresql
	@if pg_isready -q -h 127.0.0.1; then \
	  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hirfa_bench_$(1)" && \
	  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE hirfa_bench_$(1)" && \
	  rm -rf var/bench-$(1) && \
	  HIRFA_VAR_DIR=var/bench-$(1) DATABASE_URL=$(BENCH_PG_URL)_$(1) $(2); \
	else echo "PostgreSQL is not running: PostgreSQL figures of $(1) skipped"; fi
endef

bench: $(BENCHES)

bench-full:
	$(MAKE) bench $(FULL_SIZES)

bench-approvals: $(VENV)/.installed
	rm -rf var/bench-approvals && HIRFA_VAR_DIR=var/bench-approvals $(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS) $(BENCH_APPROVALS_REGISTER)
	$(call on-postgresql,approvals,$(BIN)/python bench/register_approvals.py $(BENCH_APPROVALS) $(BENCH_APPROVALS_REGISTER))

bench-imports: $(VENV)/.installed
	rm -rf var/bench-imports && HIRFA_VAR_DIR=var/bench-imports $(BIN)/python bench/imports.py $(BENCH_IMPORTS)
	$(call on-postgresql,imports,$(BIN)/python bench/imports.py $(BENCH_IMPORTS))

bench-search: $(VENV)/.installed
	rm -rf var/bench-search && HIRFA_VAR_DIR=var/bench-search nice -n 10 $(BIN)/python bench/search.py $(BENCH_SEARCH_ARTISANS)
	$(call on-postgresql,search,nice -n 10 $(BIN)/python bench/search.py $(BENCH_SEARCH_PG_ARTISANS))

bench-cards: $(VENV)/.installed
	command -v wrk >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq wrk >/dev/null; }; rm -rf var/bench-cards && HIRFA_VAR_DIR=var/bench-cards $(BIN)/python bench/cards.py $(BENCH_CARDS)

bench-public: $(VENV)/.installed
	rm -rf var/bench-public && HIRFA_VAR_DIR=var/bench-public $(BIN)/python bench/public_pages.py $(BENCH_PUBLIC_SECONDS)

bench-audit: $(VENV)/.installed
	rm -rf var/bench-audit && HIRFA_VAR_DIR=var/bench-audit $(BIN)/python bench/audit_trail.py $(BENCH_AUDIT)
	$(call on-postgresql,audit,$(BIN)/python bench/audit_trail.py $(BENCH_AUDIT))

bench-cnss: $(VENV)/.installed
	rm -rf var/bench-cnss && HIRFA_VAR_DIR=var/bench-cnss $(BIN)/python bench/cnss.py $(BENCH_CNSS)
	$(call on-postgresql,cnss,$(BIN)/python bench/cnss.py $(BENCH_CNSS))

bench-campaigns: $(VENV)/.installed
	rm -rf var/bench-campaigns && HIRFA_VAR_DIR=var/bench-campaigns $(BIN)/python bench/campaigns.py $(BENCH_CAMPAIGNS)
	$(call on-postgresql,campaigns,$(BIN)/python bench/campaigns.py $(BENCH_CAMPAIGNS))

bench-funnel: $(VENV)/.installed
	rm -rf var/bench-funnel && HIRFA_VAR_DIR=var/bench-funnel $(BIN)/python bench/funnel.py $(BENCH_FUNNEL)
	$(call on-postgresql,funnel,$(BIN)/python bench/funnel.py $(BENCH_FUNNEL))

bench-duplicates: $(VENV)/.installed
	rm -rf var/bench-duplicates && HIRFA_VAR_DIR=var/bench-duplicates $(BIN)/python bench/duplicates.py $(BENCH_DUPLICATES)
	$(call on-postgresql,duplicates,$(BIN)/python bench/duplicates.py $(BENCH_DUPLICATES))

bench-stats: $(VENV)/.installed
	rm -rf var/bench-stats && HIRFA_VAR_DIR=var/bench-stats $(BIN)/python bench/stats.py $(BENCH_STATS_ARTISANS)
	$(call on-postgresql,stats,$(BIN)/python bench/stats.py $(BENCH_STATS_ARTISANS))

bench-spdci: $(VENV)/.installed
	rm -rf var/bench-spdci && HIRFA_VAR_DIR=var/bench-spdci $(BIN)/python bench/spdci.py $(BENCH_SPDCI_ARTISANS)
	$(call on-postgresql,spdci,$(BIN)/python bench/spdci.py $(BENCH_SPDCI_ARTISANS))

bench-demo: $(VENV)/.installed
	rm -rf var/bench-demo && HIRFA_VAR_DIR=var/bench-demo $(BIN)/python bench/demo.py
	$(call on-postgresql,demo,$(BIN)/python bench/demo.py)

## make messages: extract translatable strings into the .po files, then compile them
messages: $(VENV)/.installed
	cd hirfa && ../$(BIN)/hirfa makemessages --all --no-obsolete --ignore "*/tests/*"
	cd hirfa && ../$(BIN)/hirfa compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
