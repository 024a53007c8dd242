# Development tasks. A fresh machine needs only Python 3.11+, Node.js 20.19+ with npm, and make.
#
#   make run     set up, then start the app with demo data on http://127.0.0.1:8000
#   make test    set up, then run the whole test suite (PYTEST_ARGS="-k timeline -x" to narrow)
#   make bench   set up, then print the benchmark figures
#   make demo-code   the second-factor code the demo logins' authenticator app shows now
#   make lock    re-pin requirements*.lock with hashes after a change to pyproject.toml's dependencies
#   make audit   check the locked Python packages and the npm packages for known vulnerabilities
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
.PHONY: help run test bench stop clean distclean assets .venv demo-code lock audit

help:
	@sed -n '3,11s/^# \{0,1\}//p' Makefile

# --- setup ------------------------------------------------------------------------------------

# Every package from the lock, each checked against its hashes, then the project itself (its
# build backend, setuptools, is in the lock too, hence --no-build-isolation). Re-installs when the
# lock or pyproject.toml changes. requirements.lock is production's (the Dockerfile installs it),
# requirements-dev.lock adds the embedded and test extras at the same versions: `make lock`.
$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
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

# The lock and audit tools live in a virtualenv of their own, installed on first use: they are
# not the app's dependencies, and must not change the versions in .venv.
TOOLS := .venv-tools
$(TOOLS)/.installed:
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'pip-tools>=7.4,<8' 'pip-audit>=2.7,<3'
	touch $@

# Pins every package, with the hashes of all its files on PyPI, for this Python (3.11, as the
# Dockerfile's). Keeps the versions already pinned unless a change needs others;
# `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed, `LOCK_ARGS="-P django"` one.
LOCK_ARGS ?=
PIP_COMPILE := $(TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --build-deps-for editable $(LOCK_ARGS)
lock: $(TOOLS)/.installed
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra embedded --extra test --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

# Known vulnerabilities in the locked Python packages (pip-audit) and the npm packages (npm audit):
# the script exits 1 when there are some, 2 when an advisory database could not be asked (make
# itself exits 2 for either: the last line printed says which). requirements-dev.lock has every
# package of requirements.lock, at the same versions.
audit: $(TOOLS)/.installed node_modules/.installed
	$(TOOLS)/bin/python scripts/audit.py --pip-audit $(TOOLS)/bin/pip-audit requirements-dev.lock

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
	rm -rf $(VENV) $(TOOLS) node_modules var *.egg-info
