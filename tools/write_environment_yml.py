"""Write environment.yml (conda / Binder) from requirements/lock.txt: the same pins.

The lock's environment markers are kept: conda hands the ``pip:`` list to pip as a
requirements file, so each system gets its own pins there too, exactly as from lock.txt.

Usage: python tools/write_environment_yml.py [--check]
"""

from __future__ import annotations

import sys

from project import ROOT

HEADER = """\
# conda / Binder environment: the same pins as requirements/lock.txt (via pip, markers and all).
# Regenerate with `make lock`, which rewrites both files.
name: cnnlab
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def lock_requirements() -> list[str]:
    """The requirement lines of requirements/lock.txt, without uv's comments.

    uv writes one requirement per line, starting in the first column; its ``# via``
    annotations are indented comment lines.
    """
    lock = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    return [line for line in lock if line[:1] not in ("", "#", " ")]


def render() -> str:
    return HEADER + "".join(f"      - {pin}\n" for pin in lock_requirements()) + "      - -e .\n"


if __name__ == "__main__":
    target = ROOT / "environment.yml"
    if "--check" in sys.argv:
        sys.exit(0 if target.read_text() == render() else "environment.yml differs from lock.txt")
    target.write_text(render())
