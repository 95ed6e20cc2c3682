# tradeguard: `make demo` and `make test` are the whole set-up from a clean clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_LISTS := ../shared/data/lists
LISTS ?= $(if $(wildcard $(SHARED_LISTS)),$(SHARED_LISTS),)
DB ?= sqlite:///$(CURDIR)/demo.db

.PHONY: venv demo test bench lint clean sysdeps

# PyICU compiles against the system ICU; install its headers when they are missing.
sysdeps:
	@pkg-config --exists icu-uc 2>/dev/null || { \
	  echo "installing ICU headers (libicu-dev, pkg-config) for PyICU"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q libicu-dev pkg-config; \
	  else sudo apt-get update -q && sudo apt-get install -y -q libicu-dev pkg-config; fi; }

$(BIN)/tradeguard: pyproject.toml | sysdeps
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: $(BIN)/tradeguard

demo: venv
	TRADEGUARD_DB=$(DB) bash scripts/demo.sh "$(LISTS)"

test: venv
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python bench/run_all.py

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo.db
