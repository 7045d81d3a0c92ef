# Two commands do all set-up: `make run` serves the simulator, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run serve test lint install browser screenshots demo-reset bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# `make run` is `make serve` after the install step (the test of make run calls `serve`).
run: install
	@$(MAKE) --no-print-directory serve

# The worker and scheduler of the Procfile run the development settings too (celery's own
# default, like gunicorn's, is config.settings.prod, which needs a real SECRET_KEY). DEBUG is
# off, so a trainee meets the simulator's own error pages, never a traceback; DEBUG=1 turns it on.
serve: export DJANGO_SETTINGS_MODULE ?= config.settings.dev
serve: export DEMO_MODE ?= 1
serve: export DEBUG ?= 0
# Links in emails and on the trainer's pages start with SITE_URL: the address served here unless
# set (behind a proxy, set it to the public address).
serve: export WEB_PORT ?= 8000
serve: export SITE_URL ?= http://127.0.0.1:$(WEB_PORT)
serve:
	mkdir -p "$${SIMULATOR_VAR_DIR:-var}"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho start -f Procfile  # web, worker, scheduler and `ready`; Ctrl-C stops them all

demo-reset: install
	$(BIN)/python manage.py seed_demo --reset

# bandit: each finding left in the code is marked `# nosec BXXX` with why it is safe.
# mypy (django-stubs): configured in pyproject.toml's [tool.mypy].
SECURITY_SCANNED := editions accounts shops lifecycle config training lti rewind
TYPE_CHECKED := editions accounts shops lifecycle studio training config lti rewind

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --exclude '*/migrations/*' $(SECURITY_SCANNED)
	$(BIN)/mypy $(TYPE_CHECKED)

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

# The suite runs in parallel (pytest-xdist): TEST_PROCESSES worker processes, one per core by
# default and at most 8 (each takes the Redis database number after REDIS_URL's, 0-15), tests
# grouped by `--dist loadgroup` (conftest.py: the real-process and browser tests one after
# another on one worker). TEST_PROCESSES=0 runs everything in this one process. Coverage is
# combined from the workers; its floor still fails the run.
TEST_PROCESSES ?= auto

test: install browser
	$(BIN)/pytest -n $(TEST_PROCESSES) --maxprocesses 8 --dist loadgroup --cov --cov-report=term $(PYTEST_ARGS)

screenshots: install browser  # retake the README's pictures from the browser tests
	UPDATE_README_SCREENSHOTS=1 $(BIN)/pytest -m browser -q $(PYTEST_ARGS)

bench: install  # every benchmark, on DATABASE_URL/REDIS_URL; writes docs/benchmarks.md
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
