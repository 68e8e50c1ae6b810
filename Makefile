# Two commands do everything on a fresh clone:
#   make dataset [RAW=path/to/raw]   set up, then build data/dataset from RAW (default data/raw)
#   make test                        set up, then run the test suite
PYTHON ?= python3
VENV ?= .venv
RAW ?= data/raw
OUT ?= data/dataset
BIN = $(VENV)/bin

.PHONY: setup dataset test validate evaluate evaluate-realpress score clean

$(BIN)/corpus: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,distributed,ray]"
	touch $@

setup: $(BIN)/corpus

dataset: setup
	$(BIN)/corpus build --raw "$(RAW)" --out "$(OUT)"
	$(BIN)/corpus validate "$(OUT)" --raw "$(RAW)"

test: setup
	$(BIN)/python -m pytest

validate: setup
	$(BIN)/corpus validate "$(OUT)" --raw "$(RAW)"

# Build the gold articles (development set, then the held-out set) and score them.
evaluate: setup
	$(BIN)/corpus build --raw data/gold --out build/gold-dataset --no-cache
	$(BIN)/corpus evaluate --dataset build/gold-dataset --gold data/gold
	$(BIN)/corpus build --raw data/gold-heldout --out build/heldout-dataset --no-cache
	$(BIN)/corpus evaluate --dataset build/heldout-dataset --gold data/gold-heldout

# Quote gold on real press, shipped as offsets only: needs the public gilets-jaunes JSONL.
# SET: heldout (the blind figure), dev, dev2 … dev16 (data/gold-realpress/README.md).
CORPUS ?= ../shared/corpora/gilets-jaunes/articles_fr.jsonl
SET ?= heldout
evaluate-realpress: setup
	$(BIN)/python scripts/realpress_gold.py rehydrate --corpus "$(CORPUS)" --set $(SET) --out build/realpress-$(SET)
	$(BIN)/corpus build --raw build/realpress-$(SET) --out build/realpress-$(SET)-dataset --no-cache
	$(BIN)/corpus evaluate --dataset build/realpress-$(SET)-dataset --gold build/realpress-$(SET)

clean:
	rm -rf build .pytest_cache
