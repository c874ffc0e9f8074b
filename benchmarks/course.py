"""The whole course: time, peak memory and CPU time of every notebook, and of the full set.

Each notebook runs once, top to bottom, in a fresh kernel of the pinned environment, exactly
as ``make notebooks`` runs it (the stored notebooks are not modified). Peak memory is the
kernel's resident high-water mark (VmHWM); CPU is the kernel's user + system time, all its
threads, so it can exceed the wall time. Both size a JupyterHub (docs/deploying.md).
Budgets (issue 7, on a 2-core CPU): notebooks 01–05 30 s each, 06 2 min, 07 3 min; at most
1 GiB per notebook's kernel (issue 17: the usual per-student guarantee on a hub).

``--cells`` also prints, for every code cell, its time, the kernel's resident memory after
it (VmRSS) and the peak so far (VmHWM): where a notebook's memory goes. TensorFlow's own
allocations are invisible to Python's tracemalloc; these figures count them.

Run: .venv/bin/python benchmarks/course.py [--cells] [notebooks/0*.ipynb]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from execute_notebooks import KERNEL_ENVIRONMENT, run  # noqa: E402

SECONDS_BUDGET = {"06": 120.0, "07": 180.0}  # the others: 30 s
DEFAULT_SECONDS_BUDGET = 30.0
MEMORY_BUDGET_BYTES = 1024**3


def verdict(value, budget) -> str:
    if value is None:
        return "n/a"
    return "ok" if value <= budget else "OVER"


def cpu_text(seconds) -> str:
    return "n/a" if seconds is None else f"{seconds:.1f}s"


def _resident_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    kib = {line.split(":")[0]: int(line.split()[1]) for line in status
           if line.startswith(("VmRSS:", "VmHWM:"))}
    return kib["VmRSS"] / 1024, kib["VmHWM"] / 1024


def cell_profile(path: Path) -> None:
    """Run ``path`` once and print time and memory after each code cell."""
    import time

    from nbclient import NotebookClient

    os.environ.update(KERNEL_ENVIRONMENT)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    print(f"{path.name}: cell, seconds, resident MB after it, peak MB so far, first line")
    with client.setup_kernel():
        pid = client.km.provisioner.pid
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            start = time.perf_counter()
            client.execute_cell(cell, index, store_history=True)
            rss, hwm = _resident_mb(pid)
            first = (cell.source.splitlines() or [""])[0][:60]
            print(f"  [{index:>2}] {time.perf_counter() - start:6.1f}s {rss:7,.0f} {hwm:7,.0f}"
                  f"  {first}", flush=True)


def main(paths) -> int:
    if "--cells" in paths:
        for path in [Path(p) for p in paths if p != "--cells"]:
            cell_profile(path)
        return 0
    paths = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"CPU cores visible: {os.cpu_count()}")
    print(f"{'notebook':<32} {'time':>8} {'budget':>7} {'':>4}  {'peak memory':>11} {'':>4}  "
          f"{'CPU':>7}")
    total, peaks, cpus = 0.0, [], []
    for path in paths:
        result = run(nbformat.read(path, as_version=4), path.parent)
        budget = SECONDS_BUDGET.get(path.name[:2], DEFAULT_SECONDS_BUDGET)
        peak = result.peak_memory_bytes
        peak_text = "n/a" if peak is None else f"{peak / 1024**2:,.0f} MB"
        print(f"{path.name:<32} {result.seconds:7.1f}s {budget:6.0f}s "
              f"{verdict(result.seconds, budget):>4}  {peak_text:>11} "
              f"{verdict(peak, MEMORY_BUDGET_BYTES):>4}  {cpu_text(result.cpu_seconds):>7}",
              flush=True)
        total += result.seconds
        peaks.append(peak)
        cpus.append(result.cpu_seconds)
    known = [p for p in peaks if p is not None]
    largest = f"{max(known) / 1024**2:,.0f} MB" if known else "n/a"
    cpu_total = None if None in cpus else sum(cpus)
    print(f"{'all ' + str(len(paths)) + ' notebooks, one after another':<32} {total:7.1f}s "
          f"{'':>12}  {largest:>11} {'':>4}  {cpu_text(cpu_total):>7}  (memory: largest)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
