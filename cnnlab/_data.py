"""Where the files shipped in ``data/`` live: inside the installed wheel
(``cnnlab/data``) or, in a source checkout, at the repository's top level."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder that holds the shipped data files.

    >>> (data_dir() / "README.md").is_file()
    True
    """
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent / "data"


def data_path(name: str) -> Path:
    """Path of one shipped file; a clear error if it is missing from this installation."""
    path = data_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"cnnlab's data file {name!r} is missing from {data_dir()}; reinstall cnnlab "
            "or, in a source checkout, run the tool in tools/ that builds it"
        )
    return path
