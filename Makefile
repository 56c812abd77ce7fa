# geomap: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
GEOMAP := $(VENV)/bin/geomap
STAMP  := $(VENV)/.installed

.PHONY: demo test install gazetteer browser-deps lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=77"
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Builds the default gazetteer (about a minute) unless one is already there.
gazetteer: $(STAMP)
	@$(GEOMAP) gazetteer info >/dev/null 2>&1 || $(GEOMAP) gazetteer build

demo: gazetteer
	$(GEOMAP) run examples/ -o output/
	@echo "Open output/map.html in a browser."

# Headless Chromium for the browser tests. (The map's JS/CSS ship in geomap/static/vendor;
# tests/browser/package.json only pins the npm versions they were copied from.)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Two workers (pytest-xdist), a module at a time each, the longest first (tests/conftest.py).
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: pytest keeps the test
# modules' assert-rewritten code there, and each worker would redo it every run (~4 s).
# The default-gazetteer build test keeps its build in .pytest_cache while the gazetteer
# package and its inputs stay the same (tests/gazetteer_fixtures.py; `make clean` drops it).
test: gazetteer browser-deps
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder tests geomap gazetteer --doctest-modules

lint: $(STAMP)
	$(VENV)/bin/ruff check geomap gazetteer tests benchmarks

bench: gazetteer
	$(PY) benchmarks/gazetteer_bench.py
	$(PY) benchmarks/map_bench.py

clean:
	rm -rf $(VENV) output/*.html output/*.geojson .pytest_cache
