"""ReLU, softmax and cross-entropy: the three functions a classifier of notebook 06 ends in.

- :func:`relu` — the curve max(0, x): the activation after every convolution.
- :func:`softmax` — ten (or any) scores turned into probabilities that sum to 1.
- :func:`cross_entropy` — the training loss −log p of the true class's probability.

Each returns a closed figure with its text alternative (:func:`cnnlab.figures.describe`);
the numbers drawn are computed here in numpy and equal Keras' ``keras.activations.relu``,
``keras.activations.softmax`` and ``keras.losses.sparse_categorical_crossentropy``
(tested against them).

Examples
--------
>>> from cnnlab.diagrams import activations
>>> from cnnlab.figures import description_of
>>> fig = activations.softmax([2.0, 1.0, 0.1], ["shirt", "coat", "bag"])
>>> [round(float(bar.get_height()), 2) for bar in fig.axes[1].patches]
[0.66, 0.24, 0.1]
>>> description_of(fig).split(":")[0]
'Two bar charts'
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from cnnlab._validate import numeric_array
from cnnlab.figures import _finished, describe

__all__ = ["relu", "softmax", "cross_entropy", "softmax_probabilities"]


def softmax_probabilities(scores) -> np.ndarray:
    """exp(score) / sum of exp(scores), computed stably (the largest score subtracted first).

    Parameters
    ----------
    scores : 1-D array_like of float
        One score (logit) per class.

    Examples
    --------
    >>> softmax_probabilities([0.0, 0.0]).tolist()
    [0.5, 0.5]
    >>> softmax_probabilities([1000.0, 0.0]).round(3).tolist()   # no overflow
    [1.0, 0.0]
    """
    values = numeric_array("scores", scores).astype(np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"scores must be a 1-D sequence of at least 2 numbers (one per "
                         f"class), got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"scores must be finite numbers, got {values.tolist()}")
    exponentials = np.exp(values - values.max())
    return exponentials / exponentials.sum()


def relu(*, limit: float = 3.0):
    """The curve ReLU(x) = max(0, x) for x from −``limit`` to ``limit``.

    Examples
    --------
    >>> fig = relu(limit=2)
    >>> line = fig.axes[0].lines[0]
    >>> line.get_xdata()[[0, -1]].tolist(), line.get_ydata()[[0, -1]].tolist()
    ([-2.0, 2.0], [0.0, 2.0])
    """
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not limit > 0:
        raise ValueError(f"limit must be a number > 0, got {limit!r}")
    x = np.linspace(-limit, limit, 201)
    fig, ax = plt.subplots(figsize=(4.8, 3.6))
    ax.plot(x, np.maximum(x, 0.0), linewidth=3)
    ax.axhline(0, color="gray", linewidth=0.8)
    ax.axvline(0, color="gray", linewidth=0.8)
    ax.set_xlabel("input x (a weighted sum)")
    ax.set_ylabel("ReLU(x) = max(0, x)")
    ax.set_title("ReLU")
    ax.grid(alpha=0.3)
    describe(fig, f"A line graph of ReLU(x) = max(0, x) for x from −{limit:g} to {limit:g}: "
                  "flat at 0 for every negative input, then rising as the straight line "
                  "y = x. Negative sums are cut to 0, positive ones pass unchanged.")
    return _finished(fig)


def softmax(scores=(2.0, 1.0, 0.1), class_names=None):
    """Scores (left) and the probabilities softmax makes of them (right), as bar charts.

    Parameters
    ----------
    scores : 1-D array_like of float
        One score per class, e.g. a dense layer's outputs before the softmax.
    class_names : sequence of str, optional
        Bar labels (default: "class 0", "class 1", …).

    Examples
    --------
    >>> fig = softmax([0.0, 0.0, 0.0, 0.0])
    >>> [float(bar.get_height()) for bar in fig.axes[1].patches]
    [0.25, 0.25, 0.25, 0.25]
    """
    probabilities = softmax_probabilities(scores)
    values = np.asarray(scores, dtype=np.float64)
    names = ([f"class {i}" for i in range(values.size)] if class_names is None
             else [str(name) for name in class_names])
    if len(names) != values.size:
        raise ValueError(f"class_names must have one name per score ({values.size}), "
                         f"got {len(names)}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, heights, title, text in ((left, values, "scores", "{:.1f}"),
                                     (right, probabilities, "softmax: probabilities",
                                      "{:.2f}")):
        bars = ax.bar(names, heights, color="tab:blue" if ax is left else "tab:orange")
        ax.bar_label(bars, [text.format(h) for h in heights])
        ax.axhline(0, color="gray", linewidth=0.8)
        ax.set_title(title)
        ax.tick_params(axis="x", rotation=30)
    right.set_ylim(0, 1.1)
    pairs = ", ".join(f"{name} {score:g} → {p:.2f}"
                      for name, score, p in zip(names, values, probabilities, strict=True))
    describe(fig, f"Two bar charts: on the left the scores, on the right the probabilities "
                  f"softmax makes of them ({pairs}). The order stays the same, every "
                  "probability is positive and they sum to 1; a score one higher gets "
                  "e ≈ 2.7 times the probability.")
    return _finished(fig)


def cross_entropy(*, marks=(0.9, 0.5, 0.1)):
    """The loss −log p against p, the probability the network gives the true class.

    ``marks``: probabilities whose loss is marked with a dot and written next to it.

    Examples
    --------
    >>> fig = cross_entropy(marks=(0.5,))
    >>> [text.get_text() for text in fig.axes[0].texts]
    ['p = 0.5: loss 0.69']
    """
    marked = numeric_array("marks", marks).astype(np.float64).reshape(-1)
    if not np.all((marked > 0) & (marked <= 1)):
        raise ValueError(f"marks must be probabilities in (0, 1], got {marked.tolist()}")
    p = np.linspace(0.01, 1.0, 200)
    fig, ax = plt.subplots(figsize=(4.8, 3.6))
    ax.plot(p, -np.log(p), linewidth=3)
    for value in marked:
        ax.plot(value, -np.log(value), "o", color="tab:red")
        near_right_edge = value > 0.7          # write the label leftwards, inside the axes
        ax.annotate(f"p = {value:g}: loss {-np.log(value):.2f}", (value, -np.log(value)),
                    xytext=(-8 if near_right_edge else 8, 10), textcoords="offset points",
                    ha="right" if near_right_edge else "left")
    ax.set_xlabel("p: probability given to the true class")
    ax.set_ylabel("cross-entropy loss = −log p")
    ax.set_title("cross-entropy")
    ax.grid(alpha=0.3)
    points = ", ".join(f"{value:g} costs {-np.log(value):.2f}" for value in marked)
    describe(fig, f"A falling curve of the loss −log p for p from 0.01 to 1: zero when the "
                  f"network gives the true class probability 1, rising ever faster as p "
                  f"goes to 0 (p = {points}). Being sure and wrong costs the most.")
    return _finished(fig)
