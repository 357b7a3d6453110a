# Two commands: `make run` and `make test`. Both set up whatever is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install lint browser clean bench

run: install
	$(BIN)/debrief up

test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(STAMP) static/vendor/hls.min.js

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Debrief needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

static/vendor/hls.min.js: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	mkdir -p static/vendor
	cp node_modules/hls.js/dist/hls.min.js static/vendor/hls.min.js
	cp node_modules/hls.js/LICENSE static/vendor/hls.LICENSE

# Browser tests drive the system Chromium; install it from Debian when we may.
browser:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM=/path."; exit 1; \
		fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check webapp worker tests bench

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
