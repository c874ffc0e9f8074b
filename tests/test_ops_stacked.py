"""ops.stacked_kernel: two linear convolutions are one, checked with two Keras Conv2D layers."""

import numpy as np
import pytest

from cnnlab import ops


@pytest.mark.parametrize("first_shape, second_shape", [((3, 3), (3, 3)), ((2, 3), (3, 1)),
                                                       ((1, 1), (4, 2))])
def test_stacked_kernel_equals_two_keras_layers(first_shape, second_shape):
    from cnnlab import import_keras

    keras = import_keras()
    rng = np.random.default_rng(sum(first_shape + second_shape))
    first, second = rng.normal(size=first_shape), rng.normal(size=second_shape)
    x = rng.normal(size=(1, 9, 10, 1)).astype(np.float32)
    model = keras.Sequential([keras.Input((9, 10, 1)),
                              keras.layers.Conv2D(1, first_shape, use_bias=False),
                              keras.layers.Conv2D(1, second_shape, use_bias=False)])
    for layer, kernel in zip(model.layers, (first, second), strict=True):
        layer.set_weights([kernel[..., None, None]])
    expected = model(x).numpy()[0, ..., 0]
    np.testing.assert_allclose(ops.conv2d(x[0, ..., 0], ops.stacked_kernel(first, second)),
                               expected, atol=1e-4)


def test_stacked_kernel_rejects_non_2d_kernels():
    with pytest.raises(ValueError,
                       match=r"second must be a 2-D \(kh, kw\) kernel, got shape \(3,\)"):
        ops.stacked_kernel(np.ones((3, 3)), np.ones(3))
    with pytest.raises(TypeError, match="first must be an array of numbers"):
        ops.stacked_kernel("box", np.ones((3, 3)))
