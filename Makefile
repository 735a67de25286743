# The README's two commands: `make up` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: install up test lint bench bench-compare clean chromium i18n

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

up: install
	$(BIN)/encv up

# The browser tests need Debian's chromium (never a downloaded browser): install
# it when we can (root with apt-get, as .ci/run does), else stop with a clear
# message rather than letting the browser tests be skipped or fail obscurely.
# PYTEST_ARGS='-m "not browser"' runs without a browser.
chromium:
ifeq (,$(findstring not browser,$(PYTEST_ARGS)))
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; \
	  fi; \
	  test -x /usr/bin/chromium || { \
	    echo "error: /usr/bin/chromium is missing and could not be installed."; \
	    echo "  Install Debian's chromium (apt-get install chromium) as root, or run"; \
	    echo "  make test PYTEST_ARGS='-m \"not browser\"' to leave the browser tests out."; \
	    exit 1; }; }
endif

test: install chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

# Message catalogues (spec 9): extract ids from templates and Python into each
# set's messages.pot, update every locale's .po, write jp from ja, compile the
# .mo files (committed; tests/ui/test_catalogues.py checks they are current).
i18n: install
	$(BIN)/encv i18n sync

lint: install
	$(BIN)/ruff check .

# One run of every measurement (bench/run.py; ~5 min, BENCH_QUICK=1 ~1.5 min):
# JSON under bench/reports/runs/, Markdown in bench/reports/bench-latest.md.
bench: install
	$(BIN)/python -m bench.run $(if $(BENCH_QUICK),--quick) $(BENCH_ARGS)

# The newest run against the one before (or BENCH_COMPARE="old.json new.json").
bench-compare: install
	$(BIN)/python -m bench.compare $(BENCH_COMPARE)

clean:
	rm -rf $(VENV) .encv
