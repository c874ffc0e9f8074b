"""tools/execute_notebooks.py: runs a notebook in a fresh kernel, times it, measures memory."""

import os
import time
from pathlib import Path

import execute_notebooks
import nbformat
import pytest

MB = 1024**2


@pytest.mark.slow
def test_run_executes_cells_and_measures_the_kernels_peak_memory(tmp_path):
    (tmp_path / "numbers.txt").write_text("21")
    allocate = 400  # MB, touched page by page so that it is resident
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\n"
                                  f"block = np.ones({allocate} * 2**20, dtype=np.uint8)\n"
                                  "int(block.sum()) // 2**20"),
        nbformat.v4.new_code_cell("del block\nprint(2 * int(open('numbers.txt').read()))"),
    ])
    result = execute_notebooks.run(notebook, tmp_path)

    assert notebook.cells[0].outputs[0]["data"]["text/plain"] == str(allocate)
    assert notebook.cells[1].outputs[0]["text"] == "42\n"  # ran in the given folder
    assert [c.execution_count for c in notebook.cells] == [1, 2]
    assert result.seconds > 0
    # The peak is the kernel's own: the block plus an interpreter with numpy, not the parent.
    assert allocate * MB < result.peak_memory_bytes < (allocate + 300) * MB


def test_peak_of_a_missing_process_is_unknown():
    assert execute_notebooks._peak_resident_bytes(2**22 + 12345) is None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_cpu_seconds_of_a_process_agree_with_its_own_clock():
    busy_until = time.process_time() + 0.3
    while time.process_time() < busy_until:  # burn CPU so that the figure is not ~0
        pass
    before = time.process_time()
    measured = execute_notebooks._cpu_seconds(os.getpid())
    after = time.process_time()
    assert before - 0.02 <= measured <= after + 0.02  # /proc counts whole 10 ms ticks
    assert execute_notebooks._cpu_seconds(2**22 + 12345) is None
