# QMS Portal: `make run` serves the portal with a worker; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The address printed in QR codes, verification links and e-mails: the one `make run` serves unless set.
PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.requirements-installed

.PHONY: run test mutate messages venv bench lint clean backup restore

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

messages: $(STAMP)
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics

run: $(STAMP) messages
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)/  (API docs: /api/docs/, health: /healthz; links in documents: $(PORTAL_BASE_URL))"
	@PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(VENV)/bin/celery -A qms_portal worker --beat --loglevel=warning --concurrency=2 & \
	  WORKER=$$!; trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	  PORTAL_BASE_URL=$(PORTAL_BASE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite under coverage.py (pyproject.toml: [tool.coverage.*]), Celery worker subprocesses included; prints the
# per-module report and, when the whole suite ran (no PYTEST_ARGS), fails if an app module is under
# COVERAGE_FLOOR (85%). `make test COVERAGE=0` runs pytest alone.
COVERAGE ?= 1
COVERAGE_FLOOR ?= 85
test: $(STAMP) messages
ifeq ($(COVERAGE),0)
	$(PY) -m pytest $(PYTEST_ARGS)
else
	rm -rf var/coverage && mkdir -p var/coverage
	$(PY) -m coverage run -m pytest $(PYTEST_ARGS); status=$$?; \
	  $(PY) -m coverage combine -q && $(PY) -m coverage report && $(PY) -m coverage json -q || status=1; \
	  if [ $$status -eq 0 ] && [ -z "$(PYTEST_ARGS)" ]; then \
	    COVERAGE_FLOOR=$(COVERAGE_FLOOR) $(PY) tools/coverage_floor.py || { [ "$(COVERAGE_FLOOR_STRICT)" = 0 ] || status=1; }; fi; \
	  exit $$status
endif

# Mutation testing of the rule modules (mutmut; tools/mutate.py): writes docs/mutation.md. MODULES=name,name
# runs some of them (the names are in tools/mutate.py). Not part of CI: see docs/mutation.md for the time it takes.
mutate: $(STAMP)
	$(PY) tools/mutate.py $(if $(MODULES),--modules $(MODULES)) $(if $(BUDGET),--budget-minutes $(BUDGET)) \
		$(if $(SURVIVORS),--survivors)

backup: $(STAMP)
	$(PY) manage.py backup $(if $(BACKUP),--output "$(BACKUP)")

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/qms-<timestamp>.tar.gz [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

# National-scale benchmark on PostgreSQL + Redis (BENCH_SCALE=small for a quick run); writes docs/bench.*
bench: $(STAMP) messages
	$(PY) -m bench.run --scale $(or $(BENCH_SCALE),full)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf var db.sqlite3
