"""The sum line under an explorer frame is arithmetic a student can redo: it adds up."""

from fractions import Fraction

import numpy as np
import pytest

from cnnlab import kernels, render, trace
from cnnlab.widgets import PoolingExplorer


def _exact(text: str) -> Fraction:
    return Fraction(text) if "/" not in text else Fraction(*map(int, text.split("/")))


@pytest.mark.parametrize("kernel", [kernels.get("box_blur"), np.full((3, 3), 1 / 16),
                                    np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])])
def test_every_conv_sum_line_adds_up_to_its_printed_result(kernel):
    t = trace.conv2d(np.arange(25).reshape(5, 5), kernel, padding="same")
    renderer = render.Renderer(t)
    for step in range(t.n_steps):
        (line,) = renderer._sum_lines(step)
        terms, result = line.split(" = ")[1:]
        total = sum(_exact(a) * _exact(w.strip("()"))
                    for a, w in (term.split("·") for term in terms.split(" + ")))
        # the products are exact; the result is off by its rounding, no more
        decimals = len(result.partition(".")[2])
        assert abs(float(total) - float(result)) <= 0.5 * 10 ** -decimals + 1e-9, line
        assert abs(float(total) - t.output[np.unravel_index(step, t.out_shape)]) < 1e-9


def test_numbers_share_one_format():
    labels = [render.format_number(v) for v in (8.0, 6.9999999, 16.000001, 1.3333, 0.5)]
    assert labels == ["8", "7", "16", "1.33", "0.5"]


def test_real_cells_are_mentioned_only_where_a_window_holds_padding():
    x = np.arange(9).reshape(3, 3)
    valid = render.Renderer(trace.pool2d(x, 2, stride=1))
    assert valid._sum_lines(0) == ["output[0, 0] = max of the window = 4"]
    same = render.Renderer(trace.pool2d(x, 2, padding="same"))
    assert same._sum_lines(0) == ["output[0, 0] = max of the window = 4"]
    assert same._sum_lines(3) == ["output[1, 1] = max of the 1 real cells = 8"]
    average = render.Renderer(trace.pool2d(x, 2, padding="same", mode="avg"))
    assert average._sum_lines(1) == ["output[0, 1] = sum / real cells = 7 / 2 = 3.5"]


def test_pooling_caption_shows_the_stride_in_effect():
    assert "size 3, stride 3," in repr(PoolingExplorer(np.zeros((6, 6)), size=3))
    assert "size 2, stride 1," in repr(PoolingExplorer(np.zeros((6, 6)), size=2, stride=1))
