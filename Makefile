# Kasyno Lotto: `make run` starts the app with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.5
BUN := .tools/node_modules/bun/bin/bun.exe
AXE_VERSION := 4.14.1
AXE := .tools/node_modules/axe-core/axe.min.js
PORT ?= 3000
# The app derives its allowed origins, CSP and emailed links from the port it serves on.
export PORT

.PHONY: run dev test lint install install-dev bun axe chromium migrate seed clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Reflex needs bun >= 1.4.4; the npm registry's `bun` package provides it without
# reaching bun's own download site.
$(BUN):
	npm install --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION)
	$(BUN) --version
bun: $(BUN)

# The accessibility browser tests inject axe-core (from the npm registry, pinned) into each page.
$(AXE):
	npm install --no-audit --no-fund --save-exact --prefix .tools axe-core@$(AXE_VERSION)
axe: $(AXE)

# Browser tests drive Debian's Chromium; elsewhere fall back to Playwright's own build.
chromium: $(VENV)/.dev
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  (apt-get update -q && apt-get install -y -q chromium) || \
	  $(PY) -m playwright install chromium

migrate: $(VENV)/.runtime
	$(PY) -m alembic upgrade head

seed: migrate
	$(PY) -m casino_app seed

# The demo: demo mode on for the seed and the app (the published demo logins, the demo
# mailbox and a banner on every page). Everywhere else demo mode is off unless asked for.
run dev: export CASINO_DEMO_MODE = 1

# The sandbox payment service runs beside the app in its own process, on PORT+10 unless
# SANDBOX_PORT says otherwise; its webhooks come back to the app's /api/webhooks/sandbox.
SANDBOX_PORT ?= $(shell echo $$(( $(PORT) + 10 )))
run dev: export CASINO_SANDBOX_PORT = $(SANDBOX_PORT)
SANDBOX_RUN = $(PY) -m casino_app.payments_sandbox --port $(SANDBOX_PORT) \
	--webhook-url http://127.0.0.1:$(PORT)/api/webhooks/sandbox

run: $(VENV)/.runtime bun seed
	@echo "Demo mode is ON (CASINO_DEMO_MODE=1): demo logins and mailbox, a banner on every page. Not for production."
	$(SANDBOX_RUN) & sandbox=$$!; trap 'kill $$sandbox 2>/dev/null' EXIT; \
	$(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

dev: $(VENV)/.runtime bun seed
	@echo "Demo mode is ON (CASINO_DEMO_MODE=1): demo logins and mailbox, a banner on every page. Not for production."
	$(VENV)/bin/reflex run

lint: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy casino_app/domain casino_app/services

# Everything but the browser tests on two processes (each test has its own database), then the
# browser tests one at a time (each module starts its own app instance).
test: $(VENV)/.dev bun axe chromium lint
	$(PY) -m pytest -n 2 --ignore=tests/e2e
	$(PY) -m pytest tests/e2e

clean:
	rm -rf .web .states test-artifacts
