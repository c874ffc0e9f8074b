"""The project's facts, stated once for every tool and test: where things are, which
notebooks and which kernel, how the course marks its Colab cell and its widgets.

Standard library only: slide export (``jupyter nbconvert --to slides`` in the course
environment, through tools/course_slides.py) imports this module, and it must stay light.

>>> [path.name[:2] for path in notebooks()]
['01', '02', '03', '04', '05', '06', '07']
>>> repository_url().startswith("https://github.com/")
True
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools"
#: What the tools fetch or build once and keep: reveal.js, the Colab-like Python.
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cnnlab"

#: The pinned kernel: every stored notebook carries this kernelspec.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: The MIME type of a live widget view in a notebook output.
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: The tag of each notebook's environment cell (the Colab install line).
ENVIRONMENT_TAG = "environment"


def notebooks() -> list[Path]:
    """The course's notebooks, in order."""
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def repository_url() -> str:
    """The project's repository URL, ``[project.urls] Repository`` in pyproject.toml."""
    import tomllib  # here, not above: slide export never needs it

    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["urls"]["Repository"].rstrip("/")


def is_environment_cell(cell: dict) -> bool:
    """Whether ``cell`` is a notebook's environment cell (Colab's install line).

    >>> is_environment_cell({"cell_type": "code", "metadata": {"tags": ["environment"]}})
    True
    >>> is_environment_cell({"cell_type": "code", "metadata": {}})
    False
    """
    return ENVIRONMENT_TAG in cell.get("metadata", {}).get("tags", [])


def widget_without_still(data: dict) -> bool:
    """Whether an output's MIME bundle is a widget with nothing static to show in its place
    (no ``text/html``, no image): a page without a kernel could only print its text repr.

    >>> widget_without_still({WIDGET_MIME: {}, "text/plain": "VBox(...)"})
    True
    >>> widget_without_still({WIDGET_MIME: {}, "text/html": "<img src='data:...'>"})
    False
    """
    return WIDGET_MIME in data and not any(mime == "text/html" or mime.startswith("image/")
                                           for mime in data)
