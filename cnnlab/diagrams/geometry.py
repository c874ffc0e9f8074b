"""What a kernel reaches: receptive fields, dilation's taps, strides.

- :func:`footprint` — which input pixels one output cell of a layer stack reads (numpy).
- :func:`measured_footprint` — the same, measured on Keras layers through TensorFlow's
  gradient of one output with respect to the input: the independent check of
  :func:`footprint` and of :func:`cnnlab.ops.receptive_field`.
- :func:`plot_footprints` — footprints side by side, "read" and "not read" in the same
  two colour-blind-safe colours in every panel, with a legend.
- :func:`plot_receptive_field` — one row per layer: which cells of each layer feed one
  output, and how wide the field has grown.

A layer is written as in :func:`cnnlab.ops.receptive_field`: ``kernel``,
``(kernel, stride)`` or ``(kernel, stride, dilation)``; a pooling window counts as a kernel.

Examples
--------
>>> footprint([(3, 1, 2), (3, 1, 2)]).astype(int)[0]     # two 3×3 layers, dilation 2
array([1, 0, 1, 0, 1, 0, 1, 0, 1])
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch, Rectangle

from .. import ops
from .._validate import positive_int
from ..figures import _finished, describe

__all__ = ["footprint", "measured_footprint", "plot_footprints", "plot_receptive_field",
           "READ_COLOUR", "UNREAD_COLOUR"]

#: Okabe–Ito blue: an input pixel the output reads (dark, so it differs in lightness too).
READ_COLOUR = "#0072B2"
#: A light grey: a pixel inside the field that the output never reads.
UNREAD_COLOUR = "#E6E6E6"


def _layers(layers) -> list[tuple[int, int, int]]:
    """(kernel, stride, dilation) triples, validated by ops.receptive_field's rules."""
    ops.receptive_field(layers)      # raises the one error message for a bad stack
    return [tuple((*(layer if isinstance(layer, (tuple, list)) else (layer,)), 1, 1)[:3])
            for layer in layers]


def _positions(layers) -> list[np.ndarray]:
    """For each level (input first, output last): the cells that feed output cell 0."""
    levels = [np.array([0])]
    for k, stride, dilation in reversed(layers):
        below = (levels[0][:, None] * stride + np.arange(k) * dilation).ravel()
        levels.insert(0, np.unique(below))
    return levels


def footprint(layers: Iterable) -> np.ndarray:
    """The input pixels that one output cell reads, as a square boolean array.

    Its side is :func:`cnnlab.ops.receptive_field`; holes appear where dilations leave
    gaps (the gridding effect).

    Parameters
    ----------
    layers : sequence
        ``kernel``, ``(kernel, stride)`` or ``(kernel, stride, dilation)`` per layer.

    Examples
    --------
    >>> footprint([3, (2, 2), 3]).shape                  # conv 3×3, pool 2×2, conv 3×3
    (8, 8)
    >>> footprint([(3, 1, 2)] * 3).sum()                 # dilation 2, 2, 2: a 1-in-4 lattice
    np.int64(49)
    """
    layers = _layers(layers)
    line = np.zeros(ops.receptive_field(layers), dtype=bool)
    line[_positions(layers)[0]] = True
    return np.outer(line, line)


def measured_footprint(keras_layers, *, size: int = 64, draws: int = 16,
                       seed: int = 0) -> np.ndarray:
    """The input pixels that the centre output of ``keras_layers`` depends on, measured.

    Builds the layers on a ``(size, size, 1)`` input, takes TensorFlow's gradient of the
    centre output cell (summed over channels) with respect to the input for ``draws``
    random inputs, and returns the bounding box of the pixels where any gradient is
    non-zero. Several random inputs make sure that a max pooling, whose gradient reaches
    only the maximum of each window, still reveals every pixel it can read.

    Parameters
    ----------
    keras_layers : sequence of keras layers
        E.g. ``[keras.layers.Conv2D(1, 3), keras.layers.MaxPooling2D(2)]``.
    size : int
        Input side; must exceed the field (a field that touches the border is refused).
    draws : int
        Random inputs (uniform in [0.5, 1.5)).
    seed : int

    Returns
    -------
    numpy.ndarray of bool
        Its side is the measured receptive field.

    Examples
    --------
    >>> from cnnlab import import_keras
    >>> keras = import_keras()
    >>> measured_footprint([keras.layers.Conv2D(2, 3, dilation_rate=2)]).shape
    (5, 5)
    """
    from .._tf import import_keras, import_tensorflow

    size = positive_int("size", size)
    keras, tf = import_keras(), import_tensorflow()
    keras_layers = list(keras_layers)
    if not keras_layers:
        raise ValueError("keras_layers must hold at least one layer, got an empty list")
    model = keras.Sequential([keras.Input((size, size, 1)), *keras_layers])
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.uniform(0.5, 1.5, (positive_int("draws", draws), size, size, 1)),
                    tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)
        if len(y.shape) != 4:
            raise ValueError(f"keras_layers must keep a (batch, H, W, C) output, got shape "
                             f"{tuple(y.shape)}")
        target = tf.reduce_sum(y[:, y.shape[1] // 2, y.shape[2] // 2, :])
    reach = np.abs(tape.gradient(target, x).numpy()).sum(axis=(0, 3)) > 0
    rows, cols = np.flatnonzero(reach.any(axis=1)), np.flatnonzero(reach.any(axis=0))
    if rows.size == 0:
        raise ValueError("the centre output does not depend on the input at all "
                         "(all gradients are zero)")
    if rows[0] == 0 or cols[0] == 0 or rows[-1] == size - 1 or cols[-1] == size - 1:
        raise ValueError(f"the receptive field reaches the border of the {size}×{size} "
                         "input: pass a larger size")
    return reach[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def plot_footprints(stacks: dict, *, size: float = 3.5, description: str | None = None):
    """Footprints of several layer stacks side by side, on one scale, with a legend.

    Every panel uses the same two colours (:data:`READ_COLOUR` for pixels the output
    reads, :data:`UNREAD_COLOUR` for pixels inside the field that it never reads) and is
    centred in a canvas as wide as the largest field, so that sizes compare directly.

    Parameters
    ----------
    stacks : dict
        Title → layers (as in :func:`footprint`).
    size : float
        Inches per panel.
    description : str, optional
        The text alternative; by default one is written from the numbers.

    Examples
    --------
    >>> fig = plot_footprints({"dilation 2, 2, 2": [(3, 1, 2)] * 3,
    ...                        "dilation 1, 2, 4": [(3, 1, 1), (3, 1, 2), (3, 1, 4)]})
    >>> [ax.get_title() for ax in fig.axes]
    ['dilation 2, 2, 2\\n49 of 169 read', 'dilation 1, 2, 4\\n225 of 225 read']
    >>> from cnnlab.figures import description_of
    >>> description_of(fig).startswith("Two square footprints")
    True
    """
    if not isinstance(stacks, dict) or not stacks:
        raise ValueError(f"stacks must be a non-empty dict of title → layers, got {stacks!r}")
    prints = {title: footprint(layers) for title, layers in stacks.items()}
    side = max(p.shape[0] for p in prints.values())
    fig, axes = plt.subplots(1, len(prints), figsize=(size * len(prints), size + 0.6),
                             squeeze=False)
    colours = ListedColormap(["white", UNREAD_COLOUR, READ_COLOUR])
    summary = []
    for ax, (title, reach) in zip(axes.flat, prints.items(), strict=True):
        canvas = np.zeros((side, side))
        start = (side - reach.shape[0]) // 2
        inside = slice(start, start + reach.shape[0])
        canvas[inside, inside] = 1 + reach
        ax.imshow(canvas, cmap=colours, vmin=0, vmax=2, interpolation="nearest")
        ax.add_patch(Rectangle((start - 0.5, start - 0.5), reach.shape[0], reach.shape[0],
                               fill=False, edgecolor="black", linewidth=1))
        # white lines between pixels, so that a fully read field still shows its pixels
        ax.set_xticks(np.arange(-0.5, side, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, side, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=0.6)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        read = int(reach.sum())
        ax.set_title(f"{title}\n{read} of {reach.size} read")
        summary.append(f"{title}: a {reach.shape[0]}×{reach.shape[0]} field, {read} of "
                       f"{reach.size} pixels read")
    fig.legend(handles=[Patch(color=READ_COLOUR, label="read by the output"),
                        Patch(facecolor=UNREAD_COLOUR, edgecolor="black", linewidth=0.5,
                              label="inside the field, never read")],
               loc="lower center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    plt.close(fig)
    count = {1: "One square footprint", 2: "Two square footprints",
             3: "Three square footprints"}.get(len(prints), f"{len(prints)} square footprints")
    return describe(fig, description or f"{count}, blue where the output reads an input "
                    f"pixel, light grey where it never does. " + "; ".join(summary) + ".")


def plot_receptive_field(layers: Iterable, names=None, *, description: str | None = None):
    """How one output's receptive field grows through a stack of layers (one axis).

    One row per level, the input at the bottom and the output on top. Each cell is drawn
    over the input pixels at the centre of its own field, so cells of deeper (strided)
    layers are farther apart; blue cells feed the one output on top.

    Parameters
    ----------
    layers : sequence
        As in :func:`footprint`.
    names : sequence of str, optional
        One label per layer (default: "k×k, stride s, dilation d").
    description : str, optional
        The text alternative; by default one is written from the numbers.

    Examples
    --------
    >>> fig = plot_receptive_field([3, 3, (2, 2), 3], ["conv", "conv", "pool", "conv"])
    >>> fig.axes[0].get_title()
    'one output reads 10 input pixels'
    """
    layers = _layers(layers)
    if not layers:
        raise ValueError("layers must hold at least one layer, got an empty list")
    if names is None:
        names = [f"{k}×{k}" + (f", stride {s}" if s > 1 else "")
                 + (f", dilation {d}" if d > 1 else "") for k, s, d in layers]
    names = list(names)
    if len(names) != len(layers):
        raise ValueError(f"names must have one entry per layer ({len(layers)}), got "
                         f"{len(names)}")
    field = ops.receptive_field(layers)
    levels = _positions(layers)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.32 * field + 3.0), 0.7 * len(levels) + 1.0))
    jump, reach = 1, 1
    labels = []
    for level, feeding in enumerate(levels):
        if level:
            k, stride, dilation = layers[level - 1]
            reach += (ops.effective_kernel_size(k, dilation) - 1) * jump
            jump *= stride
        cells = np.arange((field - reach) // jump + 1)
        for p in cells:
            centre = p * jump + (reach - 1) / 2
            colour = READ_COLOUR if p in feeding else UNREAD_COLOUR
            ax.add_patch(Rectangle((centre - 0.42, level - 0.35), 0.84, 0.7,
                                   facecolor=colour, edgecolor="black", linewidth=0.5))
        label = "input" if level == 0 else f"{names[level - 1]} (field {reach})"
        labels.append(label)
    ax.set_yticks(range(len(levels)), labels)
    ax.set_xlim(-0.7, field - 0.3)
    ax.set_ylim(-0.6, len(levels) - 0.4)
    ax.set_xticks(range(0, field, max(1, field // 10)))
    ax.set_xlabel("input pixel")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_title(f"one output reads {field} input pixels")
    growth = ", ".join(f"{label}" for label in labels[1:])
    return describe(_finished(fig), description or
                    f"Rows of cells, the input at the bottom and one output cell on top; "
                    f"blue cells feed that output. Layer by layer: {growth}; the top cell "
                    f"reads {field} input pixels.")
