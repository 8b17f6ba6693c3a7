# One-command set-up on a fresh machine: `make lab` (the main job), `make test` (the suite).
# Every target creates or updates .venv first; all are idempotent.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXTRAS := test,fit,dask

.PHONY: lab demo test test-fast lint typecheck precommit bench notebooks gallery clean

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[$(EXTRAS)]"
	@touch $(STAMP)

# Browser tests drive Debian's Chromium (never a downloaded browser build).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: run 'sudo apt-get install -y chromium' (browser tests need it)"; exit 1; fi

## lab: create the environment and open JupyterLab on the notebooks
lab: $(STAMP)
	$(BIN)/workbench lab --dir notebooks

## demo: headless demo (summary, design rules, simulated retention of a template)
demo: $(STAMP)
	$(BIN)/workbench demo

# The delivery tests run exported packages in scorm-again, pinned by tests/delivery/package-lock.json.
NPM_RUNTIMES := tests/delivery/node_modules/.package-lock.json
$(NPM_RUNTIMES): tests/delivery/package.json tests/delivery/package-lock.json
	@command -v npm >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	else echo "npm is missing: run 'sudo apt-get install -y npm' (delivery tests need it)"; exit 1; fi; }
	cd tests/delivery && npm ci --no-audit --no-fund

## test: the whole suite (unit, property, CLI, exports with a real LRS, packages in real runtimes, notebooks)
test: $(STAMP) $(CHROMIUM) $(NPM_RUNTIMES)
	$(BIN)/python -m pytest --nbval --nbval-current-env --doctest-modules \
		--nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks src/workbench

## test-fast: unit and property tests only (no notebooks)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -p no:nbval -m "not browser" --doctest-modules tests src/workbench

## lint / typecheck / precommit: ruff and codespell, mypy, every pre-commit hook on every file
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts notebooks
	$(BIN)/ruff format --check src tests benchmarks scripts notebooks
	$(BIN)/codespell

typecheck: $(STAMP)
	$(BIN)/mypy

precommit: $(STAMP)
	$(BIN)/pre-commit run --all-files

## bench: benchmarks (ratios against references measured in the same run)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_memory.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_plans.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_spec_bombs.py
	$(BIN)/python benchmarks/bench_convert.py
	$(BIN)/python benchmarks/bench_calibrate.py

## notebooks: execute the notebooks in place, storing the outputs nbval compares
notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py notebooks/*.ipynb

## gallery: render every plot type for a template into docs/images/
gallery: $(STAMP)
	$(BIN)/python scripts/gallery.py post_training_retention

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
