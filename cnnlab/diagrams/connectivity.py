"""Pictures of how a layer connects its inputs to its outputs.

- :func:`dense_vs_local` — a dense layer (every input to every output, each connection its
  own weight) beside a convolution (each output reads a k×k window; the same k·k weights
  at every position: weight sharing).
- :func:`channels_and_filters` — an RGB input, F filters of C slices each, F feature maps:
  the kernel shape (kh, kw, C_in, C_out).

Each function returns a closed figure with its text alternative (see
:func:`cnnlab.figures.describe`).

Examples
--------
>>> from cnnlab.diagrams import connectivity
>>> fig = connectivity.dense_vs_local(size=4, kernel=3)
>>> [len(ax.lines) for ax in fig.axes]      # dense: 16·4 connections; conv: 4 windows of 9
[64, 36]
>>> fig = connectivity.channels_and_filters(filters=2)
>>> print(fig.axes[0].get_title())
kernel shape (kh, kw, C_in, C_out) = (3, 3, 3, 2)
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches

from .. import figures, ops
from .._validate import positive_int

__all__ = ["dense_vs_local", "channels_and_filters"]

#: Colours of the R, G and B slices (input channels and kernel slices alike).
_CHANNEL_COLOURS = ("#d62728", "#2ca02c", "#1f77b4")
_CHANNEL_NAMES = ("R", "G", "B")


def _grid(ax, origin, n, *, cell=1.0, highlight=(), colour="#ffd27f"):
    """An n×n grid of squares with its lower-left corner at ``origin``; returns the centre
    of each cell, indexed [row, column] with row 0 at the top (as in an image)."""
    x0, y0 = origin
    centres = np.zeros((n, n, 2))
    for r in range(n):
        for c in range(n):
            x, y = x0 + c * cell, y0 + (n - 1 - r) * cell
            fill = colour if (r, c) in highlight else "white"
            ax.add_patch(patches.Rectangle((x, y), cell, cell, facecolor=fill,
                                           edgecolor="0.4", linewidth=1))
            centres[r, c] = (x + cell / 2, y + cell / 2)
    return centres


def _distinct_colours(count: int) -> list:
    """``count`` colours, none of them grey (grey is for the connections not highlighted)."""
    palette = [c for i, c in enumerate(plt.get_cmap("tab10").colors) if i != 7]   # 7: grey
    if count <= len(palette):
        return palette[:count]
    return [plt.get_cmap("viridis")(i / (count - 1)) for i in range(count)]


def _connect(ax, start, end, colour, *, width=1.0, alpha=1.0):
    ax.plot([start[0], end[0]], [start[1], end[1]], color=colour, linewidth=width,
            alpha=alpha, solid_capstyle="round")


def dense_vs_local(size: int = 5, kernel: int = 3):
    """A dense layer beside a convolution, on a ``size``×``size`` image.

    Both layers make the same (size − kernel + 1)² outputs. Left, the dense layer: every
    output is connected to every input, each connection with a weight of its own (one
    output's connections drawn in colour). Right, the convolution: each output is connected
    to the ``kernel``×``kernel`` window under it, and the colours — the weights — are the
    same at every position.

    Parameters
    ----------
    size : int
        Side of the input image (2–8, so the picture stays readable).
    kernel : int
        Side of the kernel (1 to ``size``).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes (dense, convolution); each connection is one line.
    """
    size = positive_int("size", size, minimum=2)
    if size > 8:
        raise ValueError(f"size must be at most 8 for a readable picture, got {size}")
    kernel = positive_int("kernel", kernel)
    if kernel > size:
        raise ValueError(f"kernel must be at most size ({size}), got {kernel}")
    out = ops.output_size(size, kernel)
    fig, (dense_ax, conv_ax) = plt.subplots(1, 2, figsize=(12, 5.2))
    tap_colours = _distinct_colours(kernel * kernel)
    gap = size + 4
    out_origin = (gap, (size - out) / 2)

    inputs = _grid(dense_ax, (0, 0), size)
    outputs = _grid(dense_ax, out_origin, out, highlight={(0, 0)})
    own = plt.get_cmap("viridis")
    for end in outputs.reshape(-1, 2)[::-1]:          # output (0, 0) last: on top
        for index, start in enumerate(inputs.reshape(-1, 2)):
            if np.array_equal(end, outputs[0, 0]):
                _connect(dense_ax, start, end, own(index / (size * size - 1)), width=1.2)
            else:
                _connect(dense_ax, start, end, "0.6", width=0.5, alpha=0.35)
    dense_weights = size * size * out * out
    dense_ax.set_title(f"dense: every output reads all {size * size} inputs\n"
                       f"{size * size}·{out * out} = {dense_weights} weights, all different")

    # Two outputs (first and last) in full colour, their windows shaded; the others faint.
    shown = {(0, 0), (out - 1, out - 1)}
    windows = {(r, c) for orow, ocol in shown for r in range(orow, orow + kernel)
               for c in range(ocol, ocol + kernel)}
    inputs = _grid(conv_ax, (0, 0), size, highlight=windows, colour="#fff0c8")
    outputs = _grid(conv_ax, out_origin, out, highlight=shown)
    for orow in range(out):
        for ocol in range(out):
            window = inputs[orow:orow + kernel, ocol:ocol + kernel].reshape(-1, 2)
            for tap, start in enumerate(window):
                if (orow, ocol) in shown:
                    _connect(conv_ax, start, outputs[orow, ocol], tap_colours[tap], width=1.6)
                else:
                    _connect(conv_ax, start, outputs[orow, ocol], "0.6", width=0.5,
                             alpha=0.35)
    conv_ax.set_title(f"convolution: each output reads a {kernel}×{kernel} window\n"
                      f"the same {kernel * kernel} weights (colours) at every position")
    for ax in (dense_ax, conv_ax):
        ax.text(size / 2, -0.6, f"input {size}×{size}", ha="center", va="top")
        ax.text(gap + out / 2, out_origin[1] - 0.6, f"output {out}×{out}", ha="center",
                va="top")
        ax.set_xlim(-0.5, gap + out + 0.5)
        ax.set_ylim(-1.6, size + 0.3)
        ax.set_aspect("equal")
        ax.axis("off")
    text = (f"Two diagrams of a {size}×{size} input connected to a {out}×{out} output. Left, "
            f"a dense layer: every output is joined to all {size * size} inputs, "
            f"{dense_weights} connections, each a weight of its own (one output's "
            f"connections drawn in {size * size} different colours). Right, a convolution: "
            f"each output is joined only to the {kernel}×{kernel} window under it (the "
            f"first and the last output's connections drawn in colour, their windows "
            f"shaded), and the same {kernel * kernel} colours appear in both — the same "
            f"{kernel * kernel} weights are shared by all outputs.")
    return figures.describe(figures._finished(fig), text)


def channels_and_filters(filters: int = 2, *, channels: int = 3, kernel: int = 3):
    """An input with ``channels`` channels, ``filters`` filters, one feature map per filter.

    Each filter has one ``kernel``×``kernel`` slice per input channel; each slice is slid
    over its own channel and the slices' products are summed into *one* map. ``filters``
    filters make ``filters`` maps, so the layer's kernel has shape
    (kernel, kernel, channels, filters).

    Parameters
    ----------
    filters : int
        Number of filters (output channels), 1–4.
    channels : int
        Number of input channels, 1–3 (drawn as R, G, B).
    kernel : int
        Side of each filter.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, titled with the kernel shape.
    """
    filters = positive_int("filters", filters)
    channels = positive_int("channels", channels)
    kernel = positive_int("kernel", kernel)
    if filters > 4:
        raise ValueError(f"filters must be 1–4 for a readable picture, got {filters}")
    if channels > 3:
        raise ValueError(f"channels must be 1–3 (drawn as R, G, B), got {channels}")
    fig, ax = plt.subplots(figsize=(11, 1.2 + 2.4 * filters))
    row_height = 2.4
    top = row_height * filters

    def stack(x, y, side, count, label):
        for c in range(count):
            offset = 0.25 * (count - 1 - c)
            ax.add_patch(patches.Rectangle((x + offset, y + offset), side, side,
                                           facecolor=_CHANNEL_COLOURS[c], alpha=0.55,
                                           edgecolor="0.2"))
        ax.text(x + side / 2, y - 0.25, label, ha="center", va="top")
        return x + side + 0.25 * (count - 1), y + side / 2

    input_side = 2.2
    input_y = top / 2 - input_side / 2
    right, middle = stack(0, input_y, input_side, channels, f"input H×W×{channels}")
    for f in range(filters):
        y = top - row_height * (f + 1) + 0.7
        ax.annotate("", xy=(3.6, y + 0.5), xytext=(right + 0.1, middle),
                    arrowprops=dict(arrowstyle="->", color="0.3"))
        filter_right, filter_mid = stack(3.7, y, 1.0, channels,
                                         f"filter {f + 1}: {kernel}×{kernel}×{channels}")
        ax.text(filter_right + 0.3, filter_mid,
                f"one slice per channel;\n{' + '.join(_CHANNEL_NAMES[:channels])}: "
                "products summed", va="center", fontsize=10)
        ax.annotate("", xy=(9.0, filter_mid), xytext=(8.2, filter_mid),
                    arrowprops=dict(arrowstyle="->", color="0.3"))
        ax.add_patch(patches.Rectangle((9.1, y - 0.2), 1.4, 1.4, facecolor="0.75",
                                       edgecolor="0.2"))
        ax.text(9.8, y - 0.35, f"map {f + 1}", ha="center", va="top")
    ax.set_xlim(-0.3, 11)
    ax.set_ylim(-0.8, top + 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    shape = (kernel, kernel, channels, filters)
    ax.set_title(f"kernel shape (kh, kw, C_in, C_out) = {shape}")
    text = (f"Diagram: an input with {channels} channel(s) on the left; {filters} filter(s), "
            f"each a stack of {channels} {kernel}×{kernel} slice(s) coloured like the input's "
            f"channels; each filter's slices are multiplied with their own channel and all "
            f"products are summed into one grey feature map, so {filters} filter(s) give "
            f"{filters} map(s). The title gives the kernel shape {shape}.")
    return figures.describe(figures._finished(fig), text)
