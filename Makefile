# Two entry points (see README): `make run` and `make test`.
# Everything is installed by these targets into .venv; nothing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# The main job on the bundled seeds.
run: $(STAMP)
	$(BIN)/bordermap build

# Set up, then lint, type-check and run the whole test suite (browser tests included).
test: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/ruff check src tests benchmarks geo
	$(BIN)/ruff format --check src tests benchmarks geo
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	bash scripts/setup-system.sh
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_render.py

clean:
	rm -rf $(VENV) output/*.html output/layers output/*.json output/*.gpkg output/*.kml output/*.csv
