# oauthlint developer targets. `make install` then `make test` is all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install test lint format docs bench keycloak quickstart clean

install: ## create .venv and install oauthlint with its test tools
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'

test: ## the whole suite, real Keycloak included (fails if no test ran)
	$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: ## ruff, as CI runs it
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

docs: ## regenerate docs/rules.md from the rule catalog
	$(BIN)/oauthlint rules --format markdown --output docs/rules.md

bench: ## start-up, offline check, and provider benchmarks (kcwarden for comparison); prints numbers
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run_all.py

keycloak: ## download and cache the Keycloak distribution the tests start
	bash scripts/keycloak.sh prepare

quickstart: ## the README's quick start
	$(BIN)/oauthlint check --config examples/oauthlint.toml

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
