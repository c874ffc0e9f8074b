"""trace: per-cell records agree with ops (exactly) and with TensorFlow (the oracle)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import ops, trace

settings_cases = st.fixed_dictionaries({
    "h": st.integers(3, 9), "w": st.integers(3, 9), "channels": st.sampled_from([0, 1, 3]),
    "k": st.integers(1, 3), "stride": st.integers(1, 3), "dilation": st.integers(1, 2),
    "padding": st.sampled_from(["valid", "same", 1, (0, 2)]), "seed": st.integers(0, 99),
})


def _image(case):
    """Integer-valued floats, so that every sum is exact in any order."""
    rng = np.random.default_rng(case["seed"])
    shape = (case["h"], case["w"]) + ((case["channels"],) if case["channels"] else ())
    return rng.integers(0, 256, shape).astype(np.float64)


def _check_records(t):
    """Every record's coordinates, padding flags and values describe the padded input."""
    for step in range(t.n_steps):
        record = t.record(step)
        block = t.padded[np.ix_(record.rows, record.cols)]
        np.testing.assert_array_equal(record.values, block)
        np.testing.assert_array_equal(record.is_padding[..., 0],
                                      t.padding_mask[np.ix_(record.rows, record.cols)])
        assert record.cell == divmod(step, t.out_shape[1])


@given(settings_cases)
def test_convolution_trace_output_is_ops_conv2d_and_records_are_consistent(case):
    image = _image(case)
    channels = case["channels"] or 1
    kernel = np.random.default_rng(case["seed"] + 1).integers(-3, 4, (case["k"], case["k"],
                                                                        channels))
    kwargs = dict(stride=case["stride"], padding=case["padding"], dilation=case["dilation"])
    try:
        expected = ops.conv2d(image, kernel if case["channels"] else kernel[..., 0], **kwargs)
    except ValueError:
        with pytest.raises(ValueError):
            trace.conv2d(image, kernel, **kwargs)
        return
    t = trace.conv2d(image, kernel if case["channels"] else kernel[..., 0], bias=0.5,
                          **kwargs)
    np.testing.assert_array_equal(t.output, expected + np.float32(0.5))
    np.testing.assert_array_equal(t.partial_output(t.n_steps - 1), t.output)
    # integer data: the written-out products sum exactly to each output cell
    np.testing.assert_array_equal(t.channel_sums.sum(axis=1) + 0.5, t.output.ravel())
    np.testing.assert_array_equal(t.products, t.values * t.kernel)
    _check_records(t)


@given(settings_cases, st.sampled_from(["max", "avg"]))
def test_pooling_trace_output_is_ops_pool2d(case, mode):
    image = _image(case)
    size = case["k"] + 1
    kwargs = dict(stride=case["stride"], padding=case["padding"], mode=mode)
    try:
        expected = ops.pool2d(image, size, **kwargs)
    except ValueError:
        with pytest.raises(ValueError):
            trace.pool2d(image, size, **kwargs)
        return
    t = trace.pool2d(image, size, **kwargs)
    np.testing.assert_array_equal(t.output, expected)
    _check_records(t)
    for step in range(t.n_steps):
        record = t.record(step)
        value = np.atleast_1d(record.value)
        if mode == "max":
            for c, (r, q) in enumerate(record.argmax):
                assert not record.is_padding[r, q, c], "the max never sits on padding"
                assert record.values[r, q, c] == value[c]
        else:
            np.testing.assert_allclose(record.channel_sums / record.count, value, rtol=1e-6)


def test_rgb_convolution_sums_equal_tensorflow():
    tf = pytest.importorskip("cnnlab._tf").import_tensorflow()
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (7, 6, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3)).astype(np.float32)
    t = trace.conv2d(image, kernel, stride=(2, 1), padding="same", dilation=1, bias=0.25)
    expected = tf.nn.conv2d(image[None], kernel[..., None], strides=(1, 2, 1, 1),
                            padding="SAME").numpy()[0, :, :, 0] + 0.25
    np.testing.assert_allclose(t.channel_sums.sum(axis=1) + t.bias, expected.ravel(),
                               rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(t.output, expected, rtol=1e-5, atol=1e-3)


def test_dilated_taps_are_spaced_and_match_tensorflow():
    tf = pytest.importorskip("cnnlab._tf").import_tensorflow()
    image = np.arange(49, dtype=np.float32).reshape(7, 7)
    kernel = np.arange(9, dtype=np.float32).reshape(3, 3)
    t = trace.conv2d(image, kernel, dilation=2)
    assert t.record(0).rows.tolist() == [0, 2, 4]
    expected = tf.nn.conv2d(image[None, :, :, None], kernel[:, :, None, None], strides=1,
                            padding="VALID", dilations=2).numpy()[0, :, :, 0]
    np.testing.assert_allclose(t.channel_sums[:, 0], expected.ravel(), rtol=1e-6)


def test_max_pool_with_padding_matches_tensorflow():
    tf = pytest.importorskip("cnnlab._tf").import_tensorflow()
    image = -np.arange(25, dtype=np.float32).reshape(5, 5)   # all negative: padding 0 would win
    t = trace.pool2d(image, 2, padding="same")
    expected = tf.nn.max_pool2d(image[None, :, :, None], 2, 2, "SAME").numpy()[0, :, :, 0]
    np.testing.assert_array_equal(t.output, expected)
    picked = [t.record(s).values[(*t.record(s).argmax[0], 0)] for s in range(t.n_steps)]
    np.testing.assert_array_equal(picked, expected.ravel())


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="does not fit"):
        trace.conv2d(np.zeros((3, 3)), np.ones((5, 5)))
    with pytest.raises(ValueError, match="kernel"):
        trace.conv2d(np.zeros((3, 3)), np.ones((2, 2, 3, 4)))
    with pytest.raises(ValueError, match="image"):
        trace.conv2d(np.zeros(3), np.ones((2, 2)))
    with pytest.raises(ValueError, match="mode"):
        trace.pool2d(np.zeros((4, 4)), mode="median")
    t = trace.conv2d(np.zeros((3, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="step must lie in 0–3"):
        t.record(4)
    with pytest.raises(TypeError, match="step"):
        t.record(1.5)


def test_uint8_same_max_pool_of_zeros_marks_a_real_cell():
    # issue 13: the dtype's minimum fills padding, so on a uint8 zero image padding tied
    # with the maximum and the trace marked padding cell (0, 0)
    t = trace.pool2d(np.zeros((3, 3), np.uint8), 3, stride=1, padding="same")
    assert t.record(0).argmax == ((1, 1),)


@given(st.integers(1, 7), st.integers(1, 7), st.sampled_from([0, 1, 3]), st.integers(1, 4),
       st.integers(1, 3), st.integers(1, 4), st.integers(0, 99))
def test_uint8_same_max_pool_trace_never_marks_padding(h, w, channels, size, stride, top,
                                                         seed):
    """Oracle: TensorFlow's max_pool2d value, and the first real cell (row by row) of the
    window that holds it. Few distinct values (0…top), so ties with the fill are common."""
    tf = pytest.importorskip("cnnlab._tf").import_tensorflow()
    shape = (h, w, channels) if channels else (h, w)
    image = np.random.default_rng(seed).integers(0, top, shape, endpoint=True).astype(np.uint8)
    t = trace.pool2d(image, size, stride=stride, padding="same")
    image3 = image.reshape(h, w, -1)
    expected = tf.nn.max_pool2d(image3[None], size, stride, "SAME").numpy()[0]
    (pad_top, _), (pad_left, _) = t.pads
    for step in range(t.n_steps):
        record = t.record(step)
        rows, cols = record.rows - pad_top, record.cols - pad_left
        for c, marked in enumerate(record.argmax):
            value = expected[(*record.cell, c)]
            first_real_max = next(
                (ki, kj) for ki, r in enumerate(rows) for kj, q in enumerate(cols)
                if 0 <= r < h and 0 <= q < w and image3[r, q, c] == value)
            assert marked == first_real_max
