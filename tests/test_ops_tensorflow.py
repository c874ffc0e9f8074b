"""Property tests: cnnlab.ops against TensorFlow over random shapes and arguments."""

import numpy as np
import pytest
import tf_oracle
from hypothesis import assume, given
from hypothesis import strategies as st

from cnnlab import ops

pair = st.tuples(st.integers(1, 3), st.integers(1, 3))
side_pads = st.tuples(st.integers(0, 2), st.integers(0, 2))
paddings = st.one_of(
    st.sampled_from(["valid", "same"]),
    st.integers(0, 2),
    st.tuples(st.integers(0, 2), st.integers(0, 2)),
    st.tuples(side_pads, side_pads),
)


def span(k, d):
    return k + (k - 1) * (d - 1)


def fits(hw, k_hw, padding, dilation=(1, 1)):
    if padding == "same":
        return True
    pads = ((0, 0), (0, 0)) if padding == "valid" else tf_oracle.explicit_pairs(padding)
    return all(n + sum(p) >= span(k, d)
               for n, k, p, d in zip(hw, k_hw, pads, dilation, strict=True))


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 2), h=st.integers(1, 12),
       w=st.integers(1, 12), c=st.integers(1, 4), f=st.integers(1, 3),
       kh=st.integers(1, 5), kw=st.integers(1, 5), stride=pair, dilation=pair,
       padding=paddings)
def test_conv2d_equals_tf_nn_conv2d(seed, n, h, w, c, f, kh, kw, stride, dilation, padding):
    assume(fits((h, w), (kh, kw), padding, dilation))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, h, w, c)).astype(np.float32)
    k = rng.uniform(-1, 1, (kh, kw, c, f)).astype(np.float32)
    expected = tf_oracle.conv2d(x, k, stride, padding, dilation)
    actual = ops.conv2d(x, k, stride=stride, padding=padding, dilation=dilation)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, atol=1e-5, rtol=1e-5)


@given(seed=st.integers(0, 2**32 - 1), h=st.integers(1, 12), w=st.integers(1, 12),
       size=pair, stride=st.one_of(st.none(), pair), mode=st.sampled_from(["max", "avg"]),
       padding=st.one_of(st.sampled_from(["valid", "same"]), st.tuples(side_pads, side_pads)))
def test_pool2d_equals_tf_nn_pooling(seed, h, w, size, stride, mode, padding):
    if not isinstance(padding, str):
        # pooling padding must be smaller than the window (tested separately as an error)
        assume(all(max(p) < k for p, k in zip(padding, size, strict=False)))
    assume(fits((h, w), size, padding))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (2, h, w, 3)).astype(np.float32)
    expected = tf_oracle.pool2d(x, size, stride or size, padding, mode)
    actual = ops.pool2d(x, size, stride=stride, padding=padding, mode=mode)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, atol=1e-5, rtol=1e-5)


@given(n=st.integers(1, 40), k=st.integers(1, 5), stride=st.integers(1, 4),
       dilation=st.integers(1, 3),
       padding=st.one_of(st.sampled_from(["valid", "same"]), st.integers(0, 3), side_pads))
def test_output_size_equals_tf_output_shape(n, k, stride, dilation, padding):
    pad2d = padding if isinstance(padding, (str, int)) else (padding, (0, 0))
    assume(fits((n, 1), (k, 1), pad2d, (dilation, 1)))
    zeros = np.zeros((1, n, 1, 1), np.float32)
    kernel = np.ones((k, 1, 1, 1), np.float32)
    tf_rows = tf_oracle.conv2d(zeros, kernel, (stride, 1), pad2d, (dilation, 1)).shape[1]
    assert ops.output_size(n, k, stride=stride, padding=padding, dilation=dilation) == tf_rows
    # The written-out formula (with and without its symbols) ends in TensorFlow's number.
    for symbols in (True, False):
        text = ops.explain_output_size(n, k, stride=stride, padding=padding,
                                       dilation=dilation, symbols=symbols)
        assert text.endswith(f") + 1 = {tf_rows}")
        assert text.startswith("k′" if dilation > 1 else "out" if symbols else "floor")


@given(n=st.integers(1, 12), k=st.integers(2, 6), dilation=st.integers(1, 3),
       padding=st.one_of(st.just("valid"), st.integers(0, 2)))
def test_kernels_that_do_not_fit_are_refused_where_tensorflow_refuses(n, k, dilation,
                                                                      padding):
    pad2d = padding if isinstance(padding, str) else ((padding, padding), (0, 0))
    zeros = np.zeros((1, n, 1, 1), np.float32)
    kernel = np.ones((k, 1, 1, 1), np.float32)
    try:
        tf_fits = tf_oracle.conv2d(zeros, kernel, (1, 1), pad2d, (dilation, 1)).shape[1] > 0
    except tf_oracle.tf.errors.InvalidArgumentError:
        tf_fits = False
    calls = [lambda: ops.output_size(n, k, padding=padding, dilation=dilation),
             lambda: ops.conv2d(zeros, kernel, padding=pad2d, dilation=(dilation, 1))]
    for call in calls:
        if tf_fits:
            call()
        else:
            with pytest.raises(ValueError, match="does not fit"):
                call()


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 16), k=st.integers(1, 5),
       stride=st.integers(1, 4), dilation=st.integers(1, 3))
def test_same_padding_reproduces_tf_same(seed, n, k, stride, dilation):
    """A convolution padded explicitly with same_padding's (before, after) equals TF's
    'SAME' result — random data makes any misplaced row of padding show."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (1, n, n, 1)).astype(np.float32)
    kernel = rng.uniform(-1, 1, (k, k, 1, 1)).astype(np.float32)
    pads = ops.same_padding(n, k, stride=stride, dilation=dilation)
    expected = tf_oracle.conv2d(x, kernel, (stride, stride), "same", (dilation, dilation))
    explicit = tf_oracle.conv2d(x, kernel, (stride, stride), (pads, pads),
                                (dilation, dilation))
    np.testing.assert_allclose(explicit, expected, atol=1e-5)
    same_size = ops.output_size(n, k, stride=stride, padding="same", dilation=dilation)
    assert same_size == -(-n // stride)


layer_specs = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3)),
                       min_size=1, max_size=4)


@given(layers=layer_specs)
def test_receptive_field_equals_tf_gradient_footprint(layers):
    """Oracle: the input pixels on which one output cell's TF gradient is non-zero."""
    tf = tf_oracle.tf
    size = 1
    for k, s, d in reversed(layers):  # input large enough for a one-cell output
        size = (size - 1) * s + span(k, d)
    x = tf.Variable(tf.zeros((1, size, 1, 1)))
    with tf.GradientTape() as tape:
        y = x
        for k, s, d in layers:
            # TF's CPU gradient has no dilation: the zero-filled kernel is the same layer
            kernel = tf_oracle.dilate_kernel(np.ones((k, 1, 1, 1), np.float32), (d, 1))
            y = tf.nn.conv2d(y, kernel, [1, s, 1, 1], "VALID")
        output = y[0, 0, 0, 0] + tf.reduce_sum(x) * 0.0
    rows = np.flatnonzero(tape.gradient(output, x).numpy()[0, :, 0, 0])
    assert ops.receptive_field(layers) == rows.max() - rows.min() + 1


@pytest.mark.parametrize("padding", ["valid", "same"])
@given(seed=st.integers(0, 2**32 - 1), h=st.integers(3, 10), w=st.integers(3, 10),
       k=st.integers(1, 3), stride=st.integers(1, 2), dilation=st.integers(1, 2))
def test_conv2d_equals_keras_conv2d_layer(padding, seed, h, w, k, stride, dilation):
    assume(stride == 1 or dilation == 1)  # Keras refuses both > 1
    assume(padding == "same" or min(h, w) >= span(k, dilation))
    keras = tf_oracle.tf.keras
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 255, (1, h, w, 3)).round().astype(np.float32)
    layer = keras.layers.Conv2D(4, k, strides=stride, padding=padding, dilation_rate=dilation)
    layer.build(x.shape)
    kernel = rng.uniform(-1, 1, (k, k, 3, 4)).astype(np.float32)
    bias = rng.uniform(-1, 1, 4).astype(np.float32)
    layer.set_weights([kernel, bias])
    expected = layer(x).numpy()
    actual = ops.conv2d(x.astype(np.uint8), kernel, stride=stride, padding=padding,
                        dilation=dilation, bias=bias)
    np.testing.assert_allclose(actual, expected, atol=1e-3, rtol=1e-5)  # values up to ~10^3


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pool2d_equals_keras_pooling_layers(mode, padding):
    keras = tf_oracle.tf.keras
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (2, 7, 9, 3)).astype(np.float32)
    layer_class = keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
    expected = layer_class(pool_size=(3, 2), strides=2, padding=padding)(x).numpy()
    actual = ops.pool2d(x, (3, 2), stride=2, padding=padding, mode=mode)
    np.testing.assert_allclose(actual, expected, atol=1e-6)
