# The two commands of the course: `make lab` and `make test` (see README.md).
# Both create .venv from the pinned lock file when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SLIDES_CONFIG := $(VENV)/etc/jupyter/jupyter_nbconvert_config.py
SANITIZE := tests/nbval_sanitize.cfg

.PHONY: lab test test-fast bench notebooks course colab-python lock system-deps clean

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
$(SLIDES_CONFIG): $(STAMP) tools/build_course.py
	$(BIN)/python tools/build_course.py --install-slides-config || \
		echo "warning: offline slides not set up; slide exports will use a CDN"

## lab: set everything up and open the course in JupyterLab
lab: $(STAMP) $(SLIDES_CONFIG)
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

## system-deps: Debian's Chromium (browser tests) and Fashion-MNIST originals (the test that
## rebuilds data/fashion_mnist_subset.npz); needs root, otherwise those tests are skipped
SYSTEM_PACKAGES := chromium dataset-fashion-mnist
system-deps:
	@if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/datasets/fashion-mnist ]; then :; \
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

## test: set everything up and run every test (unit, property, widgets, notebooks, browser,
## static course, Colab-like run)
test: $(STAMP) $(SLIDES_CONFIG) system-deps colab-python
	$(BIN)/python -m pytest -n 2 --dist loadscope --doctest-modules cnnlab tests --nbval notebooks --nbval-sanitize-with $(SANITIZE)

## test-fast: the unit and property tests only
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 tests -m "not slow"

## bench: print the speed figures of benchmarks/
bench: $(STAMP)
	for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## notebooks: re-execute every notebook in place with the pinned kernel
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

## course: the static course in site/ — one page per notebook, an index, reveal.js slides;
## works offline (animations embedded, no CDN). `python tools/build_course.py NOTEBOOK`
## exports one notebook.
course: $(STAMP)
	$(BIN)/python tools/build_course.py --out site

## lock: re-resolve requirements/dev.in into requirements/lock.txt with uv, for every supported
## system at once (markers pick each one's pins); the current pins are kept wherever they still
## fit (uv prefers the output file's versions), so a new entry in dev.in moves nothing else.
## setuptools stays out of the lock as before: each venv brings its own.
lock:
	rm -rf /tmp/cnnlab-lock && $(PYTHON) -m venv /tmp/cnnlab-lock
	/tmp/cnnlab-lock/bin/pip install --quiet uv -c requirements/lock.txt
	/tmp/cnnlab-lock/bin/uv pip compile --quiet requirements/dev.in --universal --python-version 3.11 \
		--no-emit-package setuptools --custom-compile-command "make lock" -o requirements/lock.txt
	$(PYTHON) tools/write_environment_yml.py

clean:
	rm -rf $(VENV) site build dist .pytest_cache
