"""Every notebook carries the Colab badge and environment cell written from pyproject."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import sync_notebooks  # noqa: E402


def test_notebooks_agree_with_the_repository_url():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"),
                             "--check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_badge_and_environment_cell(path):
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert sync_notebooks.badge(path) in "".join(cells[0]["source"])
    assert "".join(cells[1]["source"]) == sync_notebooks.environment_source()


def test_sync_writes_badge_and_environment_cell(tmp_path):
    import nbformat

    path = ROOT / "notebooks" / "99_example.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Example\n\nText."),
        nbformat.v4.new_code_cell("1 + 1"),
    ])
    synced = sync_notebooks.sync(notebook, path)
    url = sync_notebooks.repository_url()
    assert url.startswith("https://github.com/")
    assert synced.cells[0].source.splitlines()[:3] == [
        "# Example", "",
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{url[19:]}/blob/main/notebooks/99_example.ipynb)"]
    assert "google.colab" in synced.cells[1].source and url in synced.cells[1].source
    assert synced.cells[2].source == "1 + 1"
    again = sync_notebooks.sync(synced, path)  # idempotent
    assert [c.source for c in again.cells] == [c.source for c in synced.cells]
