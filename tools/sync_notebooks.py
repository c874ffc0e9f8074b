"""Write the "Open in Colab" badge and the environment cell into every notebook.

The repository URL lives in one place, ``[project.urls] Repository`` in pyproject.toml;
this tool writes it into each notebook's first markdown cell (the badge) and its first
code cell (the Colab install line). ``tests/test_notebook_hygiene.py`` checks that every
notebook agrees with it.

Usage: python tools/sync_notebooks.py [--check] [notebooks/*.ipynb]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import project
from project import repository_url

BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"


def badge(notebook_path: Path) -> str:
    """Markdown of the "Open in Colab" badge for one notebook."""
    owner_repo = repository_url().removeprefix("https://github.com/")
    relative = notebook_path.resolve().relative_to(project.ROOT).as_posix()
    target = f"https://colab.research.google.com/github/{owner_repo}/blob/main/{relative}"
    return f"[![Open In Colab]({BADGE_IMAGE})]({target})"


def binder_url() -> str:
    """mybinder.org link that builds the repository (binder/) and opens JupyterLab on notebooks/."""
    owner_repo = repository_url().removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{owner_repo}/HEAD?urlpath=lab/tree/notebooks"


def binder_badge() -> str:
    """Markdown of the "Launch Binder" badge (README.md and docs/deploying.md carry it)."""
    return f"[![Binder]({BINDER_BADGE_IMAGE})]({binder_url()})"


def environment_source() -> str:
    """Source of the environment cell: installs cnnlab in Colab, does nothing elsewhere."""
    return (
        "# Environment: in Google Colab, install the course's helper package cnnlab.\n"
        "# Elsewhere (JupyterLab with `make lab`) this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "cnnlab @ git+{repository_url()}"'
    )


def sync(notebook: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    """Badge in the first markdown cell, environment cell as the first code cell."""
    title = next((c for c in notebook.cells if c.cell_type == "markdown"), None)
    if title is None:
        raise ValueError(f"{path}: needs a first markdown cell with the notebook's title")
    lines = [line for line in title.source.splitlines() if BADGE_IMAGE not in line]
    insert_at = 1 if lines and lines[0].startswith("#") else 0
    lines[insert_at:insert_at] = ["", badge(path)] if insert_at else [badge(path), ""]
    title.source = "\n".join(lines).replace("\n\n\n", "\n\n")

    environment = next((c for c in notebook.cells if project.is_environment_cell(c)), None)
    if environment is None:
        environment = nbformat.v4.new_code_cell(metadata={"tags": [project.ENVIRONMENT_TAG]})
        notebook.cells.insert(notebook.cells.index(title) + 1, environment)
    environment.source = environment_source()
    return notebook


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks out of sync")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or project.notebooks()
    stale = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        before = nbformat.writes(notebook)
        after = nbformat.writes(sync(notebook, path))
        if before != after:
            stale.append(path)
            if not args.check:
                path.write_text(after + "\n" if not after.endswith("\n") else after)
    verb = "out of sync" if args.check else "updated"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
