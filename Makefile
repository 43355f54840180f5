# `make demo` and `make test` work from a clean clone with only Python 3.11 installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
DEMO_DB := $(VENV)/demo.db
FUZZ_SECONDS ?= 300

.PHONY: demo test lint bench fuzz clean postgres

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed  ## brief the bundled seed articles in one go (ingest, analyse, cluster, corroborate, write)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/triangulate --db $(DEMO_DB) brief examples/vladivostok --format md
	$(BIN)/triangulate --db $(DEMO_DB) stories

postgres:  ## PostgreSQL for the store tests: installed with apt when missing (as root), else those tests skip
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get install -y -q postgresql >/dev/null; } || \
	  echo "PostgreSQL is not installed and cannot be installed here: the PostgreSQL tests will skip"

test: $(VENV)/.installed postgres  ## lint, then the whole suite (real-data gates skip without ../shared/data)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest

bench: $(VENV)/.installed  ## the evaluations in bench/, against $(DATA)
	$(BIN)/python bench/extraction.py $(DATA)/extraction
	$(BIN)/python bench/ingest.py $(DATA)
	$(BIN)/python bench/quotes.py $(DATA)/polnear/dev
	$(BIN)/python bench/language.py $(DATA)
	$(BIN)/python bench/segment.py $(DATA)
	$(BIN)/python bench/stories.py $(DATA)
	$(BIN)/python bench/stories_scale.py $(DATA)
	$(BIN)/python bench/alignment.py $(DATA)/ecbplus
	$(BIN)/python bench/brief.py $(DATA)/allsides
	$(BIN)/python bench/hostile.py $(DATA)
	$(BIN)/python bench/scale.py $(DATA)
	$(BIN)/python bench/window.py $(DATA)

fuzz: $(VENV)/.installed  ## each reader and the renderers fuzzed for FUZZ_SECONDS (atheris, else hypothesis)
	for target in text html feed jsonl render; do $(BIN)/python bench/fuzz.py $$target $(DATA) --seconds $(FUZZ_SECONDS); done

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
