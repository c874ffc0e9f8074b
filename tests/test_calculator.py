"""The output-size calculator agrees with Keras' Conv2D output shapes for every setting."""

import numpy as np
import pytest
import tf_oracle

from cnnlab.widgets import OutputSizeCalculator


@pytest.mark.parametrize("n,k,stride,padding,dilation", [
    (28, 3, 1, 0, 1), (28, 3, 2, 1, 1), (7, 3, 1, 0, 3), (10, 4, 3, "same", 1),
    (9, 2, 3, 2, 1), (12, 5, 1, "same", 2),
])
def test_calculator_matches_tensorflow(n, k, stride, padding, dilation):
    calculator = OutputSizeCalculator()
    calculator.controls["same"].value = padding == "same"
    if padding != "same":
        calculator.controls["padding"].value = padding
    for name, value in dict(n=n, k=k, stride=stride, dilation=dilation).items():
        calculator.controls[name].value = value
    pad = padding if padding == "same" else ((0, 0), (padding, padding))
    x = np.zeros((1, 1, n, 1), np.float32)
    expected = tf_oracle.conv2d(x, np.ones((1, k, 1, 1), np.float32), (1, stride), pad,
                                (1, dilation)).shape[2]
    assert calculator.result == expected
    assert f"= {expected}" in calculator.formula.value and calculator.message == ""


def test_calculator_explains_a_kernel_that_does_not_fit():
    calculator = OutputSizeCalculator(n=4, k=3)
    calculator.controls["k"].value = 7
    assert calculator.result is None
    assert "does not fit" in calculator.message and "⚠" in calculator._message.value
    assert calculator.formula.value == ""
    calculator.controls["k"].value = 3  # and keeps working
    assert calculator.result == 2 and calculator.message == ""


def test_calculator_shows_its_formula_where_widgets_cannot_run():
    calculator = OutputSizeCalculator(n=28, k=3, stride=2, padding=1)
    bundle = calculator._repr_mimebundle_()
    expected = tf_oracle.conv2d(np.zeros((1, 1, 28, 1), np.float32),
                                np.ones((1, 3, 1, 1), np.float32), (1, 2),
                                ((0, 0), (1, 1)), (1, 1)).shape[2]
    assert f"= {expected}" in bundle["text/html"]
    assert bundle["text/plain"].endswith(f"out = {expected}")
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        calculator.widget.model_id
    calculator.controls["k"].value = 11
    calculator.controls["n"].value = 5
    assert "does not fit" in calculator._repr_mimebundle_()["text/html"]
