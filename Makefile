# Two commands for a new user: `make run` (the main job on seeds/, embedded model) and
# `make test` (offline tests from cassettes). Both create .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= out/claimdiff.duckdb
# llama-cpp-python compiles llama.cpp from source (a few minutes on 2 cores; pip caches it).
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: run test test-live lint typecheck check bench clean

REPORT ?= out/report.html

# The run prints the conflicts it found; the report is written even when some documents failed,
# and the run's exit status is kept.
run: $(VENV)/.local
	$(BIN)/claimdiff run seeds --db $(DB); status=$$?; \
	  $(BIN)/claimdiff report --db $(DB) --out $(REPORT) && exit $$status

test: $(VENV)/.dev
	$(BIN)/pytest -q

# Opt in: one paragraph against the real embedded model.
test-live: $(VENV)/.dev $(VENV)/.local
	$(BIN)/pytest -q -m live

lint: $(VENV)/.dev
	$(BIN)/ruff check pipeline schemas tests bench
	$(BIN)/ruff format --check pipeline schemas tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy --strict pipeline schemas

check: lint typecheck test

$(VENV)/.base:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	touch $@

$(VENV)/.dev: $(VENV)/.base pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.local: $(VENV)/.base pyproject.toml
	$(BIN)/pip install -q -e '.[local]'
	touch $@

# Throughput and overhead against a local fault server (no model needed); prints ratios.
bench: $(VENV)/.dev
	$(BIN)/python bench/bench_extract.py

clean:
	rm -rf $(VENV) out
