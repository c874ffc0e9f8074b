"""Write environment.yml (conda / Binder) from requirements/lock.txt: the same pins.

Usage: python tools/write_environment_yml.py [--check]
"""

from __future__ import annotations

import sys

from project import ROOT

HEADER = """\
# conda / Binder environment: the same pins as requirements/lock.txt (via pip).
# Regenerate with `make lock`, which rewrites both files.
name: cnnlab
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def render() -> str:
    lock = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    pins = [line for line in lock if line and not line.startswith("#")]
    return HEADER + "".join(f"      - {pin}\n" for pin in pins) + "      - -e .\n"


if __name__ == "__main__":
    target = ROOT / "environment.yml"
    if "--check" in sys.argv:
        sys.exit(0 if target.read_text() == render() else "environment.yml differs from lock.txt")
    target.write_text(render())
