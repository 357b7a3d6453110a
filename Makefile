# Two commands: `make run` and `make test`. Both set up whatever is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
TEST_POSTGRES_PORT ?= 5432

.PHONY: run test install lint browser speech postgres clean bench

run: install speech
	$(BIN)/debrief up

test: install browser speech jslint
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(STAMP) static/vendor/hls.min.js static/vendor/swagger-ui/swagger-ui-bundle.js

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Debrief needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[embedded,dev]'
	rm -f $(VENV)/.installed-*
	touch $@

static/vendor/hls.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund --ignore-scripts
	mkdir -p static/vendor
	cp node_modules/hls.js/dist/hls.min.js static/vendor/hls.min.js
	cp node_modules/hls.js/dist/hls.worker.js static/vendor/hls.worker.js
	cp node_modules/hls.js/LICENSE static/vendor/hls.LICENSE

# The API docs page's Swagger UI, served from our own origin (the page CSP allows only 'self').
static/vendor/swagger-ui/swagger-ui-bundle.js: static/vendor/hls.min.js
	mkdir -p static/vendor/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/LICENSE static/vendor/swagger-ui/

# Browser tests drive the system Chromium; install it from Debian when we may. When we may
# not (or CHROMIUM names a missing file), the rest of the suite still runs and the browser
# tests fail, saying what is missing.
browser:
	@test -x $(CHROMIUM) || [ "$(origin CHROMIUM)" != file ] || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: the browser tests will fail (install it, e.g. 'sudo apt-get install chromium', or set CHROMIUM=/path)."; \
		fi; }

# The lesson-analysis tests and the demo's sample lesson are spoken by Debian's espeak-ng;
# install it when we may. When we may not, the rest of the suite still runs and those tests
# fail, saying what is missing, and the demo lesson is silent (`debrief demo` says so).
speech:
	@command -v espeak-ng >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null; \
		else \
			echo "espeak-ng is missing: the lesson-analysis tests will fail and the demo lesson has no speech (install it, e.g. 'sudo apt-get install espeak-ng')."; \
		fi; }

# The PostgreSQL tests need a server: TEST_DATABASE_URL, else whatever answers on
# 127.0.0.1:$(TEST_POSTGRES_PORT), else a private one the suite starts from Debian's server
# binaries, installed here when we may (otherwise those tests fail, saying what is missing).
test: postgres
postgres:
	@[ -n "$${TEST_DATABASE_URL}" ] || command -v initdb >/dev/null || \
		ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		$(PYTHON) -c 'import socket,sys; sys.exit(socket.socket().connect_ex(("127.0.0.1", $(TEST_POSTGRES_PORT))))' 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else \
			echo "No PostgreSQL: the PostgreSQL tests will fail (install it, e.g. 'sudo apt-get install postgresql', or set TEST_DATABASE_URL)."; \
		fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check webapp worker tests bench

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache

# Front end: ESLint, the formatter's check, and node's own test runner on the pure JS helpers.
.PHONY: jslint
jslint: static/vendor/hls.min.js
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check static/js tests/js eslint.config.js
	node --test tests/js/
