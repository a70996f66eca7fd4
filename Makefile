# The two commands of the README:
#   make demo   sets up .venv and decides the shipped example proposals
#   make test   sets up .venv and runs the whole test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (durable-rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q governance  # the machine sets PYTHONDONTWRITEBYTECODE: start-up time
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/fundgov check examples/ --date 2025-06-01

test: $(STAMP)
	$(BIN)/fundgov rules coverage
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build *.egg-info
