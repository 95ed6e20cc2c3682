# tradeguard: `make demo` and `make test` are the whole set-up from a clean clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_LISTS := ../shared/data/lists
LISTS ?= $(if $(wildcard $(SHARED_LISTS)),$(SHARED_LISTS),)
DB ?= sqlite:///$(CURDIR)/demo.db

.PHONY: venv demo test bench bench-full lint clean sysdeps browser java spark

# System packages from Debian: ICU headers for PyICU (compiled at install), and Chromium for
# the web UI tests (driven by Playwright through executable_path; no browser download).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q
sysdeps:
	@pkg-config --exists icu-uc 2>/dev/null || { echo "installing libicu-dev, pkg-config"; $(APT_INSTALL) libicu-dev pkg-config; }

browser:
	@[ -x /usr/bin/chromium ] || { echo "installing chromium"; $(APT_INSTALL) chromium; }

# Java for the Spark tests (PySpark 4 needs 17 or newer), from Debian when missing.
java:
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])' || { echo "installing openjdk-17-jre-headless"; $(APT_INSTALL) openjdk-17-jre-headless; }

# The spark extra (pyspark, pyarrow) in the project's environment: the tests need it,
# `make demo` does not.
$(BIN)/pyspark: pyproject.toml | $(BIN)/tradeguard
	$(BIN)/pip install -q -e '.[dev,spark]'
	@touch $@

spark: $(BIN)/pyspark java

$(BIN)/tradeguard: pyproject.toml | sysdeps
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: $(BIN)/tradeguard

# The test-only extra: the released yente package, whose models validate our yente-shaped
# answers (tests/compat). It gets an interpreter of its own, because yente pins older
# followthemoney, rigour and nomenklatura than tradeguard's users get, and the product is
# tested with those. `make demo` does not need it.
COMPAT := .venv-compat
$(COMPAT)/bin/yente: pyproject.toml | sysdeps
	$(PY) -m venv $(COMPAT)
	$(COMPAT)/bin/pip install -q --upgrade pip
	$(COMPAT)/bin/pip install -q -e '.[compat]'
	@touch $@

demo: venv
	TRADEGUARD_DB=$(DB) bash scripts/demo.sh "$(LISTS)"

# Tests run in TEST_WORKERS processes (pytest-xdist); each test has its own files, ports
# and databases.
TEST_WORKERS ?= 2
# A throwaway PostgreSQL on 127.0.0.1 (scripts/pg_start.sh installs Debian's server package
# when missing) unless $$TRADEGUARD_TEST_PG_URL names one: every store test runs on both.
test: venv $(COMPAT)/bin/yente browser spark lint
	@if [ -z "$$TRADEGUARD_TEST_PG_URL" ]; then TRADEGUARD_TEST_PG_URL=$$(bash scripts/pg_start.sh) || exit 1; fi; \
	export TRADEGUARD_TEST_PG_URL; echo "PostgreSQL for the tests: $$TRADEGUARD_TEST_PG_URL"; \
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# `make bench`: the benchmarks that fit in about ten minutes, ending with one summary
# table; `make bench-full` adds the long runs (1M-entity scale, logic-v2 side by side, soak).
bench: venv
	$(BIN)/python bench/run_all.py

bench-full: venv
	$(BIN)/python bench/run_all.py --full

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(COMPAT) demo.db
