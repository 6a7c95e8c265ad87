# Two commands matter: `make run` (the whole service) and `make test` (the whole suite).
# Both create the virtualenv and install what they need on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint typecheck unit migrate migration worker api bench clean bytecode fuzz seed \
	chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Compiled modules, as a regular (non-editable) install leaves them: where the environment says
# not to write bytecode (PYTHONDONTWRITEBYTECODE), every workflow run would otherwise compile the
# workflow module from source again when the sandbox loads it. Only changed files recompile.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 core models services activities workflows api bench worker.py

## Start Temporal dev server + worker + API on the embedded defaults (Ctrl-C stops all three).
run: $(STAMP) bytecode
	$(BIN)/python -m core.launcher

# What `make test` also runs on PostgreSQL: the tests most tied to the database (migrations,
# lists, query plans, unique rules, money, a whole deal, idempotent writes and requests, processes
# killed, amounts at the storage bound), ~2 min; `make test-postgres` runs all.
POSTGRES_SUBSET := tests/test_migrations.py tests/api/test_accounts.py tests/api/test_contacts.py \
	tests/api/test_products.py tests/api/test_price_lists.py tests/api/test_deal_happy_path.py \
	tests/api/test_activities_and_timeline.py tests/workflows/test_deal_durability.py \
	tests/test_timeline_plan.py tests/api/test_idempotency.py tests/processes/test_kills.py \
	tests/api/test_hostile_input.py

# The browser tests drive the system's Chromium (Playwright never downloads one): Debian's package,
# installed when missing, with apt as root or through sudo without a password; else those tests
# are skipped, saying why.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif ! command -v apt-get >/dev/null; then \
		echo "make test: no $(CHROMIUM) and no apt-get: browser tests SKIPPED"; \
	else \
		if [ "$$(id -u)" = 0 ]; then as_root=; \
		elif sudo -n true 2>/dev/null; then as_root="sudo -n"; \
		else echo "make test: no $(CHROMIUM), and apt-get needs root (or sudo): browser tests SKIPPED"; \
			exit 0; fi; \
		echo "make test: installing Debian's chromium package for the browser tests"; \
		$$as_root apt-get update -qq && $$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium >/dev/null || echo "make test: chromium did not install: browser tests SKIPPED"; \
	fi

## Lint, type-check, the unit tests (seconds: no server, no database), then the rest of the suite;
## then the PostgreSQL subset if PostgreSQL is here.
test: $(STAMP) lint typecheck bytecode chromium
	$(BIN)/python -m pytest tests/unit
	$(BIN)/python -m pytest --ignore=tests/unit
	@if [ -n "$$DEALFLOW_TEST_POSTGRES_URL" ] || \
	    $(BIN)/python -c "from core.postgres import find_bindir; find_bindir()" 2>/dev/null; then \
		echo "make test: the PostgreSQL subset"; \
		DEALFLOW_TEST_DATABASE=postgresql $(BIN)/python -m pytest $(POSTGRES_SUBSET); \
	else \
		echo "make test: SKIPPED the PostgreSQL subset: no PostgreSQL server binaries here"; \
	fi

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

## Schemathesis at length over every operation (make test runs a few examples of each): minutes.
## FUZZ_EXAMPLES per operation; FUZZ_SCENARIOS stateful runs of FUZZ_STEPS calls per scenario.
FUZZ_EXAMPLES ?= 100
FUZZ_SCENARIOS ?= 50
FUZZ_STEPS ?= 30
fuzz: $(STAMP)
	DEALFLOW_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DEALFLOW_FUZZ_SCENARIOS=$(FUZZ_SCENARIOS) \
		DEALFLOW_FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/python -m pytest -s tests/api/test_fuzz.py

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

## New migration from the models: make migration m="add quotes"
migration: $(STAMP)
	$(BIN)/alembic revision --autogenerate -m "$(m)"

## Benchmarks (not part of `make test`): make bench ARGS="--deals 100 --profile"; --help lists flags.
bench: $(STAMP) bytecode
	$(BIN)/python -m bench $(ARGS)

## A sample company (teams, catalog, three dozen deals at every stage) in the running service.
seed: $(STAMP)
	$(BIN)/python -m demo.seed $(ARGS)

worker: $(STAMP) bytecode
	$(BIN)/python worker.py

api: $(STAMP)
	$(BIN)/uvicorn api.app:create_app --factory

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
