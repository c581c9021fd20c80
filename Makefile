# Two commands on a fresh machine: `make run` and `make test`. Both create the venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: venv run test lint format typecheck unit lock clean chaos contracts bench simulate

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## The broker and the three services on SQLite under ./data; Ctrl-C stops all.
run: venv
	$(PY) -m infra.local.run_all

## Lint, types, then the whole suite (starts its own PostgreSQL and broker). The suite runs
## in PYTEST_WORKERS processes (pytest-xdist), each with its own PostgreSQL and broker: most
## tests wait on servers, brokers and service processes, so even two cores keep four busy.
## --maxschedchunk 1: a worker is handed the next test when it is nearly idle, so the slow
## tests at the head of the collection (bench, e2e, faults) spread over all workers instead
## of queueing on the first one, as xdist's default chunks (and worksteal's) had them.
PYTEST_WORKERS ?= 4
test: venv lint typecheck
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist load --maxschedchunk 1

unit: venv
	$(PY) -m pytest tests/unit

lint: venv
	$(VENV)/bin/ruff check shared services infra bench tests
	$(VENV)/bin/ruff format --check shared services infra bench tests

format: venv
	$(VENV)/bin/ruff check --fix shared services infra bench tests
	$(VENV)/bin/ruff format shared services infra bench tests

typecheck: venv
	$(VENV)/bin/mypy

## Re-pin the dependencies after editing requirements.in.
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -r requirements.in
	(echo "# Generated from requirements.in by 'make lock' (pip freeze in a fresh venv)."; \
	 .lockvenv/bin/pip freeze) > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

## Longer fault-injection runs (marker `chaos`), kept out of `make test` for time.
chaos: venv
	$(PY) -m pytest -m chaos

## Regenerate contracts/ (JSON Schemas, AsyncAPI), docs/event-catalogue.md and
## docs/access-matrix.md from the code; refuses a breaking change to a published schema.
contracts: venv
	$(PY) -m shared.contracts.publish
	$(PY) -m infra.docs.access_matrix

## Figures next to their baselines, measured in one run on a private PostgreSQL (fsync on)
## and broker it starts itself: writes bench/results/latest.json and latest.md.
bench: venv
	$(PY) -m bench

## A municipality's year (2,500 citizens, bench/README.md): events per store and wall time
## in bench/results/simulate-$(PRESET).json. PRESET=smoke runs in seconds.
PRESET ?= slagelse
simulate: venv
	$(PY) -m bench.simulate --preset $(PRESET)
