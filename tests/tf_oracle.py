"""TensorFlow reference implementations the tests compare cnnlab against.

Only TensorFlow does the arithmetic here; the helpers merely translate cnnlab's argument
forms into TensorFlow's (explicit padding lists, NHWC tensors).
"""

from __future__ import annotations

import numpy as np

from cnnlab._tf import import_tensorflow

tf = import_tensorflow()


def explicit_pairs(padding):
    """cnnlab's int / (ph, pw) / ((t, b), (l, r)) padding as ((t, b), (l, r))."""
    if isinstance(padding, int):
        return ((padding, padding), (padding, padding))
    first, second = padding
    if isinstance(first, int):
        return ((first, first), (second, second))
    return (tuple(first), tuple(second))


def tf_padding(padding):
    if isinstance(padding, str):
        return padding.upper()
    (top, bottom), (left, right) = explicit_pairs(padding)
    return [[0, 0], [top, bottom], [left, right], [0, 0]]


def dilate_kernel(k4: np.ndarray, dilation) -> np.ndarray:
    """The kernel with (d - 1) zeros between taps: TensorFlow refuses stride > 1 together
    with dilation > 1, but a zero-filled kernel of the dilated span is the same operation."""
    dh, dw = dilation
    kh, kw, c, f = k4.shape
    out = np.zeros((kh + (kh - 1) * (dh - 1), kw + (kw - 1) * (dw - 1), c, f), k4.dtype)
    out[::dh, ::dw] = k4
    return out


def conv2d(x4, k4, stride, padding, dilation) -> np.ndarray:
    """tf.nn.conv2d on NHWC float32 data with Keras-HWIO kernels."""
    x4 = tf.constant(x4, tf.float32)
    if max(stride) > 1 and max(dilation) > 1:
        k4, dilation = dilate_kernel(np.asarray(k4), dilation), (1, 1)
    k4 = tf.constant(k4, tf.float32)
    return tf.nn.conv2d(x4, k4, strides=[1, *stride, 1], padding=tf_padding(padding),
                        dilations=[1, *dilation, 1]).numpy()


def pool2d(x4, size, stride, padding, mode) -> np.ndarray:
    """tf.nn.max_pool2d / avg_pool2d. Explicit padding for the average (which TF's op does
    not take) is TF's sum over the zero-padded input divided by TF's count of real cells."""
    x4 = tf.constant(x4, tf.float32)
    strides = [1, *stride, 1]
    if mode == "max":
        return tf.nn.max_pool2d(x4, size, strides, tf_padding(padding)).numpy()
    if isinstance(padding, str):
        return tf.nn.avg_pool2d(x4, size, strides, padding.upper()).numpy()
    pads = tf_padding(padding)
    window_sum = tf.nn.avg_pool2d(tf.pad(x4, pads), size, strides, "VALID")
    real_cells = tf.nn.avg_pool2d(tf.pad(tf.ones_like(x4), pads), size, strides, "VALID")
    return (window_sum / real_cells).numpy()
