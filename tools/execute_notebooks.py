"""Re-execute notebooks in place, deterministically, with the pinned kernel (`make notebooks`).

Stored outputs are what nbval checks in CI, so they must come from the same environment
(.venv) and settle to the same text on every run: hash seed fixed, TensorFlow quiet, no
timing metadata, kernelspec metadata normalised. The Colab badge and environment cell are
re-synced first.

Usage: .venv/bin/python tools/execute_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import copy
import dataclasses
import os
import sys
import time
from pathlib import Path

import nbformat
import project
import sync_notebooks
from nbclient import NotebookClient

from cnnlab._tf import TF_ENVIRONMENT

TIMEOUT_S = 600

# The kernel inherits these: fixed hashing, quiet and reproducible TensorFlow (the
# inline backend of ipykernel draws matplotlib offscreen anyway).
KERNEL_ENVIRONMENT = {"PYTHONHASHSEED": "0", **TF_ENVIRONMENT}


@dataclasses.dataclass(frozen=True)
class Run:
    """How one execution went: wall time, the kernel's peak resident memory and CPU time."""

    seconds: float
    peak_memory_bytes: int | None  # None where /proc is missing (not Linux)
    cpu_seconds: float | None = None  # the kernel's user + system time; None without /proc


def run(notebook: nbformat.NotebookNode, folder: Path) -> Run:
    """Execute ``notebook`` (modified in place) with the pinned kernel, working in ``folder``."""
    os.environ.update(KERNEL_ENVIRONMENT)
    client = NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}},
                            record_timing=False, store_widget_state=False)
    start = time.perf_counter()
    with client.setup_kernel():
        kernel_pid = client.km.provisioner.pid
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index, store_history=True)
        peak = _peak_resident_bytes(kernel_pid)  # read before the kernel exits
        cpu = _cpu_seconds(kernel_pid)
    return Run(time.perf_counter() - start, peak, cpu)


def _peak_resident_bytes(pid: int) -> int | None:
    """The high-water mark of a process's resident memory (VmHWM in /proc/PID/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) * 1024


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads (/proc/PID/stat fields 14, 15)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name, which is in parentheses and may contain spaces.
    fields = stat.rsplit(")", 1)[1].split()
    user_ticks, system_ticks = int(fields[11]), int(fields[12])
    return (user_ticks + system_ticks) / os.sysconf("SC_CLK_TCK")


def execute(path: Path) -> Run:
    """Execute one notebook in place in its own folder, with normalised metadata."""
    notebook = nbformat.read(path, as_version=4)
    sync_notebooks.sync(notebook, path)
    notebook.metadata["kernelspec"] = project.KERNELSPEC
    notebook.metadata.pop("widgets", None)
    result = run(notebook, path.parent)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = joined_streams(cell.outputs)
    nbformat.write(notebook, path)
    return result


def joined_streams(outputs: list) -> list:
    """Consecutive writes to one stream joined into one output, as Jupyter shows them.

    A busy machine flushes a loop of prints in two messages or in one; stored outputs
    must not depend on that. Works on nbformat nodes and on plain JSON dicts (whose text
    may be a list of lines); the outputs given are not modified.

    >>> out = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in ("a\\n", "b\\n")]
    >>> [o.text for o in joined_streams(out)]
    ['a\\nb\\n']
    >>> err = nbformat.v4.new_output("stream", name="stderr", text="!\\n")
    >>> [o.name for o in joined_streams([out[0], err, out[1]])]
    ['stdout', 'stderr', 'stdout']
    >>> joined_streams([{"output_type": "stream", "name": "stdout", "text": ["a\\n", "b"]}] * 2)
    [{'output_type': 'stream', 'name': 'stdout', 'text': 'a\\nba\\nb'}]
    """
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if output["output_type"] == "stream":
            text = "".join(output["text"])
            if (previous is not None and previous["output_type"] == "stream"
                    and previous["name"] == output["name"]):
                previous["text"] += text
                continue
            output = copy.copy(output)
            output["text"] = text
        joined.append(output)
    return joined


def main(paths) -> int:
    for name in paths:
        print(f"{name}: {execute(Path(name)).seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or project.notebooks()))
