"""Re-execute notebooks in place, deterministically, with the pinned kernel (`make notebooks`).

Stored outputs are what nbval checks in CI, so they must come from the same environment
(.venv) and settle to the same text on every run: hash seed fixed, TensorFlow quiet, no
timing metadata, kernelspec metadata normalised. The Colab badge and environment cell are
re-synced first.

Usage: .venv/bin/python tools/execute_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sync_notebooks  # noqa: E402

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TIMEOUT_S = 600

# The kernel inherits these: fixed hashing, quiet and reproducible TensorFlow (the
# inline backend of ipykernel draws matplotlib offscreen anyway).
KERNEL_ENVIRONMENT = {"PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "2",
                      "TF_ENABLE_ONEDNN_OPTS": "0"}


def execute(path: Path) -> float:
    """Execute one notebook in place in its own folder; return the seconds it took."""
    os.environ.update(KERNEL_ENVIRONMENT)
    notebook = nbformat.read(path, as_version=4)
    sync_notebooks.sync(notebook, path)
    notebook.metadata["kernelspec"] = KERNELSPEC
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=False)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return elapsed


def main(paths) -> int:
    for name in paths:
        print(f"{name}: {execute(Path(name)):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sorted(str(p) for p in
                                         (sync_notebooks.ROOT / "notebooks").glob("*.ipynb"))))
