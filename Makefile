# One-command set-up: every target creates (or reuses) the local virtualenv .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-all bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,plot,dask,parquet,browser,fast]"
	touch $(STAMP)

demo: $(STAMP)  ## dimension report for a few classic architectures
	$(VENV)/bin/neuroalg demo

test: $(STAMP)  ## the default test suite (slow tests excluded)
	$(PY) -m pytest -q

test-all: $(STAMP)  ## every test, slow ones included
	$(PY) -m pytest -q -m "slow or not slow"

bench: $(STAMP)  ## benchmarks; results are written to benchmarks/results/
	$(PY) benchmarks/dimension.py
	$(PY) benchmarks/homotopy.py
	$(PY) benchmarks/equations.py
	$(PY) benchmarks/regions.py
	$(PY) benchmarks/dynamics.py
	$(PY) benchmarks/atlas.py
	$(PY) benchmarks/startup.py
	OPENBLAS_NUM_THREADS=1 $(PY) benchmarks/harmonics.py
	OPENBLAS_NUM_THREADS=1 $(PY) benchmarks/represent.py
	OPENBLAS_NUM_THREADS=1 $(PY) benchmarks/represent_hyperdga.py

clean:
	rm -rf $(VENV)
