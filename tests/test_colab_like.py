"""The Colab path, proven offline: every notebook runs in a Colab-like kernel.

Python 3.13 with Colab's TensorFlow, Keras, numpy and ipywidgets 7.7.1
(tools/colab_like.py); the notebooks' own environment cell, taking its Colab branch,
installs cnnlab from the repository (its GitHub URL redirected to this clone).
"""

import importlib.metadata
import json
import sys
import tomllib
from pathlib import Path

import colab_like
import execute_notebooks
import project
import pytest

ROOT = project.ROOT
NOTEBOOKS = project.notebooks()
WIDGET = project.WIDGET_MIME
PURE_NUMPY = ("01", "02", "03", "04", "05")  # no training: the same numbers everywhere
# Google Colab's runtime as DESIGN.md records it (measured 2026-08): what the Colab-like
# Python must really hold, read from that interpreter (colab_like pins exact versions).
COLAB_RUNTIME = {"python": "3.13", "tensorflow-cpu": "2.20", "keras": "3.13", "numpy": "2.1",
                 "matplotlib": "3.10", "pillow": "11.3", "scikit-image": "0.25",
                 "ipython": "7.34", "ipywidgets": "7.7.1"}


@pytest.fixture(scope="module")
def colab_run(tmp_path_factory, requires):
    requires(colab_like.DEFAULT_PYTHON.exists(),
             f"the Colab-like Python ({colab_like.DEFAULT_PYTHON})", "`make colab-python`")
    out = tmp_path_factory.mktemp("colab")
    report = colab_like.run(NOTEBOOKS, out)
    executed = {path.name: json.loads((out / path.name).read_text()) for path in NOTEBOOKS}
    return report, executed


def code_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def shown_text(cell):
    """The text a cell printed or returned (streams and text/plain), as the page shows it:
    consecutive writes to one stream joined, as Jupyter displays them (how a kernel splits
    a print into messages depends on flush timing, not on what was printed)."""
    return [output.get("text") or "".join(output.get("data", {}).get("text/plain", ""))
            for output in execute_notebooks.joined_streams(cell["outputs"])]


@pytest.mark.slow
def test_runtime_is_colab_like(colab_run):
    report, _ = colab_run
    runtime = {"python": report["python"].split()[0], **report["installed"]}
    differs = {name: runtime.get(name) for name, version in COLAB_RUNTIME.items()
               if not (runtime.get(name) == version
                       or str(runtime.get(name)).startswith(version + "."))}
    assert differs == {}, f"not Colab's versions ({COLAB_RUNTIME}): {differs}"


@pytest.mark.slow
def test_environment_cell_installs_cnnlab_and_nothing_else(colab_run):
    report, _ = colab_run
    with open(ROOT / "pyproject.toml", "rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert report["added"] == {"cnnlab": version}
    assert report["changed"] == {} and report["removed"] == []
    assert "site-packages" in report["cnnlab_imported_from"]
    assert not report["cnnlab_imported_from"].startswith(str(ROOT))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_errors(colab_run, path):
    _, executed = colab_run
    cells = code_cells(executed[path.name])
    assert all(cell["execution_count"] is not None for cell in cells)
    errors = [o for cell in cells for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == [], [f"{e['ename']}: {e['evalue']}" for e in errors]
    # The environment cell took its Colab branch: pip ran and spoke.
    assert "pip" in "".join(shown_text(cells[0])) or "restart" in "".join(shown_text(cells[0]))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_widgets_work_under_colabs_ipywidgets(colab_run, path):
    _, executed = colab_run
    stored = code_cells(json.loads(path.read_text()))
    ran = code_cells(executed[path.name])
    for before, after in zip(stored, ran, strict=True):
        for old, new in zip(before["outputs"], after["outputs"], strict=False):
            if WIDGET in old.get("data", {}):
                assert WIDGET in new.get("data", {})      # a live widget view under 7.7.1
                assert sorted(new["data"]) == sorted(old["data"])  # and its still picture


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[:2] in PURE_NUMPY],
                         ids=lambda p: p.stem)
def test_numbers_match_the_stored_outputs(colab_run, path):
    _, executed = colab_run
    stored = code_cells(json.loads(path.read_text()))[1:]   # after the environment cell
    ran = code_cells(executed[path.name])[1:]
    mismatches = [(before["source"][:60], shown_text(before), shown_text(after))
                  for before, after in zip(stored, ran, strict=True)
                  if shown_text(before) != shown_text(after)
                  and not any(WIDGET in o.get("data", {}) for o in before["outputs"])]
    assert mismatches == []


def test_shown_text_joins_a_print_split_across_messages():
    # ipykernel 6.17 may send one print in two stream messages (CI saw it in 02).
    def stream(name, text):
        return {"output_type": "stream", "name": name, "text": text}
    split = {"outputs": [stream("stdout", "a\n"), stream("stdout", "b\n"),
                         {"output_type": "execute_result", "data": {"text/plain": "F"}}]}
    whole = {"outputs": [stream("stdout", "a\nb\n"),
                         {"output_type": "execute_result", "data": {"text/plain": "F"}}]}
    assert shown_text(split) == shown_text(whole) == ["a\nb\n", "F"]
    mixed = {"outputs": [stream("stdout", "a\n"), stream("stderr", "b\n")]}
    assert shown_text(mixed) == ["a\n", "b\n"]


def test_installed_packages_are_named_as_on_pypi():
    # pip lists some under their wheel's spelling (tensorflow_cpu); COLAB_RUNTIME uses PyPI's.
    versions = colab_like.installed(Path(sys.executable))
    assert versions["typing-extensions"] == importlib.metadata.version("typing_extensions")
    assert "typing_extensions" not in versions
