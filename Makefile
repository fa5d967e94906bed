# Two commands: `make run` (set up, ingest the corpus, start briefqa) and `make test`.
# Everything installs into .venv from the package registries; nothing is fetched at run time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.briefqa-installed

.PHONY: run test setup lint bench clean chromium

run: $(STAMP)
	@echo "[run] ingesting corpus/ (unchanged briefs are skipped)"
	@$(BIN)/briefqa ingest
	@$(BIN)/briefqa status
	@echo "[run] loading the models and starting the page (its address follows)"
	@$(BIN)/briefqa serve --no-ingest

test: $(STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The page's browser test drives Debian's chromium through Playwright (no browser downloads).
# Installed when missing and running as root (CI); elsewhere the test skips and says why.
chromium:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null

setup: $(STAMP)

# scripts/setup.sh says each step as it starts, keeps pip's output in .venv/setup.log, compiles
# only the parts of llama-cpp-python briefqa uses, and ends a failed step with one line on what to do.
$(STAMP): pyproject.toml scripts/setup.sh
	@PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/setup.sh
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) .briefqa
