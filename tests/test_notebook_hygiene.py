"""Notebook hygiene: the Colab badge and environment cell written from pyproject, and
stored outputs that ran in order without errors, local paths or secrets; ruff clean."""

import json
import subprocess
import sys
from pathlib import Path

import check_notebooks
import nbformat
import project
import pytest
import sync_notebooks
from project import KERNELSPEC, ROOT

NOTEBOOKS = project.notebooks()


def test_notebooks_agree_with_the_repository_url(capsys):
    assert sync_notebooks.main(["--check"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_badge_and_environment_cell(path):
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert sync_notebooks.badge(path) in "".join(cells[0]["source"])
    assert "".join(cells[1]["source"]) == sync_notebooks.environment_source()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_readme_lists_every_notebook_with_its_badge(path):
    readme = (ROOT / "README.md").read_text()
    assert f"(notebooks/{path.name})" in readme
    assert sync_notebooks.badge(path) in readme


def test_sync_writes_badge_and_environment_cell(tmp_path):
    path = ROOT / "notebooks" / "99_example.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Example\n\nText."),
        nbformat.v4.new_code_cell("1 + 1"),
    ])
    synced = sync_notebooks.sync(notebook, path)
    url = project.repository_url()
    assert url.startswith("https://github.com/")
    assert synced.cells[0].source.splitlines()[:3] == [
        "# Example", "",
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{url[19:]}/blob/main/notebooks/99_example.ipynb)"]
    assert "google.colab" in synced.cells[1].source and url in synced.cells[1].source
    assert synced.cells[2].source == "1 + 1"
    again = sync_notebooks.sync(synced, path)  # idempotent
    assert [c.source for c in again.cells] == [c.source for c in synced.cells]


# --- Stored notebooks: executed in order, error-free, clean (tools/check_notebooks.py) ---


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_notebook_is_clean(path):
    assert check_notebooks.problems(nbformat.read(path, as_version=4), path.name) == []


def test_the_course_has_all_seven_notebooks():
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert numbers == ["01", "02", "03", "04", "05", "06", "07"]


def _executed(*cells, **metadata):
    """A notebook whose code cells ran once in order, with the pinned kernelspec."""
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC), **metadata})
    count = 0
    for source, outputs in cells:
        count += 1
        notebook.cells.append(nbformat.v4.new_code_cell(source, execution_count=count,
                                                        outputs=outputs))
    return notebook


def _text(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def _html(html):
    return nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "x"})


def test_a_clean_notebook_passes():
    gif = "<img src='data:image/gif;base64," + "AKIA" + "Q" * 40 + "'>"
    player = "<div data-cnnlab-player='" + "AKIA" + "Q" * 40 + "'></div>"
    assert check_notebooks.problems(_executed(("print(1)", [_text("1\n")]),
                                              ("show()", [_html(gif)]),
                                              ("player()", [_html(player)]))) == []


@pytest.mark.parametrize("notebook, expected", [
    (_executed(("x = 1", [])), "has no outputs"),
    (_executed(("1 / 0", [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                                  evalue="division by zero")])),
     "error output ZeroDivisionError"),
    (_executed(("f()", [_text("Traceback (most recent call last):\n", "stderr")])),
     "traceback in stderr"),
    (_executed(("open(p)", [_text("reading /home/alice/course/data.npz\n")])),
     "local path '/home/alice/course/data.npz'"),
    (_executed(("p", [_html("<a href='file:///Users/bob/x.png'>x</a>")])), "local path"),
    (_executed(("p", [_text("C:\\Users\\carol\\Desktop\n")])), "local path"),
    (_executed(("key", [_text('{"username": "u", "key": "0123456789abcdef0123456789abcdef"}')])),
     "looks like a secret"),
    (_executed(('token = "ghp_' + "a" * 36 + '"', [_text("ok\n")])), "source looks like a secret"),
    (_executed(("print(1)", [_text("1\n")]), widgets={"state": {}}), "saved widget state"),
    (_executed(("w", [nbformat.v4.new_output("display_data", data={
        "text/plain": "VBox(children=(IntSlider(value=3),))",
        project.WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": "m"}})])),
     "widget without a still picture"),
    (_executed(("# NBVAL_IGNORE_OUTPUT: training\nfit()", [_text("0.88\n")])),
     "use the cell tag 'nbval-ignore-output'"),
])
def test_problems_are_found(notebook, expected):
    assert any(expected in problem for problem in check_notebooks.problems(notebook))


def test_execution_counts_must_run_in_order():
    notebook = _executed(("a = 1", [_text("1\n")]), ("b = 2", []), ("c = 3", []))
    notebook.cells[1].execution_count = 5
    assert check_notebooks.problems(notebook, "n.ipynb") == [
        "n.ipynb: cell 2: execution count 5, expected 2 (cells must run once, top to bottom)"]
    notebook.cells[1].execution_count = None
    assert "execution count None" in check_notebooks.problems(notebook)[0]


def test_kernelspec_must_be_the_pinned_kernel():
    notebook = _executed(("print(1)", [_text("1\n")]))
    notebook.metadata.kernelspec = {"name": "conda-env", "display_name": "Py", "language": "python"}
    assert "kernelspec" in check_notebooks.problems(notebook)[0]


def test_ruff_is_clean_on_code_and_notebooks():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise",
                             "cnnlab", "tests", "tools", "benchmarks", "notebooks"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


# --- No exercise answered by copying (issue 14): the answer must not be shown above ---

def _exercise_notebook(*cells):
    """from cnnlab.exercises import convolution as ex, then ``cells``; conv_parameters'
    answer is (5·5·3 + 1)·10 = 760."""
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from cnnlab.exercises import convolution as ex"), *cells])


@pytest.mark.parametrize("shown", [
    nbformat.v4.new_markdown_cell("The layer has 760 parameters."),
    nbformat.v4.new_code_cell("print(n)", outputs=[_text("parameters: 760\n")]),
    nbformat.v4.new_code_cell("n", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "760.0"}, execution_count=1)]),
])
def test_an_answer_shown_above_its_exercise_is_found(shown):
    notebook = _exercise_notebook(shown,
                                  nbformat.v4.new_code_cell("ex.conv_parameters.check(None)"))
    assert check_notebooks.copied_answers(notebook, "n.ipynb") == [
        f"n.ipynb: cell 3: the answer of conv_parameters (760) already appears in cell 2 as "
        f"{'760.0' if 'execute_result' in str(shown) else '760'}"]


@pytest.mark.parametrize("separator", [",", " ", "\u2009"])
def test_thousands_separators_do_not_hide_an_answer(separator):
    notebook = _exercise_notebook(
        nbformat.v4.new_markdown_cell(f"The layer has 1{separator}760 weights… no: 760."),
        nbformat.v4.new_code_cell("ex.conv_parameters.check(None)"))
    assert len(check_notebooks.copied_answers(notebook)) == 1
    long = _exercise_notebook(nbformat.v4.new_markdown_cell(f"about 1{separator}760 of them"),
                              nbformat.v4.new_code_cell("ex.conv_parameters.check(None)"))
    assert check_notebooks.copied_answers(long) == []     # 1,760 is not 760


def test_answers_below_in_code_or_of_other_kinds_are_allowed():
    notebook = _exercise_notebook(
        nbformat.v4.new_code_cell("n = (5 * 5 * 3 + 1) * 10"),     # source, not output
        nbformat.v4.new_code_cell("ex.conv_parameters.check(None)\nex.flipped_kernel.check(None)"),
        nbformat.v4.new_markdown_cell("Solution: 760."))            # after the exercise
    assert check_notebooks.copied_answers(notebook) == []


def test_a_copyable_answer_fails_the_notebook_check():
    notebook = _executed(("from cnnlab.exercises import convolution as ex", []),
                         ("print((5 * 5 * 3 + 1) * 10)", [_text("760\n")]),
                         ("ex.conv_parameters.check(None)", [_text("✎\n")]))
    assert check_notebooks.problems(notebook, "n.ipynb") == [
        "n.ipynb: cell 3: the answer of conv_parameters (760) already appears in cell 2 as 760"]


def test_an_html_entity_is_not_a_number():
    """&#760; is the character ˘ to a reader, not the answer 760 (conv_parameters)."""
    notebook = _exercise_notebook(
        nbformat.v4.new_code_cell("still", outputs=[_html("<p>a breve: &#760;</p>")]),
        nbformat.v4.new_code_cell("ex.conv_parameters.check(None)"))
    assert check_notebooks.copied_answers(notebook) == []
    notebook.cells[1].outputs[0].data["text/html"] = "<p>760 weights</p>"
    assert len(check_notebooks.copied_answers(notebook)) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_a_notebook_file_stays_under_2_mb(path):
    """GitHub, Colab and nbviewer open it quickly; the explorers' players must stay light."""
    assert path.stat().st_size < 2_000_000, f"{path.name}: {path.stat().st_size:,} bytes"
