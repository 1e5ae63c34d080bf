# Two entry points for a fresh machine (see README):
#   make run    - set everything up, then run AIDE on the embedded defaults (offline competition, local model)
#   make test   - set everything up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install system local-model run test bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=77'
	$(PY) -m pip install --quiet -e '.[agent,local,test,ray]'
	touch $@

install: $(VENV)/.installed

# System packages (bubblewrap, docker.io, socat) and a safely configured dockerd; needs root, idempotent.
system:
	bash scripts/setup_system.sh

# llama-cpp-python built with CPU flags that work on these VMs, plus verified GGUF weights.
local-model: install
	bash scripts/install_local_model.sh $(PY)

# The default sandbox (docker, else bubblewrap) is installed first: agent code never runs unisolated
# unless asked for with --sandbox local.
run: system install local-model
	$(PY) -m scaffolds.aide

# Layering and lint first (seconds), then the suite.
test: system install local-model
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check --quiet .
	$(PY) -m pytest -q

bench: install
	$(PY) -m benchmarks
