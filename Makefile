# The two set-up commands: `make demo` runs the main job on the bundled sample, `make test`
# passes the whole suite. Each installs what it needs and is safe to rerun.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
SAMPLE := seeds/000_e763484b695398bd.txt
OUT    := out
LINTED := src tests $(wildcard bench)

.PHONY: demo test deps lint typecheck pytest venv clean

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
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

typecheck: venv
	$(VENV)/bin/mypy --strict src

pytest: venv
	$(VENV)/bin/pytest

# xmllint (libxml2-utils) checks the golden XML files against the XSD, independently of lxml.
deps:
	@command -v xmllint >/dev/null || (apt-get update && apt-get install -y libxml2-utils)

test: deps lint typecheck pytest

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
