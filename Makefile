# The two set-up commands: `make demo` runs the main job on the bundled sample, `make test`
# passes the whole suite. Each installs what it needs and is safe to rerun.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLE := seeds/000_e763484b695398bd.txt
OUT    := out
LINTED := src tests $(wildcard bench)

.PHONY: demo test deps deps-web screenshot lint typecheck pytest docs venv clean bench bench-startup bench-scale

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

PLUGIN := tests/plugins/digestkit-mdexample

# Reinstall when the project's metadata changes (new extra, new entry point). The example
# plugin is installed as a user would install one, so the tests use it through its entry point.
# The dev tools are a PEP 735 dependency group (`pip install --group` needs pip 25.1).
$(VENV)/.installed: pyproject.toml $(PLUGIN)/pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]' -e $(PLUGIN) --group dev
	touch $@

venv: $(VENV)/.installed

demo: venv
	@mkdir -p $(OUT)
	@for spec in $$($(PY) -c "import digestkit; print(' '.join(f.name + ':' + f.extensions[0] for f in digestkit.default_registry().all() if f.writer))"); do \
	  name=$${spec%%:*}; ext=$${spec#*:}; \
	  $(VENV)/bin/digestkit convert $(SAMPLE) -t $$name -o $(OUT)/sample.$$ext || exit 1; \
	  printf 'wrote %-22s %8s bytes  (%s)\n' $(OUT)/sample.$$ext $$(wc -c < $(OUT)/sample.$$ext) $$name; \
	done

lint: venv
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

# The package strictly; the tests with the relaxed override of pyproject.toml (tests.*).
typecheck: venv
	$(VENV)/bin/mypy --strict src
	$(VENV)/bin/mypy tests

# Coverage of the package by the whole suite; the TOTAL line is the number to quote. The
# suite runs on every core (pytest-xdist), a test file per worker: the heavy module fixtures
# (EPUBCheck's and Ace's batches, the Spark and Dask clusters) then start once; the files
# marked slow go first (tests/conftest.py), in the order collected.
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
pytest: venv
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	  --cov=digestkit --cov-report=term

# xmllint (libxml2-utils) checks the golden XML files against the XSD, independently of lxml.
# The EPUB tests need a JDK for EPUBCheck (its source launcher checks many EPUBs in one JVM)
# and pandoc, an independent EPUB reader; the Spark tests run their master, workers and
# executors on that JDK (17). Each is installed only when missing; pyarrow, Dask, PySpark and
# DuckDB come with the venv's test extra.
# python3-venv too: Debian's python3 lacks ensurepip without it, and `make venv` needs it.
# One apt-get update, and only when something is missing.
deps: deps-web
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v xmllint >/dev/null || missing="$$missing libxml2-utils"; \
	command -v javac >/dev/null || missing="$$missing default-jdk-headless"; \
	command -v pandoc >/dev/null || missing="$$missing pandoc"; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The HTML page's checks (tests/formats/html) and the EPUB's (DAISY Ace, @daisy/ace, run by
# tests/formats/test_epub_ace.py with Debian's chromium): Java for the Nu Html Checker,
# Node.js and npm for it, axe-core and Ace (installed from the committed lock file into tests/web/node_modules),
# and Debian's chromium, which playwright drives (never `playwright install`: no browser
# download). One apt-get update, and only when something is missing; npm ci only when the
# lock file is newer than the installed packages.
WEB := tests/web
deps-web:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing default-jdk-headless"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@[ $(WEB)/node_modules/.package-lock.json -nt $(WEB)/package-lock.json ] \
	  && [ -f $(WEB)/node_modules/vnu-jar/build/dist/vnu.jar ] \
	  && [ -f $(WEB)/node_modules/axe-core/axe.min.js ] \
	  && [ -x $(WEB)/node_modules/.bin/ace-puppeteer ] \
	  || (cd $(WEB) && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
	      npm ci --no-audit --no-fund --ignore-scripts)

# The HTML page's and the EPUB's screenshots in docs/images/, taken by the browser tests.
screenshot: venv deps-web
	DIGESTKIT_SCREENSHOT=1 $(VENV)/bin/pytest -q tests/formats/html/test_html_browser.py \
	  tests/formats/test_epub_browser.py

# The documentation site, built offline and in strict mode (broken links fail). Not --quiet:
# it hides warnings from the strict check, which then passes whatever they say.
docs: venv
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

test: deps lint typecheck docs pytest

# The benchmark against pandoc (and calibre, when it installs) and a str.split floor; writes
# bench/RESULTS.md. BENCH_SIZES, BENCH_PANDOC_MAX (MB), BENCH_CALIBRE_MAX (MB, 0 skips
# calibre), BENCH_HEADINGS_MAX, BENCH_STREAM_SIZE and BENCH_TIMEOUT tune it: see
# docs/performance.md.
bench: venv
	@command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc; } \
	  || echo "bench: pandoc could not be installed; its rows will say so"
	@[ "$${BENCH_CALIBRE_MAX:-10}" = 0 ] || [ -n "$${BENCH_ONLY:-}" ] \
	  || command -v ebook-convert >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	       apt-get install -y -qq --no-install-recommends calibre; } \
	  || echo "bench: calibre could not be installed; its rows will show the issue's numbers"
	@# An installed wheel carries byte-code; an editable install under PYTHONDONTWRITEBYTECODE
	@# would compile digestkit's sources on every start and skew the cold-start row.
	$(PY) -m compileall -q src $(PLUGIN)/src
	$(PY) bench/run.py

# Only the start-up rows: cold start and the 10 MB parse against BENCH_BASELINE (a git
# revision, default c2642d2), built in a worktree under bench/data/ with its own venv.
bench-startup: venv
	$(PY) -m compileall -q src $(PLUGIN)/src
	BENCH_ONLY=startup $(PY) bench/run.py

# The scale-out benchmark (CLI -j 1 against Dask and Spark, Parquet read against text read);
# writes bench/RESULTS-scale.md. BENCH_SCALE_DIGESTS and BENCH_SCALE_KB size the input.
bench-scale: venv
	$(PY) bench/scale.py

clean:
	rm -rf $(OUT) site .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage
