# Survey-analysis pipeline: `make all` runs everything on the shipped sample, `make test` tests it.
# Stage targets are real files, so `make` re-runs only what changed. Override CONFIG and WORKDIR to run on
# your own data: make all CONFIG=/path/to/programme.toml WORKDIR=/path/to/output

.DEFAULT_GOAL := help
SHELL := /bin/bash
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
CONFIG ?= data/raw/programme.toml
WORKDIR ?= .
RUN := $(PY) -m pipeline --config $(CONFIG) --workdir $(WORKDIR)

INTERIM := $(WORKDIR)/data/interim
PROCESSED := $(WORKDIR)/data/processed
REPORTS := $(WORKDIR)/reports

# inputs: everything next to the programme file (survey export, codebook, transcripts)
RAW := $(shell find $(dir $(CONFIG)) -type f -not -name '*.md' 2>/dev/null | sort)
# each stage's prerequisites are the source files its process can import and the resources they name,
# computed from the code by pipeline/deps.py (standard library only), as compilers write .d files
SOURCES := $(shell find pipeline notebooks -type f \( -name '*.py' -o -name '*.ipynb' \) -not -path '*/__pycache__/*' 2>/dev/null | sort)
DEPS_MK := .make/deps.mk
$(DEPS_MK): $(SOURCES) $(wildcard pipeline/resources/*)
	@mkdir -p $(dir $@)
	@$(PYTHON) pipeline/deps.py > $@.tmp && mv $@.tmp $@
include $(DEPS_MK)

.PHONY: help install all ingest needs themes rank plan economics reports review test lint format bench sample screenshots lab clean

help: ## show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  Variables: CONFIG=$(CONFIG) WORKDIR=$(WORKDIR) PYTHON=$(PYTHON)"

install: $(INSTALLED) ## create .venv, install the package (editable) with dev tools and the Jupyter kernel

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed; set PYTHON=python3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name survey-pipeline --display-name "Python 3 (survey-pipeline)" >/dev/null
	touch $@

all: reports ## install if needed, run every stage on the sample (or CONFIG), write reports
	@echo "Reports: $(abspath $(REPORTS))/index.html"

ingest: $(INTERIM)/ingest_report.json ## read survey export and transcripts into pseudonymised tables
needs: $(PROCESSED)/needs.parquet ## needs per leadership area (Borich MWDS)
themes: $(PROCESSED)/themes.parquet ## themes in free text and interviews
rank: $(PROCESSED)/topic_ranking.parquet ## rank catalogue topics on the evidence
plan: $(PROCESSED)/plan.parquet ## optimal plans for 3 and 4 gatherings (+ plan.csv)
economics: $(PROCESSED)/economics.parquet ## fee, break-even, surplus split and risk of a loss
reports: $(REPORTS)/index.html ## render the Norwegian reports with papermill
review: $(PROCESSED)/themes.parquet ## write the coding sheet (xlsx) for an analyst; reviews in it are kept
	$(RUN) review

$(INTERIM)/ingest_report.json: $(RAW) $(CONFIG) $(INGEST_SRC) | $(INSTALLED)
	$(RUN) ingest
$(PROCESSED)/needs.parquet: $(INTERIM)/ingest_report.json $(NEEDS_SRC)
	$(RUN) needs
$(PROCESSED)/themes.parquet: $(INTERIM)/ingest_report.json $(THEMES_SRC)
	$(RUN) themes
$(PROCESSED)/topic_ranking.parquet: $(PROCESSED)/needs.parquet $(PROCESSED)/themes.parquet $(RANK_SRC)
	$(RUN) rank
$(PROCESSED)/plan.parquet: $(PROCESSED)/topic_ranking.parquet $(PLAN_SRC)
	$(RUN) plan
$(PROCESSED)/economics.parquet: $(INTERIM)/ingest_report.json $(ECONOMICS_SRC)
	$(RUN) economics
$(REPORTS)/index.html: $(PROCESSED)/plan.parquet $(PROCESSED)/economics.parquet $(REPORT_SRC)
	$(RUN) reports

test: $(INSTALLED) ## run the test suite
	$(PY) -m pytest -q

lint: $(INSTALLED) ## ruff lint and format check
	$(PY) -m ruff check pipeline tests benchmarks
	$(PY) -m ruff format --check pipeline tests benchmarks

format: $(INSTALLED) ## apply ruff formatting and safe fixes
	$(PY) -m ruff format pipeline tests benchmarks
	$(PY) -m ruff check --fix pipeline tests benchmarks

bench: $(INSTALLED) ## run the benchmarks and write reports/benchmarks.md
	$(PY) -m benchmarks --out $(REPORTS)/benchmarks.md

screenshots: $(REPORTS)/index.html ## reports, PDF pages and board paper as PNG (chromium; poppler-utils, libreoffice optional)
	$(PY) -m pipeline.screenshots --workdir $(WORKDIR)

lab: $(INSTALLED) ## open JupyterLab on the project's kernel (notebooks/utforsk.ipynb to explore a run)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

sample: $(INSTALLED) ## rebuild the shipped sample (data/raw) and its ground truth from pipeline/sample (seeded)
	$(PY) -m pipeline.sample

clean: ## remove generated data and reports (raw data and .venv are kept)
	rm -rf $(INTERIM) $(PROCESSED) $(REPORTS)/*.html $(REPORTS)/notebooks $(REPORTS)/benchmarks.md
