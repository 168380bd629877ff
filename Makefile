# Two commands are the contract (see README):  make lab   and   make test
# Both create .venv on first use from requirements.txt plus this package (editable).

PYTHON ?= python3
VENV   := .venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# nbgrader calls helper programs (alembic) by name: keep the environment's bin/ first.
export PATH := $(BIN):$(PATH)
# Jupyter refuses to run as root (containers, Colab-like VMs) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# One quiet progress bar policy for tests; see graphcourse.train.
TEST_ENV := GRAPHCOURSE_QUIET=1 MPLBACKEND=Agg

.PHONY: lab test test-grading test-robust test-browser test-colab venv chapters clean-venv

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ needed, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || \
		$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## Set up (first time) and open JupyterLab on the student chapters.
lab: $(STAMP)
	@$(BIN)/jupyter kernelspec list 2>/dev/null | grep -q '^ *graphcourse ' || \
		$(BIN)/python -m ipykernel install --user --name graphcourse --display-name "Python (graphcourse)"
	$(BIN)/jupyter lab --port=$(PORT) --ServerApp.root_dir=chapters $(ROOT_FLAG)

## Set up (first time) and run the test suite a contributor runs: lint, unit, parity, bad
## inputs, notebooks (nbval) and the student versions' structure. A few minutes on 2 cores.
test: $(STAMP)
	$(BIN)/ruff check graphcourse tests benchmarks tools
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadfile -q -m "not grading"

## The end-to-end grading tests (tests/grading/): nbgrader autogrades the solution, the
## untouched student version, shortcut and usual-mistake submissions of every chapter, and the
## instructor guide's recipes. Slow (a notebook run per submission); CI runs it after make test.
test-grading: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadfile -q -m grading

## Every solution notebook again under nbval with perturbed numerics: torch's portable ATen
## kernels, MKL's compatible code path and a second training seed. A compared output that
## changes with the CPU's float kernels or the seed fails here (see CONTRIBUTING.md).
ROBUST_ENV := ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE GRAPHCOURSE_SEED=1
test-robust: $(STAMP)
	$(TEST_ENV) $(ROBUST_ENV) $(BIN)/python -m pytest -n 2 --dist loadfile -q solutions

## Every solution notebook in a real JupyterLab in headless Chromium: run all cells, move one
## control of each explorer and check that what it draws changes (tools/browser_test.py;
## screenshots in build/browser/). Needs Playwright, installed into .venv here when missing,
## and the system's Chromium (Debian package `chromium`, installed here when we are root;
## otherwise the run is skipped with a message). Never runs `playwright install`.
CHROMIUM ?= /usr/bin/chromium
test-browser: $(STAMP)
	@$(BIN)/python -c 'import playwright' 2>/dev/null || $(BIN)/python -m pip install --quiet playwright
	@if [ ! -x "$(CHROMIUM)" ] && [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y chromium; fi
	@if [ -x "$(CHROMIUM)" ]; then \
		$(BIN)/python tools/browser_test.py --chromium "$(CHROMIUM)"; \
	else \
		echo "test-browser: SKIPPED: no Chromium at $(CHROMIUM). Install the Debian package" \
		     "'chromium' (as root: apt-get install chromium) or set CHROMIUM=/path/to/chromium."; \
	fi

## The simulated Colab run (README, "Colab"). .venv-colab holds only what Colab holds for this
## course: torch as pinned in requirements.txt, numpy, ipywidgets 7.7.x, ... (no torch-geometric,
## no graphcourse), plus the test runner; built once (rm -r .venv-colab to rebuild). Then
## (a) tests/colab: each chapter's setup cell (from tools/setup_cell.py) and first sections in
## a kernel of that venv with a stand-in google.colab; torch, numpy and ipywidgets must keep
## their versions; (b) the widget tests once more there, with ipywidgets 7.7.x. Needs pip to
## reach the package registry: the setup cell installs torch-geometric, as it does on Colab.
COLAB_VENV     := .venv-colab
COLAB_BIN      := $(abspath $(COLAB_VENV))/bin
COLAB_STAMP    := $(COLAB_VENV)/.installed
COLAB_PACKAGES := $(shell grep -E '^torch==' requirements.txt) numpy matplotlib scipy \
	scikit-learn networkx tqdm pandas ipykernel "ipywidgets==7.7.*" pytest nbclient nbformat
COLAB_PYG      := $(shell grep -E '^torch-geometric' requirements.txt)
COLAB_PYTEST   := $(COLAB_BIN)/python -m pytest -o addopts="-p no:cacheprovider"
COLAB_VERSIONS := import importlib.metadata as m; v = {n: m.version(n) for n in \
	("torch", "numpy", "ipywidgets")}; print(".venv-colab:", v); \
	assert v["ipywidgets"].startswith("7.7."), "ipywidgets left 7.7.x"

$(COLAB_STAMP):
	test -x $(COLAB_BIN)/python || $(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet --upgrade pip
	$(COLAB_BIN)/python -m pip install --quiet $(COLAB_PACKAGES)
	touch $@

test-colab: $(COLAB_STAMP)
	$(COLAB_BIN)/python -c '$(COLAB_VERSIONS)'
	$(TEST_ENV) GRAPHCOURSE_COLAB_SIM=1 $(COLAB_PYTEST) -v -s tests/colab
	$(COLAB_BIN)/python -m pip install --quiet "$(COLAB_PYG)"
	$(COLAB_BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || \
		$(COLAB_BIN)/python -m pip install --quiet --no-deps -e .
	$(TEST_ENV) $(COLAB_PYTEST) -q tests/widgets
	$(COLAB_BIN)/python -c '$(COLAB_VERSIONS)'

## Regenerate the student notebooks in chapters/ from solutions/ (instructors, after editing).
chapters: $(STAMP)
	$(BIN)/python tools/release.py

clean-venv:
	rm -rf $(VENV) .venv-colab
