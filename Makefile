# The two commands of the course: `make lab` and `make test` (see README.md).
# Both create .venv from the pinned lock file when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SLIDES_CONFIG := $(VENV)/etc/jupyter/jupyter_nbconvert_config.py
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
SANITIZE := tests/nbval_sanitize.cfg

.PHONY: lab test test-fast bench notebooks cross-cpu course audit colab-python lock system-deps clean

$(STAMP): pyproject.toml requirements/lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else \
		f"cnnlab needs Python 3.11, 3.12 or 3.13 (TensorFlow 2.21 has wheels for these), not {sys.version.split()[0]}; choose one with PYTHON=, e.g. make lab PYTHON=python3.12")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Slides exported in .venv (`jupyter nbconvert --to slides`, JupyterLab's menu) are the
# course's offline slides (reveal.js inlined; fetched once from the npm registry). Without
# this config only the slide export suffers. It writes the server's config file too.
$(SLIDES_CONFIG): $(STAMP) tools/course_slides.py tools/project.py
	$(BIN)/python tools/course_slides.py || \
		echo "warning: offline slides not set up; slide exports will use a CDN"

# JupyterLab as a course, not a fresh install: no news pop-up, no update check. The
# environment's own settings (never the user's home); jupyterlab/overrides.json is the source.
$(LAB_SETTINGS): jupyterlab/overrides.json $(STAMP)
	install -D -m 644 jupyterlab/overrides.json $@

## lab: set everything up and open the course in JupyterLab
lab: $(STAMP) $(SLIDES_CONFIG) $(LAB_SETTINGS)
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

## system-deps: Debian's Chromium (browser tests), Fashion-MNIST originals (the test that
## rebuilds data/fashion_mnist_subset.npz) and npm (the JupyterHub test's proxy); needs root,
## otherwise those tests are skipped (under CI the browser tests fail instead)
SYSTEM_PACKAGES := chromium dataset-fashion-mnist npm
system-deps:
	@if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/datasets/fashion-mnist ] && \
	   command -v npm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null)) || \
		echo "warning: could not install $(SYSTEM_PACKAGES); their tests will be skipped"; \
	else echo "warning: $(SYSTEM_PACKAGES) missing and not root; their tests will be skipped"; fi

## colab-python: Python 3.13 for the Colab-like run (tests/test_colab_like.py), built once
## from CPython's source in Debian's archive into ~/.cache/cnnlab; needs a C compiler and
## OpenSSL headers (installed when root); without them that test is skipped outside CI
colab-python:
	@if [ "$$(id -u)" = 0 ]; then bash tools/build_colab_python.sh; \
	else bash tools/build_colab_python.sh || echo "warning: no Colab-like Python; its test will be skipped"; fi

## hub-proxy: configurable-http-proxy for tests/test_jupyterhub.py, pinned in tests/hub/
## (npm registry); without npm that test is skipped
HUB_PROXY := tests/hub/node_modules/.bin/configurable-http-proxy
.PHONY: hub-proxy
$(HUB_PROXY): tests/hub/package.json tests/hub/package-lock.json
	cd tests/hub && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.bin/configurable-http-proxy
hub-proxy: system-deps
	@$(MAKE) --no-print-directory $(HUB_PROXY) || echo "warning: no configurable-http-proxy; the JupyterHub test will be skipped"

## test: set everything up and run every test (unit, property, doctests, widgets, notebooks,
## browser, static course, Colab-like run). Under CI (CI=true) a missing browser,
## ipywidgets 7.7.1 or Colab-like Python fails the run instead of skipping its tests.
test: $(STAMP) $(SLIDES_CONFIG) $(LAB_SETTINGS) system-deps colab-python hub-proxy
	$(BIN)/python -m pytest -n 2 --dist loadscope --doctest-modules cnnlab tools tests --nbval notebooks --nbval-sanitize-with $(SANITIZE)

## test-fast: the pure-Python tier, under a minute on 2 cores: ops, trace, render, widgets
## without a browser, exercises, tools and the doctests of cnnlab and tools — no browser,
## server, site build, wheel, notebook run or training (those are marked slow)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --doctest-modules cnnlab tools tests -m "not slow"

## bench: print the speed figures of benchmarks/
bench: $(STAMP)
	for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## notebooks: re-execute every notebook in place with the pinned kernel
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

## cross-cpu: do the stored outputs hold on another CPU? nbval under one core, oneDNN,
## AVX2-only and SSE-only settings (about 15 min for all notebooks)
cross-cpu: $(STAMP)
	bash tools/check_cross_cpu.sh

## course: the static course in site/ — one page per notebook, an index, reveal.js slides;
## works offline (animations embedded, no CDN). `python tools/build_course.py NOTEBOOK`
## exports one notebook.
course: $(STAMP)
	$(BIN)/python tools/build_course.py --out site

## audit: the static course checked with axe-core in Chromium (WCAG 2.1 A and AA rules) on
## the index, every page and every slide; prints the violating elements per file
audit: course system-deps
	$(BIN)/python tools/audit_course.py site

## lock: re-resolve requirements/dev.in into requirements/lock.txt with uv, for every supported
## system at once (markers pick each one's pins); the current pins are kept wherever they still
## fit (uv prefers the output file's versions), so a new entry in dev.in moves nothing else.
## setuptools stays out of the lock as before: each venv brings its own.
lock:
	rm -rf /tmp/cnnlab-lock && $(PYTHON) -m venv /tmp/cnnlab-lock
	/tmp/cnnlab-lock/bin/pip install --quiet uv -c requirements/lock.txt
	/tmp/cnnlab-lock/bin/uv pip compile --quiet --no-header requirements/dev.in --universal \
		--python-version 3.11 --no-emit-package setuptools -o requirements/lock.txt
	{ echo "# Exact pins of the course environment for Python 3.11 to 3.13 on every system in the"; \
	  echo "# README's \"Supported systems\"; environment markers select each system's pins."; \
	  echo "# Generated by \`make lock\` (uv) from requirements/dev.in; installed by \`make lab\`."; \
	  cat requirements/lock.txt; } > /tmp/cnnlab-lock/lock.txt
	mv /tmp/cnnlab-lock/lock.txt requirements/lock.txt
	$(PYTHON) tools/write_environment_yml.py

clean:
	rm -rf $(VENV) site build dist .pytest_cache
