"""Every user mistake gets a ValueError/TypeError naming the argument and what is allowed."""

import re

import numpy as np
import pytest

from cnnlab import ops

IMAGE = np.zeros((6, 6))
RGB = np.zeros((6, 6, 3))
K3 = np.ones((3, 3))

CASES = [
    # (call, exception, words the message must contain)
    (lambda: ops.conv2d(IMAGE, K3, stride=0), ValueError, ["stride", ">= 1", "0"]),
    (lambda: ops.conv2d(IMAGE, K3, stride=-1), ValueError, ["stride", "-1"]),
    (lambda: ops.conv2d(IMAGE, K3, stride=1.5), TypeError, ["stride", "1.5", "integer"]),
    (lambda: ops.conv2d(IMAGE, K3, stride="2"), TypeError, ["stride", "'2'", "integer"]),
    (lambda: ops.conv2d(IMAGE, K3, stride=(1, 2, 3)), ValueError, ["stride", "pair"]),
    (lambda: ops.conv2d(IMAGE, K3, stride=True), TypeError, ["stride", "True"]),
    (lambda: ops.conv2d(IMAGE, K3, padding="full"), ValueError,
     ["padding", "'valid'", "'same'", "'full'"]),
    (lambda: ops.conv2d(IMAGE, K3, padding=-1), ValueError, ["padding", "-1", ">= 0"]),
    (lambda: ops.conv2d(IMAGE, K3, padding=1.0), TypeError, ["padding", "1.0"]),
    (lambda: ops.conv2d(IMAGE, K3, dilation=0), ValueError, ["dilation", ">= 1", "0"]),
    (lambda: ops.conv2d(RGB, np.ones((3, 3, 2))), ValueError,
     ["kernel", "2 input channel", "3 channel"]),
    (lambda: ops.conv2d(RGB, K3), ValueError, ["kernel", "(kh, kw, 3)", "np.stack"]),
    (lambda: ops.conv2d(IMAGE, np.ones((0, 3))), ValueError, ["kernel", "empty", "(0, 3)"]),
    (lambda: ops.conv2d(np.zeros((1, 2, 6, 6, 1)), K3), ValueError,
     ["x", "5 dimensions", "(N, H, W, C)"]),
    (lambda: ops.conv2d(np.array([["a", "b"], ["c", "d"]]), K3), TypeError,
     ["x", "numbers", "<U1"]),
    (lambda: ops.conv2d("image.png", K3), TypeError, ["x", "str"]),
    (lambda: ops.conv2d(np.zeros((4, 4)), np.ones((5, 5))), ValueError,
     ["does not fit", "floor((4 + 0 + 0 − 5) / 1) + 1 = 0"]),
    (lambda: ops.conv2d(np.zeros((5, 5)), K3, dilation=3), ValueError,
     ["does not fit", "k′ = k + (k − 1)(dilation − 1) = 3 + 2·2 = 7"]),
    (lambda: ops.conv2d(RGB, np.ones((3, 3, 3, 4)), bias=np.ones(3)), ValueError,
     ["bias", "(4,)", "(3,)"]),
    (lambda: ops.conv2d(RGB, np.ones((3, 3, 3)), bias="1"), TypeError, ["bias"]),
    (lambda: ops.pool2d(IMAGE, 2, mode="median"), ValueError,
     ["mode", "'max'", "'avg'", "'median'"]),
    (lambda: ops.pool2d(IMAGE, 0), ValueError, ["size", ">= 1", "0"]),
    (lambda: ops.pool2d(IMAGE, 2, stride=0), ValueError, ["stride", "0"]),
    (lambda: ops.pool2d(IMAGE, 2, padding=2), ValueError, ["padding", "smaller than the window"]),
    (lambda: ops.pool2d(IMAGE, 7), ValueError,
     ["pooling window (size=7) does not fit along the rows",
      "floor((6 + 0 + 0 − 7) / 7) + 1 = 0", "use a smaller size"]),
    (lambda: ops.pool2d(np.zeros((5, 5)), (2, 7)), ValueError,
     ["pooling window (size=7) does not fit along the columns"]),
    (lambda: ops.output_size(0, 3), ValueError, ["n (input size)", "0"]),
    (lambda: ops.output_size(5, 0), ValueError, ["kernel size", "0"]),
    (lambda: ops.output_size(5, 7), ValueError, ["does not fit", "floor((5 + 0 + 0 − 7) / 1)",
                                                 "needs at least 7 cells"]),
    (lambda: ops.output_size(5, 3, padding=(1, 2, 3)), ValueError, ["padding", "(before, after)"]),
    (lambda: ops.same_padding(5, 3, stride=0), ValueError, ["stride", "0"]),
    (lambda: ops.same_padding(5, 3, dilation="1"), TypeError, ["dilation", "'1'"]),
    (lambda: ops.receptive_field([(3, 1, 1, 1)]), ValueError, ["layers[0]", "(kernel, stride"]),
    (lambda: ops.receptive_field([(3, 0)]), ValueError, ["layers[0] stride", "0"]),
    (lambda: ops.receptive_field("3x3"), TypeError, ["layers"]),
]


@pytest.mark.parametrize("call,error,words", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_bad_input_gets_a_clear_message(call, error, words):
    with pytest.raises(error) as caught:
        call()
    message = str(caught.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    # never a bare numpy/TF error type leaking through
    assert type(caught.value) in (ValueError, TypeError)
    assert not re.search(r"operands could not be broadcast|index \d+ is out of bounds", message)
