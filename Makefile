# Two commands do all set-up: `make run` serves the simulator, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint install browser screenshots demo-reset bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The worker and scheduler of the Procfile run the development settings too (celery's own
# default, like gunicorn's, is config.settings.prod, which needs a real SECRET_KEY).
run: export DJANGO_SETTINGS_MODULE ?= config.settings.dev
run: export DEMO_MODE ?= 1
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho start -f Procfile  # web, one worker and the scheduler; Ctrl-C stops all three

demo-reset: install
	$(BIN)/python manage.py seed_demo --reset

# bandit: each finding left in the code is marked `# nosec BXXX` with why it is safe.
SECURITY_SCANNED := accounts shops lifecycle config training

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --exclude '*/migrations/*' $(SECURITY_SCANNED)

# The browser tests drive Debian's Chromium and inject axe-core from node_modules/.
CHROMIUM := /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

browser: $(CHROMIUM) $(AXE)

test: install browser
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

screenshots: install browser  # retake the README's pictures from the browser tests
	UPDATE_README_SCREENSHOTS=1 $(BIN)/pytest -m browser -q $(PYTEST_ARGS)

bench: install  # every benchmark, on DATABASE_URL/REDIS_URL; writes docs/benchmarks.md
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
