# One command to see it work, one to test it. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test lint bench eval clean browser serve report screenshots java

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(MAKE) --no-print-directory java
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,semantic,spark]'
	touch $@

## java: a Java runtime for the Spark engine, from Debian where `java` is missing (as root)
java:
	@command -v java >/dev/null 2>&1 || { \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

## demo: install, analyze the bundled example corpus, print stories and pairs
demo: $(VENV)/.installed
	rm -f $(OUT)/demo.sqlite $(OUT)/demo.sqlite-wal $(OUT)/demo.sqlite-shm
	$(BIN)/wiretrace analyze examples/corpus --db $(OUT)/demo.sqlite --json $(OUT)/demo.json
	$(BIN)/wiretrace stories --db $(OUT)/demo.sqlite
	$(BIN)/wiretrace pairs --db $(OUT)/demo.sqlite

## browser: Debian's chromium for the browser tests (never a browser download; needs root)
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## test: install, lint, then the whole test suite (CI runs exactly this)
test: $(VENV)/.installed lint browser
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

## bench: every benchmark against ../shared/data and the peer libraries; writes docs/benchmarks.md
bench: $(VENV)/.installed
	$(BIN)/python -m bench.run

## serve: the web UI on http://127.0.0.1:8000/ over the demo store
serve: demo
	$(BIN)/wiretrace serve --db $(OUT)/demo.sqlite

## report: a static HTML report of the demo store in out/report/
report: demo
	$(BIN)/wiretrace report --db $(OUT)/demo.sqlite --html $(OUT)/report

## screenshots: the README's screenshots of the web UI (docs/screenshots/*.png)
screenshots: $(VENV)/.installed browser
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .mypy_cache
