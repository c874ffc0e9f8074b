"""tools/execute_notebooks.py: runs a notebook in a fresh kernel, times it, measures memory."""

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
