# The two commands of the README, and what they need. Everything is installed from the project's
# own files: uv (pinned) into .tools/, the locked Python packages into .venv/, the npm test tools
# from package-lock.json into node_modules/.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint install

## make demo: the whole platform on embedded PostgreSQL and Redis (Ctrl-C stops it)
demo: $(VENV)/.synced
	$(VENV)/bin/year2026 demo

## make test: linters, the type checker and the whole test suite
test: lint node_modules/.package-lock.json browser
	$(VENV)/bin/pytest

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

install: $(VENV)/.synced node_modules/.package-lock.json

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# A real browser for the tests that load our pages (Debian's headless Chromium). Installed when
# this runs as root with apt (CI, the project's machines); elsewhere those tests say they skip.
BROWSER_PACKAGE := chromium-headless-shell
.PHONY: browser
browser:
	@if command -v $(BROWSER_PACKAGE) >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(BROWSER_PACKAGE) >/dev/null; \
	else echo "no $(BROWSER_PACKAGE), and not root with apt: the browser tests will skip"; fi


# The load generator of the benches (Debian's wrk), installed the same way; not part of
# `make test`.
BENCH_PACKAGES := wrk
.PHONY: bench-tools bench bench-feeds bench-enrolment
bench-tools:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(BENCH_PACKAGES) >/dev/null; \
	else echo "no wrk, and not root with apt: install wrk to run the benches"; \
		exit 1; fi

## make bench: the registration rush against the raw claim rate (a few minutes; not a test)
bench: $(VENV)/.synced bench-tools
	$(VENV)/bin/python bench/bench_registration.py

## make bench-feeds: calendar feeds against a bare handler, re-publishing against a full rebuild
## (about two minutes; not a test)
bench-feeds: $(VENV)/.synced bench-tools
	$(VENV)/bin/python bench/bench_feeds.py

## make bench-enrolment: the enrolment rush (1,000 for 100 seats) against a bare claim-and-insert
## handler (about a minute; not a test)
bench-enrolment: $(VENV)/.synced bench-tools
	$(VENV)/bin/python bench/bench_enrolment.py
