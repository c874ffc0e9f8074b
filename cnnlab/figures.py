"""Every figure the notebooks show, big enough to project: matplotlib only.

- :func:`show_images` — pictures side by side (the base of the others).
- :func:`plot_filters`, :func:`plot_feature_maps` — what a CNN learned and computes
  (from :mod:`cnnlab.models`).
- :func:`plot_history`, :func:`plot_learning_curves` — training and data-efficiency curves.
- :func:`plot_confusion_matrix`, :func:`plot_mistakes` — evaluation
  (from :mod:`cnnlab.evaluation`).

Every function returns a figure that is already closed (detached from pyplot), so a
notebook shows it exactly once: as the value of the cell.

Every figure the course shows carries a text alternative: :func:`describe` attaches it,
and the notebook stores it beside the PNG (as the PNG's ``alt`` metadata and as the
``text/plain`` output), where screen readers, the static course's pages and slides
(``<img alt=…>``) and nbval read it.

Examples
--------
>>> import numpy as np
>>> from cnnlab import figures
>>> fig = figures.show_images([np.zeros((4, 4)), np.ones((4, 4))], ["zeros", "ones"])
>>> len(fig.axes)
2
"""

from __future__ import annotations

import functools
import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from cnnlab import evaluation, models
from cnnlab._validate import numeric_array, positive_int

__all__ = ["describe", "description_of", "show_images", "plot_filters", "plot_feature_maps",
           "plot_history", "plot_learning_curves", "plot_confusion_matrix", "plot_mistakes"]


def describe(fig, text: str):
    """Attach the text alternative ``text`` to ``fig`` and return ``fig``.

    When a notebook shows the figure, its output holds the PNG with ``text`` as the
    image's ``alt`` metadata and ``text`` as the plain-text output (instead of matplotlib's
    "<Figure size … with 3 Axes>"). Say what the figure shows and what to notice, as to
    someone who cannot see it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text : str
        One or two sentences, e.g. "Three grey images: the red, green and blue channels of
        the cat photo; the red one is brightest on the fur."

    Examples
    --------
    >>> fig = describe(show_images([np.eye(3)]), "A white diagonal line on black.")
    >>> description_of(fig)
    'A white diagonal line on black.'
    >>> data, metadata = fig._repr_mimebundle_()
    >>> sorted(data), metadata["image/png"]["alt"]
    (['image/png', 'text/plain'], 'A white diagonal line on black.')
    >>> describe(fig, "  ")
    Traceback (most recent call last):
    ...
    ValueError: text must be a non-empty description of what the figure shows, got '  '
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text must be a non-empty description of what the figure shows, "
                         f"got {text!r}")
    fig._cnnlab_description = " ".join(text.split())
    # IPython asks an object for _repr_mimebundle_ before its registered formatters, so an
    # attribute of this one figure replaces the inline backend's output for it only.
    fig._repr_mimebundle_ = functools.partial(_described_bundle, fig)
    return fig


def description_of(fig) -> str | None:
    """The text alternative attached by :func:`describe` (None when there is none)."""
    return getattr(fig, "_cnnlab_description", None)


def _described_bundle(fig, include=None, exclude=None):
    """The figure as the inline backend draws it, with its description as alt and text."""
    from IPython.core.pylabtools import print_figure

    text = description_of(fig)
    png = print_figure(fig, "png", bbox_inches="tight")
    return ({"image/png": png, "text/plain": text}, {"image/png": {"alt": text}})


def _finished(fig):
    """``fig`` laid out and detached from pyplot, so that it appears once, as a cell's value."""
    fig.tight_layout()
    plt.close(fig)
    return fig


def show_images(pictures, titles=None, *, cmap="gray", columns=None, size=3.0,
                signed=False, description: str | None = None):
    """Arrays side by side without axes, as a figure for the notebook to display.

    Parameters
    ----------
    pictures : sequence of arrays
        (H, W) and (H, W, 1) arrays are drawn with ``cmap``; (H, W, 3) uint8 arrays as
        colour photos.
    titles : sequence of str, optional
    cmap : str
        Colour map for 2-D arrays ("gray", "viridis", "cividis", …).
    columns : int, optional
        Pictures per row (default: all in one row, at most 5).
    size : float
        Inches per picture.
    signed : bool
        Centre a diverging colour map (RdBu) on 0 for 2-D arrays with negative values,
        so positive and negative responses read differently.
    description : str, optional
        The figure's text alternative (see :func:`describe`).

    Examples
    --------
    >>> fig = show_images([np.eye(3), -np.eye(3)], ["plus", "minus"], signed=True)
    >>> [ax.get_title() for ax in fig.axes], fig.axes[1].images[0].get_clim()
    (['plus', 'minus'], (-1.0, 1.0))
    """
    pictures = list(pictures)
    titles = list(titles) if titles is not None else [""] * len(pictures)
    if len(titles) != len(pictures):
        raise ValueError(f"titles must have one entry per picture ({len(pictures)}), "
                         f"got {len(titles)}")
    columns = columns or min(len(pictures), 5)
    rows = math.ceil(len(pictures) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, picture, title in zip(axes.flat, pictures, titles, strict=False):
        picture = np.asarray(picture)
        if picture.ndim == 3 and picture.shape[-1] == 1:
            picture = picture[..., 0]
        if picture.ndim == 2 and signed and picture.min() < 0:
            limit = np.abs(picture).max()
            ax.imshow(picture, cmap="RdBu_r", vmin=-limit, vmax=limit)
        elif picture.ndim == 2:
            ax.imshow(picture, cmap=cmap)
        else:
            ax.imshow(picture)
        ax.set_title(title)
    if description is not None:
        describe(fig, description)
    return _finished(fig)


def plot_filters(model, *, channel: int = 0, columns: int = 8, size: float = 1.2):
    """The first convolution's kernels (input ``channel``) as a grid of small pictures.

    Red = positive weight, blue = negative, white = 0 (one colour scale for all), so a
    kernel reads like the hand-made kernels of notebook 02.

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> fig = plot_filters(simple_cnn((28, 28, 1), 10, filters=(4, 8)))
    >>> [ax.get_title() for ax in fig.axes]
    ['filter 0', 'filter 1', 'filter 2', 'filter 3']
    """
    kernels = models.first_layer_filters(model)
    channel = positive_int("channel", channel, minimum=0)
    if channel >= kernels.shape[2]:
        raise ValueError(f"channel must lie in 0–{kernels.shape[2] - 1} (the input "
                         f"channels of the first convolution), got {channel}")
    limit = float(np.abs(kernels[:, :, channel]).max()) or 1.0
    pictures = [kernels[:, :, channel, f] for f in range(kernels.shape[3])]
    fig = show_images(pictures, [f"filter {f}" for f in range(len(pictures))],
                      cmap="RdBu_r", columns=min(columns, len(pictures)), size=size)
    for ax in fig.axes:
        for picture in ax.get_images():
            picture.set_clim(-limit, limit)
    return fig


def plot_feature_maps(model, image, layer_names=None, *, channels: int = 8,
                      strongest: bool = False, size: float = 1.4):
    """One row per layer: ``channels`` of its feature maps for one ``image``.

    The maps are :func:`cnnlab.models.feature_maps` (same ``model``, ``image`` and
    ``layer_names``). The first picture of a row is titled with the layer's name and the
    map's size, every picture with its channel number.

    Parameters
    ----------
    model : keras.Model
    image : array_like
        One image as the model takes it.
    layer_names : list of str, optional
        Default: every convolution and pooling layer (:func:`cnnlab.models.feature_layers`).
    channels : int
        Pictures per row; a layer with fewer channels leaves the rest of its row empty.
    strongest : bool
        Show each layer's most active channels (highest mean activation) instead of its
        first ones.
    size : float
        Inches per picture.

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> fig = plot_feature_maps(simple_cnn((28, 28, 1), 10), np.zeros((28, 28)), channels=4)
    >>> len(fig.axes), fig.axes[4].get_title()
    (16, 'pool1 (14×14) #0')
    """
    channels = positive_int("channels", channels)
    pictures, titles = [], []
    for name, stack in models.feature_maps(model, image, layer_names).items():
        order = (np.argsort(-stack.mean(axis=(0, 1)), kind="stable") if strongest
                 else np.arange(stack.shape[-1]))[:channels]
        for slot in range(channels):
            if slot < len(order):
                pictures.append(stack[..., order[slot]])
                label = f"{name} ({stack.shape[0]}×{stack.shape[1]}) " if slot == 0 else ""
                titles.append(f"{label}#{order[slot]}")
            else:
                pictures.append(np.zeros(stack.shape[:2]))
                titles.append("")
    return show_images(pictures, titles, cmap="viridis", columns=channels, size=size)


def plot_history(history, *, size: float = 4.0):
    """Loss and accuracy per epoch (training, and validation if recorded), side by side.

    ``history``: what :func:`cnnlab.models.train` / ``model.fit`` returns, or its
    ``.history`` dict.

    Examples
    --------
    >>> fig = plot_history({"loss": [0.9, 0.5], "accuracy": [0.6, 0.8]})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss', 'accuracy']
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict) or "loss" not in curves:
        raise TypeError("history must be a Keras History or its .history dict with a "
                        f"'loss' entry, got {type(history).__name__}")
    metrics = [m for m in ("loss", "accuracy") if m in curves]
    fig, axes = plt.subplots(1, len(metrics), figsize=(size * 1.4 * len(metrics), size),
                             squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=True):
        epochs = np.arange(1, len(curves[metric]) + 1)
        ax.plot(epochs, curves[metric], "o-", label="training")
        if f"val_{metric}" in curves:
            ax.plot(epochs, curves[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    return _finished(fig)


def plot_learning_curves(sizes, curves: dict, *, title: str = "", chance: float | None = None):
    """Mean accuracy (line) and the range over seeds (band) of each curve, log-scaled x.

    ``curves`` maps a label to the array returned by :func:`cnnlab.transfer.learning_curve`:
    one row per size, one column per seed.

    Examples
    --------
    >>> fig = plot_learning_curves([2, 5], {"transfer": [[0.7, 0.9], [0.9, 0.9]]}, chance=0.5)
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.8, 0.9]
    """
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for label, scores in curves.items():
        scores = np.asarray(scores)
        line, = ax.plot(sizes, scores.mean(axis=1), marker="o", label=label)
        ax.fill_between(sizes, scores.min(axis=1), scores.max(axis=1), alpha=0.2,
                        color=line.get_color())
    if chance is not None:
        ax.axhline(chance, color="gray", linestyle=":", label="chance")
    ax.set_xscale("log")
    ax.set_xticks(list(sizes), [str(n) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training examples per class")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return _finished(fig)


def plot_confusion_matrix(matrix, class_names=None, *, size: float = 6.0):
    """The matrix as a heat map with its counts written in the cells.

    Examples
    --------
    >>> fig = plot_confusion_matrix([[5, 1], [0, 7]], ["cat", "dog"])
    >>> sorted(text.get_text() for text in fig.axes[0].texts)
    ['0', '1', '5', '7']
    """
    matrix = numeric_array("matrix", matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    n = matrix.shape[0]
    names = list(class_names) if class_names is not None else [str(i) for i in range(n)]
    if len(names) != n:
        raise ValueError(f"class_names must have {n} entries, got {len(names)}")
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(n), names, rotation=45, ha="right")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    threshold = matrix.max() / 2
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(col, row, f"{count:g}", ha="center", va="center", fontsize=8,
                color="white" if count > threshold else "black")
    return _finished(fig)


def plot_mistakes(images, probabilities, y_true, class_names=None, *, count: int = 8,
                  columns: int = 4, size: float = 2.2):
    """The most confident mistakes (:func:`cnnlab.evaluation.confident_mistakes`), titled
    with their true and predicted classes.

    Examples
    --------
    >>> fig = plot_mistakes(np.zeros((2, 5, 5)), [[0.2, 0.8], [0.9, 0.1]], [0, 0],
    ...                     ["cat", "dog"])
    >>> fig.axes[0].get_title().splitlines()
    ['true: cat', 'said: dog (80%)']
    """
    images = np.asarray(images)
    indices = evaluation.confident_mistakes(probabilities, y_true, count)
    truth = np.asarray(y_true)
    probabilities = np.asarray(probabilities)
    name = (lambda i: class_names[i]) if class_names is not None else str
    titles = []
    for i in indices:
        guess = int(probabilities[i].argmax())
        titles.append(f"true: {name(int(truth[i]))}\nsaid: {name(guess)} "
                      f"({probabilities[i, guess]:.0%})")
    return show_images([images[i] for i in indices], titles,
                       columns=min(columns, max(len(indices), 1)), size=size)
