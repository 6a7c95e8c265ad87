# Two commands matter: `make run` (the whole service) and `make test` (the whole suite).
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint typecheck unit migrate migration worker api bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Start Temporal dev server + worker + API on the embedded defaults (Ctrl-C stops all three).
run: $(STAMP)
	$(BIN)/python -m core.launcher

## Lint, type-check, then the whole test suite.
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest

## The whole suite on PostgreSQL: a throwaway cluster (initdb + postgres from the machine's
## PostgreSQL server package), or the server of DEALFLOW_TEST_POSTGRES_URL.
test-postgres: $(STAMP)
	DEALFLOW_TEST_DATABASE=postgresql $(BIN)/python -m pytest $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

## Only the plain rule tests: no server, no database.
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

## New migration from the models: make migration m="add quotes"
migration: $(STAMP)
	$(BIN)/alembic revision --autogenerate -m "$(m)"

## Benchmarks (not part of `make test`): make bench ARGS="--deals 100 --profile"; --help lists flags.
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

worker: $(STAMP)
	$(BIN)/python worker.py

api: $(STAMP)
	$(BIN)/uvicorn api.app:create_app --factory

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
