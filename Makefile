# feedpub: `make run` runs one post per brand on the embedded stack; `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run dev test lint typecheck venv clean chromium

# The installers' chatter (this machine's pip configuration, setuptools' notes) is kept in a
# log that is shown only when the install fails.
$(STAMP): pyproject.toml
	@echo "installing feedpub and its tools into $(VENV) (a minute or two the first time)..."
	@log=$$(mktemp); \
	{ test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); } >$$log 2>&1 && \
	$(BIN)/python -m pip install --quiet --upgrade pip >>$$log 2>&1 && \
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat \
	  >>$$log 2>&1 || { cat $$log >&2; rm -f $$log; exit 1; }; rm -f $$log
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m devstack.run $(ARGS)

# The embedded stack, a worker and the schedules, up until Ctrl-C; ARGS="--replicas 2" starts
# two workers and two of each MCP server behind a round-robin proxy.
dev: $(STAMP)
	$(BIN)/feedpub dev --keep-running $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# The HTML report test drives Debian's headless Chromium: installed here when missing (as
# root, or through sudo). If that fails the test itself says so; it is never skipped.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing chromium (for the HTML report test)..."; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  log=$$(mktemp); \
	  if { $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install \
	      -y -qq --no-install-recommends chromium; } >$$log 2>&1; then rm -f $$log; \
	  else cat $$log >&2; echo "could not install chromium; the HTML report test will fail" >&2; fi; }

test: lint typecheck chromium
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .devstack .pytest_cache .mypy_cache .ruff_cache
