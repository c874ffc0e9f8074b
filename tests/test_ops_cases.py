"""The cases textbooks get wrong, each checked against TensorFlow."""

import numpy as np
import pytest
import tf_oracle

from cnnlab import ops

RNG = np.random.default_rng(0)


def batch(h, w, c=1):
    return RNG.uniform(-1, 1, (1, h, w, c)).astype(np.float32)


def kernel(kh, kw, c=1, f=1):
    return RNG.uniform(-1, 1, (kh, kw, c, f)).astype(np.float32)


def check_conv(x, k, stride=1, padding="valid", dilation=1):
    s = stride if isinstance(stride, tuple) else (stride, stride)
    d = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    expected = tf_oracle.conv2d(x, k, s, padding, d)
    actual = ops.conv2d(x, k, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(actual, expected, atol=1e-5)
    return actual


def test_same_padding_puts_the_odd_extra_row_at_the_bottom_right():
    assert ops.same_padding(4, 2) == (0, 1)
    assert ops.same_padding(7, 4) == (1, 2)
    # an impulse in the top-left corner: with the extra row at the bottom, a 2x2 kernel's
    # top-left tap meets it in output cell (0, 0)
    x = np.zeros((1, 4, 4, 1), np.float32)
    x[0, 0, 0, 0] = 1
    k = np.zeros((2, 2, 1, 1), np.float32)
    k[0, 0] = 1
    out = check_conv(x, k, padding="same")
    assert out[0, 0, 0, 0] == 1


@pytest.mark.parametrize("n,stride", [(5, 2), (6, 2), (7, 3), (1, 4), (10, 4)])
def test_same_output_is_ceil_of_input_over_stride(n, stride):
    out = check_conv(batch(n, n), kernel(3, 3), stride=stride, padding="same")
    assert out.shape[1] == -(-n // stride)


def test_average_pooling_ignores_padded_cells():
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    expected = tf_oracle.pool2d(x, (2, 2), (2, 2), "same", "avg")
    actual = ops.pool2d(x, 2, padding="same", mode="avg")
    np.testing.assert_allclose(actual, expected)
    assert actual[0, 1, 1, 0] == 9  # window holds one real cell (9) and three padding cells


def test_max_pooling_never_picks_padding_for_negative_values():
    x = -np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    np.testing.assert_allclose(ops.pool2d(x, 2, padding="same"),
                               tf_oracle.pool2d(x, (2, 2), (2, 2), "same", "max"))


@pytest.mark.parametrize("k", [2, 4])
def test_even_kernels(k):
    check_conv(batch(7, 8, 2), kernel(k, k, 2, 3), padding="same")
    check_conv(batch(7, 8, 2), kernel(k, k, 2, 3), padding="valid")


def test_stride_larger_than_kernel():
    out = check_conv(batch(9, 9), kernel(2, 2), stride=3)
    assert out.shape[1:3] == (3, 3)
    check_conv(batch(9, 9), kernel(2, 2), stride=3, padding="same")


def test_dilation_with_explicit_padding():
    check_conv(batch(6, 7, 2), kernel(3, 3, 2, 2), padding=((2, 1), (0, 3)), dilation=2)
    check_conv(batch(6, 7, 2), kernel(3, 2, 2, 2), padding=(1, 2), dilation=(2, 3))


def test_kernel_equal_to_input_gives_one_cell():
    x, k = batch(5, 4, 3), kernel(5, 4, 3, 2)
    out = check_conv(x, k)
    assert out.shape == (1, 1, 1, 2)


def test_stride_and_dilation_together_follow_the_formula():
    out = check_conv(batch(11, 11), kernel(3, 3), stride=2, dilation=2)
    # k' = 3 + 2·1 = 5; out = floor((11 − 5) / 2) + 1 = 4
    assert out.shape[1] == 4 == ops.output_size(11, 3, stride=2, dilation=2)


def test_shapes_of_each_input_form():
    gray, rgb = RNG.uniform(0, 255, (6, 5)), RNG.uniform(0, 255, (6, 5, 3))
    assert ops.conv2d(gray, np.ones((3, 3))).shape == (4, 3)
    assert ops.conv2d(rgb, np.ones((3, 3, 3))).shape == (4, 3)
    assert ops.conv2d(rgb, np.ones((3, 3, 3, 2))).shape == (4, 3, 2)
    assert ops.conv2d(rgb[None], np.ones((3, 3, 3))).shape == (1, 4, 3)
    assert ops.pool2d(gray, 2).shape == (3, 2)
    assert ops.pool2d(rgb, 2).shape == (3, 2, 3)


def test_uint8_image_with_rgb_kernel_and_bias_equals_tf():
    image = RNG.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    k = RNG.uniform(-1, 1, (3, 3, 3)).astype(np.float32)
    expected = tf_oracle.conv2d(image[None].astype(np.float32), k[..., None], (1, 1),
                                "valid", (1, 1))[0, ..., 0] + 0.5
    actual = ops.conv2d(image, k, bias=0.5)
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-3)


def test_max_pooling_keeps_uint8():
    image = RNG.integers(0, 256, (6, 6, 3), dtype=np.uint8)
    pooled = ops.pool2d(image, 2)
    assert pooled.dtype == np.uint8
    np.testing.assert_array_equal(
        pooled, tf_oracle.pool2d(image[None].astype(np.float32), (2, 2), (2, 2), "valid",
                                 "max")[0])


def test_explain_output_size_shows_the_numbers():
    text = ops.explain_output_size(28, 5, stride=2, padding="same")
    assert "floor((28 + 1 + 2 − 5) / 2) + 1 = 14" in text
    assert ops.output_size(28, 5, stride=2, padding="same") == 14
