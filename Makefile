# The commands of the README:
#   make demo   sets up .venv and decides the shipped example proposals
#   make serve  sets up .venv and starts the workplace in the browser on an embedded register
#   make test   sets up .venv and runs the whole test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages the whole suite uses: Chromium (pages and the handbook in a real browser),
# hunspell with the Swedish dictionary (spell-checking letters), poppler (PDF pages as PNG),
# PostgreSQL (the register on a real server), pango and a font (PDF letters).
SYSTEM_PACKAGES := chromium hunspell hunspell-sv poppler-utils postgresql fonts-dejavu-core \
	libpango-1.0-0 libpangoft2-1.0-0

.PHONY: demo serve test setup system bench clean messages

# Installs what is missing (apt-get, as root); elsewhere it says what is missing, and the
# tests that need it skip with that reason.
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:" $$missing "(install them with apt-get as root)"; fi; \
	fi

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (durable-rules does not import on 3.13)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q governance  # the machine sets PYTHONDONTWRITEBYTECODE: start-up time
	@touch $(STAMP)

# The compiled Swedish catalogue (without it the .po is read directly, a little slower).
MO := governance/locale/sv/LC_MESSAGES/fundgov.mo
$(MO): governance/locale/sv/LC_MESSAGES/fundgov.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d governance/locale -D fundgov

# Extract every marked text into the Swedish catalogue; translate the new ones, then commit.
messages: $(STAMP)
	@mkdir -p build
	$(BIN)/pybabel extract -F governance/locale/babel.cfg -k N_ -k ngettext:1,2 --no-location \
	    --sort-output --project fundgov -o build/fundgov.pot . 2>/dev/null
	$(BIN)/pybabel update -i build/fundgov.pot -d governance/locale -D fundgov --no-fuzzy-matching \
	    --ignore-obsolete --ignore-pot-creation-date --width 100

setup: $(STAMP) $(MO)

demo: $(STAMP) $(MO)
	$(BIN)/fundgov check examples/ --date 2025-06-01

# The workplace (fundgov serve) on an embedded SQLite register in build/, with the shipped
# rules and policies; the first time it makes the account "handlaggare" for every shipped
# fund and prints its password once. Open http://127.0.0.1:8000/ and upload examples/*.yaml.
WORKPLACE := build/workplace.sqlite
FUNDS := $(patsubst policies/%/policy.yaml,%,$(wildcard policies/*/policy.yaml))
PORT ?= 8000

serve: $(STAMP) $(MO)
	@mkdir -p build
	@$(BIN)/fundgov user list --register $(WORKPLACE) | grep -q . || \
	  $(BIN)/fundgov user add handlaggare --role officer --name "Handläggare" $(addprefix --fund ,$(FUNDS)) \
	    --generate-password --register $(WORKPLACE)
	$(BIN)/fundgov serve --register $(WORKPLACE) --port $(PORT)

test: system $(STAMP) $(MO)
	$(BIN)/fundgov rules coverage
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: $(STAMP) $(MO)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build *.egg-info
