# The two set-up commands: `make demo` runs the main job on the bundled sample, `make test`
# passes the whole suite. Each installs what it needs and is safe to rerun.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLE := seeds/000_e763484b695398bd.txt
OUT    := out

.PHONY: demo test lint typecheck pytest venv clean bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes (new extra, new entry point).
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
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
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: venv
	$(VENV)/bin/mypy --strict src

pytest: venv
	$(VENV)/bin/pytest

test: lint typecheck pytest

# The benchmark against pandoc (and calibre, when it installs) and a str.split floor; writes
# bench/RESULTS.md. BENCH_SIZES, BENCH_PANDOC_MAX (MB), BENCH_CALIBRE_MAX (MB, 0 skips
# calibre), BENCH_HEADINGS_MAX, BENCH_STREAM_SIZE and BENCH_TIMEOUT tune it: see
# docs/performance.md.
bench: venv
	@command -v pandoc >/dev/null || { apt-get update -qq && apt-get install -y -qq pandoc; } \
	  || echo "bench: pandoc could not be installed; its rows will say so"
	@[ "$${BENCH_CALIBRE_MAX:-10}" = 0 ] || command -v ebook-convert >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	       apt-get install -y -qq --no-install-recommends calibre; } \
	  || echo "bench: calibre could not be installed; its rows will show the issue's numbers"
	$(PY) bench/run.py

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
