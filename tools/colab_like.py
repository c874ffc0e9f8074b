"""Run every notebook the way Google Colab would, offline: the Colab path, proven.

1. A Colab-like Python environment: Python 3.13 (built from source by
   ``make colab-python``) with the versions Colab ships (:data:`COLAB_PACKAGES`, from
   DESIGN.md's measured facts) in a venv of its own; cnnlab is not in it.
2. A kernel that looks like Colab's: ``google.colab`` is imported at start-up (an IPython
   startup file and a stand-in ``google.colab`` package), so each notebook's environment
   cell takes its Colab branch and runs its real ``%pip install "cnnlab @ git+…"``.
3. No network: git is told (``url.<local>.insteadOf``, through ``GIT_CONFIG_GLOBAL``) to
   clone the project's GitHub URL from a local clone instead, so pip really clones, builds
   and installs cnnlab from the repository (its tracked files as they are now).
4. Every notebook executes in that kernel; the executed copies are written to ``--out``
   with a ``colab_like.json`` report: the Python and packages of the runtime, what the
   install changed (the cell must add cnnlab and nothing else), where cnnlab was imported
   from, and the seconds each notebook took.

Usage: .venv/bin/python tools/colab_like.py [--python PYTHON] [--out DIR] [notebooks…]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import project
from execute_notebooks import KERNEL_ENVIRONMENT
from project import ROOT, repository_url

PYTHON_VERSION = "3.13.5"
# Where tools/build_colab_python.sh installs it (a shell script: it names the folder itself).
DEFAULT_PYTHON = project.CACHE / f"python-{PYTHON_VERSION}" / "bin" / "python3.13"
VENV = project.CACHE / f"colab-venv-{PYTHON_VERSION}"

#: What Google Colab's runtime ships (DESIGN.md, measured 2026-08), as pip requirements.
COLAB_PACKAGES = (
    "tensorflow-cpu==2.20.0",   # Colab has the GPU build of the same version
    "keras==3.13.2",
    "numpy==2.1.3",
    "matplotlib==3.10.9",
    "pillow==11.3.0",
    "scikit-image==0.25.2",
    "ipython==7.34.0",
    "ipywidgets==7.7.1",
    "ipykernel==6.17.1",
)
#: Not Colab's: what executes the notebooks here (in Colab, its own frontend does).
EXECUTOR_PACKAGES = ("nbclient==0.11.0", "nbformat==5.10.4")

# Runs inside the Colab-like venv: execute notebooks with its own kernel, report.
_RUNNER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    out, paths = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    seconds = {}
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                                allow_errors=True, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds[path.name] = round(time.perf_counter() - start, 1)
        nbformat.write(notebook, out / path.name)
        print(f"{path.name}: {seconds[path.name]} s", flush=True)
    (out / "seconds.json").write_text(json.dumps(seconds))
""")

_STARTUP = "import google.colab  # what a Colab kernel has imported before any cell runs\n"


def ensure_venv(python: Path) -> Path:
    """The Colab-like venv (created once, reused); returns its python."""
    venv_python = VENV / "bin" / "python"
    stamp = VENV / "colab-packages.txt"
    wanted = "\n".join(COLAB_PACKAGES + EXECUTOR_PACKAGES)
    if not (venv_python.exists() and stamp.exists() and stamp.read_text() == wanted):
        if not python.exists():
            raise FileNotFoundError(
                f"no Python {PYTHON_VERSION} at {python}: run `make colab-python` first")
        subprocess.run([str(python), "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run([str(venv_python), "-m", "pip", "install", "--quiet",
                        *COLAB_PACKAGES, *EXECUTOR_PACKAGES], check=True)
        stamp.write_text(wanted)
    return venv_python


def installed(venv_python: Path) -> dict[str, str]:
    """Name → version of every package in the venv, names normalised as PyPI does
    (pip lists some as their wheels spell them, e.g. ``tensorflow_cpu``)."""
    listing = subprocess.run([str(venv_python), "-m", "pip", "list", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
    return {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"]
            for p in json.loads(listing)}


def working_tree_repository(scratch: Path) -> Path:
    """A clone of this repository whose HEAD is the working tree's tracked files as they
    are now (committed or not), so a maintainer's uncommitted change is what gets installed.
    """
    def git(*args, cwd=ROOT) -> str:
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                              text=True).stdout.strip()

    # `git stash create` commits the working tree without touching it ("" when clean).
    snapshot = git("stash", "create") or git("rev-parse", "HEAD")
    clone = scratch / "repository"
    git("clone", "--quiet", "--no-checkout", str(ROOT), str(clone))
    git("checkout", "--quiet", "-B", "colab", snapshot, cwd=clone)
    return clone


def colab_kernel_environment(scratch: Path) -> dict[str, str]:
    """Environment for the kernel: google.colab importable and imported, GitHub → here."""
    colab = scratch / "fake_colab" / "google" / "colab"
    colab.mkdir(parents=True)
    # `google` stays a namespace package (no __init__.py), as in Colab: google.protobuf,
    # which TensorFlow needs, lives in the same namespace.
    (colab / "__init__.py").write_text('"""Stand-in for Colab\'s google.colab (tests)."""\n')
    startup = scratch / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(_STARTUP)
    gitconfig = scratch / "gitconfig"
    subprocess.run(["git", "config", "--file", str(gitconfig),
                    f"url.{working_tree_repository(scratch).as_uri()}.insteadOf",
                    repository_url()], check=True)
    return {**os.environ,
            "PYTHONPATH": str(scratch / "fake_colab"),
            "IPYTHONDIR": str(scratch / "ipython"),
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_TERMINAL_PROMPT": "0",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            **KERNEL_ENVIRONMENT}   # the same settings as the stored outputs were made with


def run(paths: list[Path], out: Path, python: Path = DEFAULT_PYTHON) -> dict:
    """Execute ``paths`` Colab-style into ``out``; return (and write) the report."""
    out.mkdir(parents=True, exist_ok=True)
    venv_python = ensure_venv(python)
    subprocess.run([str(venv_python), "-m", "pip", "uninstall", "--quiet", "--yes", "cnnlab"],
                   check=True, capture_output=True)
    before = installed(venv_python)
    with tempfile.TemporaryDirectory() as scratch:
        environment = colab_kernel_environment(Path(scratch))
        subprocess.run([str(venv_python), "-c", _RUNNER, str(out), *map(str, paths)],
                       check=True, env=environment)
        where = subprocess.run(
            [str(venv_python), "-c", "import cnnlab; print(cnnlab.__file__)"],
            check=True, capture_output=True, text=True, cwd=scratch,
            env={**os.environ, "PYTHONPATH": ""}).stdout.strip()
    after = installed(venv_python)
    report = {
        "python": subprocess.run([str(venv_python), "-c", "import sys; print(sys.version)"],
                                 check=True, capture_output=True, text=True).stdout.strip(),
        "installed": before,
        "added": {name: version for name, version in after.items() if name not in before},
        "changed": {name: [before[name], after[name]] for name in before
                    if name in after and after[name] != before[name]},
        "removed": sorted(set(before) - set(after)),
        "cnnlab_imported_from": where,
        "seconds": json.loads((out / "seconds.json").read_text()),
    }
    (out / "colab_like.json").write_text(json.dumps(report, indent=1))
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", type=Path, default=DEFAULT_PYTHON)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "colab_like")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or project.notebooks()
    report = run(paths, args.out, args.python)
    print(json.dumps({k: report[k] for k in ("python", "added", "changed", "removed")},
                     indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
