# Two commands for a new user: `make run` (the main job on seeds/, embedded model) and
# `make test` (offline tests from cassettes). Both create .venv on first use, from the lock
# files in requirements/ (exact versions; `make lock` updates them).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= out/claimdiff.duckdb
REPORT ?= out/report.html
N      ?= 200

# llama-cpp-python compiles llama.cpp from source (a few minutes on 2 cores; pip caches the
# wheel). Portable CPU flags instead of -march=native: some virtual machines report AMX, whose
# instructions then fault (SIGILL); AVX-512 is used where the CPU has it.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
AVX512 := $(shell grep -q -w avx512f /proc/cpuinfo 2>/dev/null && echo ON || echo OFF)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DGGML_AVX512=$(AVX512) -DGGML_AVX512_VBMI=$(AVX512) -DGGML_AVX512_VNNI=$(AVX512) \
  -DGGML_AVX512_BF16=$(AVX512) -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF

.PHONY: run test test-live lint typecheck check bench bench-readers bench-live soak lock docs clean

# The run prints the conflicts it found; the report is written even when some documents failed,
# and the run's exit status is kept.
run: $(VENV)/.local
	$(BIN)/claimdiff run seeds --db $(DB); status=$$?; \
	  $(BIN)/claimdiff report --db $(DB) --out $(REPORT) && exit $$status

test: $(VENV)/.dev
	$(BIN)/pytest -q

# Opt in: requests against the real embedded model.
test-live: $(VENV)/.dev $(VENV)/.local
	$(BIN)/pytest -q -m live

lint: $(VENV)/.dev
	$(BIN)/ruff check pipeline schemas prompts tests bench
	$(BIN)/ruff format --check pipeline schemas prompts tests bench

typecheck: $(VENV)/.dev
	$(BIN)/mypy --strict pipeline schemas prompts

# The README's command reference is generated from --help; this fails when it drifts.
docs: $(VENV)/.dev
	$(BIN)/cog -r README.md

check: lint typecheck test
	$(BIN)/cog --check README.md

$(VENV)/.base:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.lock pyproject.toml
	$(BIN)/pip install -q -r requirements/dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.local: $(VENV)/.base requirements/local.lock pyproject.toml
	$(BIN)/pip install -q -r requirements/local.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# Exact versions for reproducible installs. Update: `make lock` (needs the registry), run
# `make test`, commit requirements/*.lock together with any re-recorded cassettes.
lock: $(VENV)/.base
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile -q pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock
	$(BIN)/uv pip compile -q pyproject.toml --extra local --python-version 3.11 -o requirements/local.lock

# Throughput and overhead against a local fault server (no model needed); prints ratios.
bench: $(VENV)/.dev
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_store.py --quick

# Readers during a real 1,000-document `claimdiff run` (a fake model endpoint); ~4 min a round.
bench-readers: $(VENV)/.dev
	$(BIN)/python bench/bench_readers.py --documents 1000 --rounds 2

# Opt in: the embedded model's raw rates, then articles against that limit.
bench-live: $(VENV)/.dev $(VENV)/.local
	$(BIN)/python bench/bench_live.py

# Faults, kills and re-runs over N generated documents; tables compared with a clean run.
soak: $(VENV)/.dev
	$(BIN)/python bench/soak.py --documents $(N)

clean:
	rm -rf $(VENV) out

# The store alone at 100,000 documents (`make bench` runs its quick mode): facts/s, cost per
# document as the database grows, replacements, reader waits.
.PHONY: bench-store
bench-store: $(VENV)/.dev
	$(BIN)/python bench/bench_store.py
