# The README's two commands: `make up` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp

.PHONY: install up test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

up: install
	$(BIN)/encv up

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	@command -v wrk >/dev/null || (test "$$(id -u)" = 0 && apt-get install -y -q wrk >/dev/null) \
		|| echo "warning: wrk not found; the issue benchmark needs it"
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .encv
