# Set-up and the two README commands. PYTHON may point at any Python >= 3.10 with venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench bench-smoke

$(BIN)/harmbench: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch pinned: the CPU wheel on these machines; an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/harmbench

demo: setup
	$(BIN)/harmbench demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/pytest benchmarks --benchmark-only -q -p no:cacheprovider

bench-smoke: setup
	$(BIN)/pytest benchmarks --benchmark-disable -q -p no:cacheprovider
