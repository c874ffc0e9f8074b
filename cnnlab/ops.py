"""Convolution and pooling in numpy, with exactly TensorFlow's semantics.

Every number the course shows comes from here: the widgets animate a trace built from
the same sliding windows (:func:`sliding_windows`), never a second implementation.

Conventions (those of Keras, so nothing learned here must be unlearned there):

- images are channels-last: ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)``;
- kernels are ``(kh, kw)``, ``(kh, kw, C)`` (one filter) or ``(kh, kw, C, F)`` (Keras' HWIO);
- "convolution" is cross-correlation: the kernel is not flipped, as in every CNN library;
- ``padding`` is ``"valid"``, ``"same"``, an int, ``(ph, pw)`` or
  ``((top, bottom), (left, right))``; 'same' gives ``ceil(I / stride)`` outputs and puts the
  odd extra row/column of padding at the bottom/right, like TensorFlow;
- ``stride`` is Keras' ``strides``; ``dilation`` is Keras' ``dilation_rate``.

Examples
--------
>>> import numpy as np
>>> from cnnlab import ops
>>> image = np.arange(16.0).reshape(4, 4)
>>> ops.conv2d(image, np.ones((3, 3)))
array([[45., 54.],
       [81., 90.]])
>>> ops.output_size(28, 3, stride=2, padding="same")
14
>>> ops.same_padding(6, 2)
(0, 1)
>>> ops.pool2d(image, 2)
array([[ 5.,  7.],
       [13., 15.]])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import choice, int_pair, numeric_array, positive_int

__all__ = [
    "conv2d",
    "pool2d",
    "output_size",
    "same_padding",
    "effective_kernel_size",
    "explain_output_size",
    "OUTPUT_SIZE_FORMULA",
    "receptive_field",
    "stacked_kernel",
    "resolve_padding",
    "sliding_windows",
    "pooling_windows",
    "window_argmax",
]

POOL_MODES = ("max", "avg")


# ----------------------------------------------------------------------------- sizes


def effective_kernel_size(k: int, dilation: int = 1) -> int:
    """The span of a dilated kernel: ``k' = k + (k - 1)(dilation - 1)``.

    >>> effective_kernel_size(3, dilation=2)
    5
    """
    k = positive_int("kernel size", k)
    dilation = positive_int("dilation", dilation)
    return k + (k - 1) * (dilation - 1)


def same_padding(n: int, k: int, *, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Padding (before, after) that TensorFlow's ``padding='same'`` adds along one axis.

    The total makes the output ``ceil(n / stride)`` long; when it is odd, the extra row
    or column goes *after* (bottom/right) — the detail most textbooks get wrong.

    Parameters
    ----------
    n : int
        Input length (rows or columns).
    k : int
        Kernel length.
    stride : int
        Step of the window (Keras: ``strides``).
    dilation : int
        Gap factor of the kernel taps (Keras: ``dilation_rate``).

    Examples
    --------
    >>> same_padding(5, 3)
    (1, 1)
    >>> same_padding(5, 2)
    (0, 1)
    >>> same_padding(6, 3, stride=2)
    (0, 1)
    """
    n = positive_int("n (input size)", n)
    stride = positive_int("stride", stride)
    span = effective_kernel_size(k, dilation)
    total = max((math.ceil(n / stride) - 1) * stride + span - n, 0)
    return total // 2, total - total // 2


def _axis_padding(padding, n: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    """(before, after) for one axis from 'valid' | 'same' | int | (before, after)."""
    if isinstance(padding, str):
        mode = choice("padding", padding.lower(), ("valid", "same"))
        if mode == "valid":
            return 0, 0
        return same_padding(n, k, stride=stride, dilation=dilation)
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(
                f"padding must be 'valid', 'same', an int or a pair (before, after), "
                f"got {padding!r}"
            )
        return tuple(positive_int("padding", p, minimum=0) for p in padding)
    if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)):
        raise TypeError(
            f"padding must be 'valid', 'same', an int >= 0 or pairs of ints, got {padding!r} "
            f"({type(padding).__name__})"
        )
    p = positive_int("padding", padding, minimum=0)
    return p, p


def resolve_padding(padding, input_hw, kernel_hw, stride=1, dilation=1):
    """Normalise any accepted ``padding`` to ``((top, bottom), (left, right))``.

    >>> resolve_padding("same", (5, 6), (3, 3), stride=2)
    ((1, 1), (0, 1))
    >>> resolve_padding((1, 2), (5, 5), (3, 3))
    ((1, 1), (2, 2))
    >>> resolve_padding(((0, 1), (2, 3)), (5, 5), (3, 3))
    ((0, 1), (2, 3))
    """
    strides = int_pair("stride", stride)
    dilations = int_pair("dilation", dilation)
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(
                "padding must be 'valid', 'same', an int, (ph, pw) or "
                f"((top, bottom), (left, right)), got {padding!r}"
            )
        per_axis = padding
    else:
        per_axis = (padding, padding)
    return tuple(
        _axis_padding(p, n, k, s, d)
        for p, n, k, s, d in zip(per_axis, input_hw, kernel_hw, strides, dilations, strict=False)
    )


#: The output-size formula of notebook 03; :func:`explain_output_size` fills it in.
OUTPUT_SIZE_FORMULA = "out = floor((I + pad_before + pad_after − k′) / stride) + 1"
#: The span of a dilated kernel (:func:`effective_kernel_size`).
DILATED_KERNEL_FORMULA = "k′ = k + (k − 1)(dilation − 1)"


class _AxisSize(NamedTuple):
    """One axis of the output-size computation: the numbers that go into the formula."""

    n: int
    k: int
    stride: int
    dilation: int
    before: int
    after: int
    span: int
    out: int

    @classmethod
    def of(cls, n, k, stride, padding, dilation) -> _AxisSize:
        """The one place where the output size is computed (checked, not yet required ≥ 1)."""
        n = positive_int("n (input size)", n)
        stride = positive_int("stride", stride)
        span = effective_kernel_size(k, dilation)
        before, after = _axis_padding(padding, n, k, stride, dilation)
        return cls(n, k, stride, dilation, before, after, span,
                   (n + before + after - span) // stride + 1)

    def _dilated_step(self) -> str:
        if self.dilation == 1:
            return ""
        return (f"{DILATED_KERNEL_FORMULA} = {self.k} + {self.k - 1}·{self.dilation - 1} "
                f"= {self.span}; ")

    def _arithmetic(self) -> str:
        return (f"floor(({self.n} + {self.before} + {self.after} − {self.span}) / "
                f"{self.stride}) + 1 = {self.out}")

    def numbers(self) -> str:
        """The formula's numbers (after the k′ step when the kernel is dilated)."""
        return self._dilated_step() + self._arithmetic()

    def explained(self) -> str:
        """The formula in symbols, then its numbers."""
        formula = OUTPUT_SIZE_FORMULA
        if self.dilation == 1:   # k′ is only defined (notebook 05) where dilation makes it differ
            formula = formula.replace("k′", "k")
        return f"{self._dilated_step()}{formula} = {self._arithmetic()}"

    def check_fits(self, window: str, axis: str = "", argument: str = "") -> int:
        """``out``, or a ValueError when the window does not fit in the (padded) input.

        ``window`` names the window ("kernel", "pooling window"); ``argument`` the
        argument that sets its size, when it is not called like the window.
        """
        if self.out >= 1:
            return self.out
        named = f"{window} ({argument}={self.k})" if argument else window
        along = f" along the {axis}" if axis else ""
        needs = (f"a {self.k}-wide {window}"
                 + (f" with dilation {self.dilation}" if self.dilation > 1 else "")
                 + f" needs at least {self.span} {axis or 'cells'} of (padded) input")
        raise ValueError(
            f"the {named} does not fit{along}: {self.explained()}; {needs} — use a smaller "
            f"{argument or window}, more padding or padding='same'"
        )


def output_size(n: int, k: int, *, stride: int = 1, padding="valid", dilation: int = 1) -> int:
    """Length of the output along one axis.

    ``out = floor((n + pad_before + pad_after - k') / stride) + 1`` with
    ``k' = k + (k - 1)(dilation - 1)``; with ``padding='same'`` this is ``ceil(n / stride)``.

    Parameters
    ----------
    n : int
        Input length.
    k : int
        Kernel (or pooling window) length.
    stride : int
        Keras: ``strides``.
    padding : {'valid', 'same'} or int or (int, int)
        An int pads that many cells on *each* side; a pair is (before, after).
    dilation : int
        Keras: ``dilation_rate``.

    Raises
    ------
    ValueError
        When the kernel does not fit; the message shows the formula with the numbers.

    Examples
    --------
    >>> output_size(28, 3)
    26
    >>> output_size(28, 3, padding=1, stride=2)
    14
    >>> output_size(7, 3, dilation=2)
    3
    """
    return _AxisSize.of(n, k, stride, padding, dilation).check_fits("kernel")


def explain_output_size(n: int, k: int, *, stride: int = 1, padding="valid",
                        dilation: int = 1, symbols: bool = True) -> str:
    """The output-size formula written out with the numbers filled in.

    Parameters
    ----------
    n, k, stride, padding, dilation
        As in :func:`output_size`.
    symbols : bool
        Start with the formula in symbols, :data:`OUTPUT_SIZE_FORMULA` (default), or give
        only its numbers (for a table that states the formula once, e.g.
        :func:`cnnlab.models.summary_table`).

    Examples
    --------
    >>> print(explain_output_size(28, 3, stride=2, padding=1))  # doctest: +NORMALIZE_WHITESPACE
    out = floor((I + pad_before + pad_after − k) / stride) + 1
        = floor((28 + 1 + 1 − 3) / 2) + 1 = 14
    >>> print(explain_output_size(7, 3, dilation=2))  # doctest: +NORMALIZE_WHITESPACE
    k′ = k + (k − 1)(dilation − 1) = 3 + 2·1 = 5;
    out = floor((I + pad_before + pad_after − k′) / stride) + 1 = floor((7 + 0 + 0 − 5) / 1) + 1 = 3
    >>> explain_output_size(28, 3, stride=2, padding=1, symbols=False)
    'floor((28 + 1 + 1 − 3) / 2) + 1 = 14'
    """
    size = _AxisSize.of(n, k, stride, padding, dilation)
    return size.explained() if symbols else size.numbers()


def receptive_field(layers: Iterable) -> int:
    """Receptive field (in input pixels, per axis) of one output cell of a layer stack.

    Each layer is ``kernel``, ``(kernel, stride)`` or ``(kernel, stride, dilation)``
    (pooling layers count as kernels too). The field grows by ``(k' - 1) · jump`` per
    layer, where ``jump`` is the product of the strides before it.

    Examples
    --------
    >>> receptive_field([3, 3])                        # two 3x3 convolutions
    5
    >>> receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)])   # dilations 1, 2, 4
    15
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])      # conv, 2x2 pool, conv
    8
    """
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Iterable):
        raise TypeError(f"layers must be a list of (kernel, stride, dilation), got {layers!r}")
    field, jump = 1, 1
    for index, layer in enumerate(layers):
        spec = layer if isinstance(layer, (tuple, list)) else (layer,)
        if not 1 <= len(spec) <= 3:
            raise ValueError(
                f"layers[{index}] must be kernel, (kernel, stride) or (kernel, stride, "
                f"dilation), got {layer!r}"
            )
        k, stride, dilation = (*spec, 1, 1)[:3]
        span = effective_kernel_size(positive_int(f"layers[{index}] kernel", k),
                                     positive_int(f"layers[{index}] dilation", dilation))
        field += (span - 1) * jump
        jump *= positive_int(f"layers[{index}] stride", stride)
    return field


def stacked_kernel(first, second) -> np.ndarray:
    """The one kernel that does what ``first`` then ``second`` do ('valid', stride 1).

    Two convolutions with no non-linearity between them are one convolution: a
    ``kh×kw`` kernel after an ``ah×aw`` one equals a single
    ``(ah + kh − 1)×(aw + kw − 1)`` kernel, each of ``second``'s weights placing a
    scaled copy of ``first``. (A ReLU between them breaks this; notebook 04.)

    Parameters
    ----------
    first, second : array_like, shape (kh, kw)
        The kernels of the first and the second layer (one channel).

    Examples
    --------
    >>> stacked_kernel(np.ones((2, 2)), np.ones((2, 2)))
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> x = np.arange(36.0).reshape(6, 6)
    >>> a, b = np.array([[1, 2], [0, -1]]), np.array([[0, 1], [3, 1]])
    >>> np.allclose(conv2d(conv2d(x, a), b), conv2d(x, stacked_kernel(a, b)))
    True
    """
    a = numeric_array("first", first).astype(np.float64)
    b = numeric_array("second", second).astype(np.float64)
    for name, kernel in (("first", a), ("second", b)):
        if kernel.ndim != 2 or 0 in kernel.shape:
            raise ValueError(f"{name} must be a 2-D (kh, kw) kernel, got shape {kernel.shape}")
    combined = np.zeros((a.shape[0] + b.shape[0] - 1, a.shape[1] + b.shape[1] - 1))
    for (i, j), weight in np.ndenumerate(b):
        combined[i:i + a.shape[0], j:j + a.shape[1]] += weight * a
    return combined


# ----------------------------------------------------------------------------- windows


def _as_batch(name: str, x) -> tuple[np.ndarray, int]:
    """(N, H, W, C) view of an image argument, and its original number of dimensions."""
    array = numeric_array(name, x)
    if array.ndim == 2:
        return array[None, :, :, None], 2
    if array.ndim == 3:
        return array[None], 3
    if array.ndim == 4:
        return array, 4
    raise ValueError(
        f"{name} must have 2 (H, W), 3 (H, W, C) or 4 (N, H, W, C) dimensions, "
        f"got {array.ndim} dimensions with shape {array.shape}"
    )


def _check_fits(input_hw, kernel_hw, strides, pads, dilations, window="kernel", argument=""):
    for axis, n, k, s, p, d in zip(("rows", "columns"), input_hw, kernel_hw, strides, pads,
                                   dilations, strict=True):
        _AxisSize.of(n, k, s, p, d).check_fits(window, axis, argument)


def sliding_windows(x4: np.ndarray, window_hw, *, stride=1, padding="valid", dilation=1,
                    fill=0):
    """All windows a kernel visits, as a strided view (no copy).

    This is the one place where the sliding happens: :func:`conv2d`, :func:`pool2d` and
    the widgets' traces all read these windows.

    Parameters
    ----------
    x4 : ndarray, shape (N, H, W, C)
    window_hw : (int, int)
        Kernel or pooling-window size (before dilation).
    fill : number
        Value of padding cells (0 for convolution, the dtype's minimum for max pooling).

    Returns
    -------
    padded : ndarray, shape (N, H + top + bottom, W + left + right, C)
    windows : ndarray view, shape (N, out_h, out_w, C, kh, kw)
        ``windows[n, i, j, c]`` are the kernel taps of output cell (i, j) — dilated taps
        already picked out.
    pads : ((top, bottom), (left, right))

    Examples
    --------
    >>> x = np.arange(16).reshape(1, 4, 4, 1)
    >>> _, windows, _ = sliding_windows(x, (2, 2), stride=2)
    >>> windows.shape
    (1, 2, 2, 1, 2, 2)
    >>> windows[0, 1, 0, 0]
    array([[ 8,  9],
           [12, 13]])
    """
    kh, kw = int_pair("kernel size", window_hw)
    strides = int_pair("stride", stride)
    dilations = int_pair("dilation", dilation)
    pads = resolve_padding(padding, x4.shape[1:3], (kh, kw), strides, dilations)
    _check_fits(x4.shape[1:3], (kh, kw), strides, pads, dilations)
    padded = np.pad(x4, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
    spans = (effective_kernel_size(kh, dilations[0]), effective_kernel_size(kw, dilations[1]))
    windows = sliding_window_view(padded, spans, axis=(1, 2))
    windows = windows[:, :: strides[0], :: strides[1], :, :: dilations[0], :: dilations[1]]
    return padded, windows, pads


# ----------------------------------------------------------------------------- convolution


def _as_filters(kernel, channels: int) -> tuple[np.ndarray, bool]:
    """(kh, kw, C, F) kernel and whether the caller gave a single filter."""
    k = numeric_array("kernel", kernel)
    if k.ndim == 2:
        k4, single = k[:, :, None, None], True
    elif k.ndim == 3:
        k4, single = k[..., None], True
    elif k.ndim == 4:
        k4, single = k, False
    else:
        raise ValueError(
            "kernel must have 2 (kh, kw), 3 (kh, kw, C) or 4 (kh, kw, C, F) dimensions, "
            f"got {k.ndim} dimensions with shape {k.shape}"
        )
    if k4.shape[2] != channels:
        hint = (
            f"; for one filter over all {channels} channels pass a (kh, kw, {channels}) kernel, "
            f"e.g. np.stack([k] * {channels}, axis=-1)"
            if k.ndim == 2 else ""
        )
        raise ValueError(
            f"kernel has {k4.shape[2]} input channel(s) (shape {k.shape}) but x has "
            f"{channels} channel(s); they must match{hint}"
        )
    return k4, single


def conv2d(x, kernel, *, stride=1, padding="valid", dilation=1, bias=None) -> np.ndarray:
    """2-D convolution (cross-correlation) exactly as ``tf.nn.conv2d`` / ``keras.layers.Conv2D``.

    Each output cell is the sum of the element-wise products of the kernel and the input
    window under it (over all input channels), plus the bias.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
        Input image(s); integers (e.g. uint8 0–255) or floats.
    kernel : array_like, shape (kh, kw), (kh, kw, C) or (kh, kw, C, F)
        One filter, or F filters in Keras' HWIO layout.
    stride : int or (int, int)
        Step between windows (Keras: ``strides``).
    padding : 'valid', 'same', int, (ph, pw) or ((top, bottom), (left, right))
        Zero padding. 'same' as TensorFlow: output ``ceil(I / stride)``, odd extra at the
        bottom/right.
    dilation : int or (int, int)
        Spacing of kernel taps (Keras: ``dilation_rate``). May be combined with stride > 1
        (Keras refuses that combination; the arithmetic is the same).
    bias : number or array_like of shape (F,), optional
        Added to every output cell of each filter.

    Returns
    -------
    ndarray
        ``(out_h, out_w)`` for one filter, ``(out_h, out_w, F)`` for F filters, with a
        leading N axis when ``x`` had one. Float32 when both inputs fit float32 exactly
        (float32 data, or uint8 with a float32 kernel), else float64.

    Examples
    --------
    >>> x = np.array([[1, 2, 0], [0, 1, 3], [2, 1, 0]])
    >>> conv2d(x, [[1, 0], [0, -1]])
    array([[ 0., -1.],
           [-1.,  1.]])
    >>> conv2d(np.zeros((5, 5, 3)), np.ones((3, 3, 3, 8)), padding="same").shape
    (5, 5, 8)
    """
    x4, x_ndim = _as_batch("x", x)
    k4, single_filter = _as_filters(kernel, x4.shape[3])
    dtype = np.result_type(x4.dtype, k4.dtype, np.float32)
    _, windows, _ = sliding_windows(x4.astype(dtype, copy=False), k4.shape[:2], stride=stride,
                                    padding=padding, dilation=dilation)
    # Σ over taps (i, j) of window tap (N, oh, ow, C) @ kernel tap (C, F): a Python loop over
    # the kh·kw taps only, each a BLAS matrix product over all pixels at once.
    k4 = k4.astype(dtype, copy=False)
    out = _accumulate_taps(windows, lambda tap, i, j: tap @ k4[i, j], np.add)
    if bias is not None:
        out = out + _as_bias(bias, k4.shape[3]).astype(dtype)
    if single_filter:
        out = out[..., 0]
    return out if x_ndim == 4 else out[0]


def _accumulate_taps(windows: np.ndarray, term, combine) -> np.ndarray:
    """``combine`` (a ufunc) of ``term(windows[..., i, j], i, j)`` over all kernel taps."""
    kh, kw = windows.shape[-2:]
    out = term(windows[..., 0, 0], 0, 0).copy()
    for i in range(kh):
        for j in range(kw):
            if i or j:
                combine(out, term(windows[..., i, j], i, j), out=out)
    return out


def _as_bias(bias, filters: int) -> np.ndarray:
    b = numeric_array("bias", bias)
    if b.ndim == 0:
        return b.reshape(1)
    if b.shape != (filters,):
        raise ValueError(
            f"bias must be a number or have one value per filter, shape ({filters},), "
            f"got shape {b.shape}"
        )
    return b


# ----------------------------------------------------------------------------- pooling


def _tap(window_tap: np.ndarray, i: int, j: int) -> np.ndarray:
    return window_tap


def pooling_windows(x4: np.ndarray, size_hw, *, stride, padding, mode):
    """The windows pooling reads, padded so that padding can never change the result.

    This is the one place that decides what a padding cell holds when pooling:
    :func:`pool2d` and :func:`cnnlab.trace.pool2d` both read these windows.

    Parameters
    ----------
    x4 : ndarray, shape (N, H, W, C)
    size_hw, stride : (int, int)
    padding
        As in :func:`sliding_windows`.
    mode : {'max', 'avg'}
        'max': padding holds the dtype's smallest value (-inf for floats; bool input
        becomes uint8). 'avg': the input becomes float (float32 for float32 and 8/16-bit
        input, float64 otherwise) and padding holds 0.

    Returns
    -------
    windows : ndarray view, shape (N, out_h, out_w, C, kh, kw)
    real : ndarray view of bool, shape (1, out_h, out_w, 1, kh, kw)
        True on the cells that are input, False on padding.

    Examples
    --------
    >>> windows, real = pooling_windows(np.zeros((1, 2, 2, 1), np.uint8), (2, 2),
    ...                                 stride=(1, 1), padding="same", mode="max")
    >>> windows[0, 1, 1, 0], real[0, 1, 1, 0]
    (array([[0, 0],
           [0, 0]], dtype=uint8), array([[ True, False],
           [False, False]]))
    """
    if mode == "max":
        if x4.dtype == bool:
            x4 = x4.astype(np.uint8)
        fill = np.iinfo(x4.dtype).min if x4.dtype.kind in "iu" else -np.inf
    else:
        dtype = np.float32 if x4.dtype in (np.float32, np.uint8, np.int8, np.uint16,
                                            np.int16, np.float16, bool) else np.float64
        x4, fill = x4.astype(dtype, copy=False), 0
    _, windows, _ = sliding_windows(x4, size_hw, stride=stride, padding=padding, fill=fill)
    inside = np.ones((1, *x4.shape[1:3], 1), dtype=bool)
    _, real, _ = sliding_windows(inside, size_hw, stride=stride, padding=padding, fill=False)
    return windows, real


def window_argmax(windows: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Position (row, column) of each window's maximum among its real cells.

    A padding cell may hold the same value as the maximum (the fill of an integer image
    is its smallest value, e.g. 0 for uint8), so the maximum is looked for among the
    real cells only; on a tie the first in row order wins, as in ``tf.argmax``.

    Parameters
    ----------
    windows, real : ndarray, shape (..., kh, kw)
        As returned by :func:`pooling_windows` (``real`` broadcasts against ``windows``).

    Returns
    -------
    ndarray of int, shape (..., 2)

    Examples
    --------
    >>> windows, real = pooling_windows(np.zeros((1, 3, 3, 1), np.uint8), (3, 3),
    ...                                 stride=(1, 1), padding="same", mode="max")
    >>> window_argmax(windows, real)[0, 0, 0, 0].tolist()   # not the padding at (0, 0)
    [1, 1]
    """
    kh, kw = windows.shape[-2:]
    best = windows.max(axis=(-2, -1), keepdims=True)   # the fill never exceeds a real cell
    hit = real & ((windows == best) | (np.isnan(best) & np.isnan(windows)))
    flat = hit.reshape(*hit.shape[:-2], kh * kw).argmax(axis=-1)
    return np.stack(np.unravel_index(flat, (kh, kw)), axis=-1)


def pool2d(x, size=2, *, stride=None, padding="valid", mode="max") -> np.ndarray:
    """Max or average pooling exactly as ``tf.nn.max_pool2d`` / ``tf.nn.avg_pool2d``.

    Each channel is pooled on its own. Average pooling divides by the number of *real*
    (non-padding) cells in the window, as TensorFlow does; max pooling never picks padding.

    Parameters
    ----------
    x : array_like, shape (H, W), (H, W, C) or (N, H, W, C)
    size : int or (int, int)
        Window size (Keras: ``pool_size``).
    stride : int or (int, int), optional
        Defaults to ``size``, as in Keras (``strides=None``).
    padding : 'valid', 'same', int, (ph, pw) or ((top, bottom), (left, right))
        Explicit padding must be smaller than the window, so that every window holds at
        least one real cell.
    mode : {'max', 'avg'}

    Returns
    -------
    ndarray
        Same number of dimensions as ``x``. Max pooling keeps the dtype; average pooling
        returns floats (float32 for float32 and 8/16-bit input, float64 otherwise).

    Examples
    --------
    >>> x = np.array([[1, 3, 2, 0], [4, 2, 1, 1], [0, 0, 5, 6], [1, 2, 7, 8]])
    >>> pool2d(x, 2)
    array([[4, 2],
           [2, 8]])
    >>> pool2d(x, 2, mode="avg")
    array([[2.5 , 1.  ],
           [0.75, 6.5 ]])
    >>> pool2d([[1.0, 2.0, 3.0]], (1, 2), padding="same", mode="avg")   # last window: 3 / 1
    array([[1.5, 3. ]])
    """
    x4, x_ndim = _as_batch("x", x)
    mode = choice("mode", mode, POOL_MODES)
    size_hw = int_pair("size", size)
    stride_hw = size_hw if stride is None else int_pair("stride", stride)
    pads = resolve_padding(padding, x4.shape[1:3], size_hw, stride_hw)
    # Checked here, not only in sliding_windows, to name the argument: a pooling window.
    _check_fits(x4.shape[1:3], size_hw, stride_hw, pads, (1, 1), "pooling window", "size")
    for pad, k in zip(pads, size_hw, strict=False):
        if max(pad) >= k:
            raise ValueError(
                f"pooling padding must be smaller than the window ({k}) on each side, "
                f"got {pads}: a window made only of padding has nothing to pool"
            )
    windows, real = pooling_windows(x4, size_hw, stride=stride_hw, padding=pads, mode=mode)
    if mode == "max":
        out = _accumulate_taps(windows, _tap, np.maximum)
    else:
        out = (_accumulate_taps(windows, _tap, np.add)
               / real.sum(axis=(-2, -1), dtype=windows.dtype))
    return out if x_ndim == 4 else out[0, :, :, 0] if x_ndim == 2 else out[0]
