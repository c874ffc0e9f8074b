"""One record per output cell: what a convolution or pooling does, step by step.

A trace is what the explorers animate. It is read from the very windows that
:func:`cnnlab.ops.conv2d` and :func:`cnnlab.ops.pool2d` use (:func:`cnnlab.ops.sliding_windows`),
and its output cells are the values those functions return — so the animation can never
disagree with the operation it explains.

Step ``s`` is output cell ``(s // out_w, s % out_w)`` (row by row, like the kernel moves).

Examples
--------
>>> import numpy as np
>>> from cnnlab import trace
>>> t = trace.conv2d(np.arange(16).reshape(4, 4), np.ones((3, 3)), padding=1)
>>> t.n_steps, t.out_shape
(16, (4, 4))
>>> record = t.record(0)
>>> record.cell, record.rows.tolist(), record.cols.tolist()
((0, 0), [0, 1, 2], [0, 1, 2])
>>> record.is_padding[:, :, 0].astype(int)     # first window: top row and left column padded
array([[1, 1, 1],
       [1, 0, 0],
       [1, 0, 0]])
>>> record.value                                # 0 + 1 + 4 + 5
10.0
>>> trace.pool2d(np.arange(16).reshape(4, 4), 2).output
array([[ 5,  7],
       [13, 15]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import ops
from ._validate import choice, int_pair, numeric_array

__all__ = ["Trace", "StepRecord", "conv2d", "pool2d"]


@dataclass(frozen=True, eq=False)
class StepRecord:
    """Everything about one output cell (one step of the animation).

    ``rows``/``cols`` are the coordinates of the kernel taps in the *padded* input (with
    dilation the taps are ``dilation`` apart); ``values``, ``products`` and ``is_padding``
    have shape ``(kh, kw, C)``.
    """

    step: int
    cell: tuple            # (i, j) in the output
    rows: np.ndarray       # (kh,) padded-input row of each tap
    cols: np.ndarray       # (kw,) padded-input column of each tap
    values: np.ndarray     # input under the taps (padding cells: 0)
    products: np.ndarray | None   # convolution: values * kernel
    is_padding: np.ndarray
    channel_sums: np.ndarray      # convolution: one sum per channel; pooling: per channel result
    value: float | np.ndarray     # the output cell: sum + bias / max / average (per channel)
    argmax: tuple | None          # max pooling: (ki, kj) tap of the maximum, per channel
    count: int                    # real (non-padding) taps in the window


@dataclass(frozen=True, eq=False)
class Trace:
    """All steps of one operation on one image. Build with :func:`conv2d` / :func:`pool2d`."""

    operation: str            # "conv", "max" or "avg"
    image: np.ndarray         # (H, W, C) the input as given (2-D input gets C = 1)
    padded: np.ndarray        # (H + top + bottom, W + left + right, C), padding cells 0
    padding_mask: np.ndarray  # (Hp, Wp) True on padding cells
    pads: tuple               # ((top, bottom), (left, right))
    kernel: np.ndarray | None  # (kh, kw, C) for convolution
    window: tuple             # (kh, kw)
    stride: tuple
    dilation: tuple
    bias: float
    output: np.ndarray        # (oh, ow); (oh, ow, C) when pooling a C-channel image
    values: np.ndarray        # (n_steps, kh, kw, C)
    is_padding: np.ndarray    # (n_steps, kh, kw)
    products: np.ndarray | None   # (n_steps, kh, kw, C)
    channel_sums: np.ndarray  # (n_steps, C)
    argmax: np.ndarray | None  # (n_steps, C, 2) for max pooling
    gray: bool                # the caller gave a 2-D image

    @property
    def out_shape(self) -> tuple:
        """(out_h, out_w)."""
        return self.output.shape[:2]

    @property
    def n_steps(self) -> int:
        """Number of output cells (= animation steps)."""
        return self.values.shape[0]

    @property
    def channels(self) -> int:
        return self.image.shape[2]

    def cell(self, step: int) -> tuple:
        """Output cell (i, j) computed at ``step``."""
        step = self._check_step(step)
        return divmod(step, self.out_shape[1])

    def tap_rows(self, step: int) -> np.ndarray:
        """Padded-input rows of the kernel taps at ``step``."""
        i, _ = self.cell(step)
        return i * self.stride[0] + np.arange(self.window[0]) * self.dilation[0]

    def tap_cols(self, step: int) -> np.ndarray:
        """Padded-input columns of the kernel taps at ``step``."""
        _, j = self.cell(step)
        return j * self.stride[1] + np.arange(self.window[1]) * self.dilation[1]

    def record(self, step: int) -> StepRecord:
        """The :class:`StepRecord` of one step."""
        step = self._check_step(step)
        cell = self.cell(step)
        value = self.output[cell]
        return StepRecord(
            step=step,
            cell=cell,
            rows=self.tap_rows(step),
            cols=self.tap_cols(step),
            values=self.values[step],
            products=None if self.products is None else self.products[step],
            is_padding=np.broadcast_to(self.is_padding[step][..., None],
                                       self.values.shape[1:]),
            channel_sums=self.channel_sums[step],
            value=value.item() if np.size(value) == 1 else value,
            argmax=None if self.argmax is None else tuple(
                (int(r), int(c)) for r, c in self.argmax[step]),
            count=int((~self.is_padding[step]).sum()),
        )

    def partial_output(self, step: int) -> np.ndarray:
        """The output after ``step``: cells computed so far, NaN for the rest (float64)."""
        step = self._check_step(step)
        partial = np.full(self.output.shape, np.nan)
        flat = partial.reshape(self.n_steps, -1)
        flat[: step + 1] = self.output.reshape(self.n_steps, -1)[: step + 1]
        return partial

    def _check_step(self, step) -> int:
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)):
            raise TypeError(f"step must be an integer, got {step!r} ({type(step).__name__})")
        if not 0 <= step < self.n_steps:
            raise ValueError(f"step must lie in 0–{self.n_steps - 1}, got {step}")
        return int(step)


def _as_image(image) -> tuple[np.ndarray, bool]:
    array = numeric_array("image", image)
    if array.ndim == 2:
        return array[:, :, None], True
    if array.ndim == 3:
        return array, False
    raise ValueError(
        f"image must be 2-D (H, W) or 3-D (H, W, C), got shape {array.shape}"
    )


def _windows(x3, window, stride, padding, dilation, fill=0):
    """Flattened windows ``(n_steps, kh, kw, C)`` from the one sliding-window code."""
    padded, windows, pads = ops.sliding_windows(x3[None], window, stride=stride,
                                                padding=padding, dilation=dilation, fill=fill)
    # (1, oh, ow, C, kh, kw) → (oh*ow, kh, kw, C)
    out_h, out_w = windows.shape[1:3]
    steps = windows[0].transpose(0, 1, 3, 4, 2).reshape(out_h * out_w, *window, x3.shape[2])
    return padded[0], steps, pads


def _padding_info(x3, window, stride, padding, dilation):
    """Padding mask of the padded grid and of every window (True = padding)."""
    ones = np.ones((*x3.shape[:2], 1), dtype=np.uint8)
    padded, steps, _ = _windows(ones, window, stride, padding, dilation)
    return padded[..., 0] == 0, steps[..., 0] == 0


def conv2d(image, kernel, *, stride=1, padding="valid", dilation=1, bias=0.0) -> Trace:
    """Trace of ``ops.conv2d(image, kernel, ...)``, one record per output cell.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    kernel : array_like, shape (kh, kw) or (kh, kw, C)
        One filter; with C channels the per-channel products are summed (as Keras does).
    stride, padding, dilation
        As in :func:`cnnlab.ops.conv2d` (Keras: ``strides``, ``padding``, ``dilation_rate``).
    bias : float
        Added to every output cell.

    Examples
    --------
    >>> rgb = np.ones((4, 4, 3))
    >>> t = conv2d(rgb, np.ones((2, 2, 3)), stride=2)
    >>> t.out_shape, t.record(3).channel_sums.tolist(), t.record(3).value
    ((2, 2), [4.0, 4.0, 4.0], 12.0)
    """
    x3, gray = _as_image(image)
    k = numeric_array("kernel", kernel)
    if k.ndim not in (2, 3):
        raise ValueError(
            f"kernel must be (kh, kw) or (kh, kw, C) for one filter, got shape {k.shape}"
        )
    k3 = k[:, :, None] if k.ndim == 2 else k
    if isinstance(bias, bool) or not np.isscalar(bias) or not np.isreal(bias):
        raise TypeError(f"bias must be a number, got {bias!r}")
    output = ops.conv2d(x3, k3, stride=stride, padding=padding, dilation=dilation,
                        bias=None if bias == 0 else bias)
    window = k3.shape[:2]
    padded, values, pads = _windows(x3, window, stride, padding, dilation)
    padding_mask, is_padding = _padding_info(x3, window, stride, padding, dilation)
    products = values * k3  # (n, kh, kw, C) · (kh, kw, C)
    return Trace(
        operation="conv", image=x3, padded=padded, padding_mask=padding_mask, pads=pads,
        kernel=k3, window=window, stride=int_pair("stride", stride),
        dilation=int_pair("dilation", dilation), bias=float(bias), output=output,
        values=values, is_padding=is_padding, products=products,
        channel_sums=products.sum(axis=(1, 2)), argmax=None, gray=gray,
    )


def pool2d(image, size=2, *, stride=None, padding="valid", mode="max") -> Trace:
    """Trace of ``ops.pool2d(image, size, ...)``; each channel is pooled on its own.

    For max pooling each record holds the tap of the maximum (padding is never picked);
    average pooling divides by the number of real cells, exactly like TensorFlow.

    Examples
    --------
    >>> x = np.array([[1, 3, 2], [4, 2, 1], [0, 0, 5]])
    >>> t = pool2d(x, 2, padding="same", mode="avg")
    >>> t.output.tolist()
    [[2.5, 1.5], [0.0, 5.0]]
    >>> t.record(3).count                        # bottom-right window: one real cell
    1
    >>> pool2d(x, 2, stride=1).record(0).argmax   # max of [[1, 3], [4, 2]] is at (1, 0)
    ((1, 0),)
    """
    x3, gray = _as_image(image)
    mode = choice("mode", mode, ops.POOL_MODES)
    window = int_pair("size", size)
    stride = window if stride is None else int_pair("stride", stride)
    output = ops.pool2d(x3[..., 0] if gray else x3, window, stride=stride, padding=padding,
                        mode=mode)
    pads = ops.resolve_padding(padding, x3.shape[:2], window, stride)
    padded, values, _ = _windows(x3, window, stride, pads, 1)
    padding_mask, is_padding = _padding_info(x3, window, stride, pads, 1)
    argmax = None
    if mode == "max":
        windows, real = ops.pooling_windows(x3[None], window, stride=stride, padding=pads,
                                            mode=mode)
        # (1, oh, ow, C, 2) → (n_steps, C, 2)
        argmax = ops.window_argmax(windows, real).reshape(len(values), x3.shape[2], 2)
        channel_sums = output.reshape(len(values), -1)
    else:
        channel_sums = values.sum(axis=(1, 2), dtype=np.float64)
    return Trace(
        operation=mode, image=x3, padded=padded, padding_mask=padding_mask, pads=pads,
        kernel=None, window=window, stride=stride, dilation=(1, 1), bias=0.0, output=output,
        values=values, is_padding=is_padding, products=None, channel_sums=channel_sums,
        argmax=argmax, gray=gray,
    )
