# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Debian packages: WeasyPrint's libraries and font tools, msgfmt, PDF tools, the test browser,
# the HTTP load generator of make bench (Java for the HTML checker is installed below when no
# java is on the path).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig \
	gettext poppler-utils chromium wrk

.PHONY: run test install system-deps messages lint bench help

help:
	@echo "make run   - install what is missing, migrate, load demo data, start web, worker and beat"
	@echo "make test  - install what is missing and run the whole test suite"

system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
		dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi; \
	if ! command -v java >/dev/null; then \
		echo "Installing Java (for the HTML checker in the browser tests)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	fi; \
	if ! command -v npm >/dev/null; then \
		echo "Installing npm (for Bootstrap)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

install: system-deps $(VENV)/.installed node_modules/.installed messages

run: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "TIF portal: http://127.0.0.1:$(PORT)/   (Ctrl-C stops web server, worker and beat)"
	@echo ""
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-1} PORT=$(PORT); trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(VENV)/bin/celery -A tif_portal worker --loglevel=WARNING --concurrency=2 & \
	$(VENV)/bin/celery -A tif_portal beat --loglevel=WARNING & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	wait

# Uses DATABASE_URL and REDIS_URL when set; otherwise the local PostgreSQL and Redis
# when they answer, and SQLite (skipping tests that need the servers) when they do not.
test: install
	@source tif_portal/test_services.sh && $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: install
	@source tif_portal/test_services.sh && $(PY) -m tif_portal.bench
	@source tif_portal/test_services.sh && $(PY) -m tif_portal.bench.api
