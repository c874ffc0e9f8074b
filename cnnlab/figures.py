"""Every figure the notebooks show, big enough to project: matplotlib only.

- :func:`show_images` — pictures side by side (the base of the others).
- :func:`plot_filters`, :func:`plot_feature_maps` — what a CNN learned and computes
  (from :mod:`cnnlab.models`).
- :func:`plot_history`, :func:`plot_learning_curves` — training and data-efficiency curves.
- :func:`plot_confusion_matrix`, :func:`plot_mistakes` — evaluation
  (from :mod:`cnnlab.evaluation`).
- :func:`plot_saliency` — where a network looks (from :mod:`cnnlab.saliency`).

Every function returns a figure that is already closed (detached from pyplot), so a
notebook shows it exactly once: as the value of the cell.

Every figure the course shows carries a text alternative: :func:`describe` attaches it,
and the notebook stores it beside the picture (as the picture's ``alt`` metadata and as
the ``text/plain`` output), where screen readers, the static course's pages and slides
(``<img alt=…>``) and nbval read it. Pictures are PNG, or JPEG when the figure shows
photographs (:func:`shows_photos`).

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
from cnnlab import images as _images
from cnnlab._validate import numeric_array, positive_int

__all__ = ["describe", "description_of", "show_images", "plot_filters", "plot_feature_maps",
           "plot_history", "plot_learning_curves", "plot_confusion_matrix", "plot_mistakes",
           "plot_saliency"]


def describe(fig, text: str):
    """Attach the text alternative ``text`` to ``fig`` and return ``fig``.

    When a notebook shows the figure, its output holds the picture (PNG, or JPEG for
    photographs) with ``text`` as the image's ``alt`` metadata and ``text`` as the
    plain-text output (instead of matplotlib's "<Figure size … with 3 Axes>"). Say what
    the figure shows and what to notice, as to someone who cannot see it.

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
    # IPython lets an object with _ipython_display_ show itself instead of running its
    # formatters (the inline backend's PNG among them), so an attribute of this one figure
    # replaces the inline backend's output for it only; _repr_mimebundle_ serves the rest.
    fig._repr_mimebundle_ = functools.partial(_described_bundle, fig)
    fig._ipython_display_ = functools.partial(_display_described, fig)
    return fig


def description_of(fig) -> str | None:
    """The text alternative attached by :func:`describe` (None when there is none)."""
    return getattr(fig, "_cnnlab_description", None)


#: A figure showing a colour picture at least this many pixels wide and high is stored as
#: JPEG: as PNG, ten flower photos weigh almost a megabyte of notebook.
PHOTO_PIXELS = 64


def shows_photos(fig) -> bool:
    """Whether ``fig`` draws a colour photograph (an RGB image of ≥ PHOTO_PIXELS per side).

    >>> shows_photos(show_images([np.zeros((80, 80, 3), np.uint8)]))
    True
    >>> shows_photos(show_images([np.zeros((80, 80))])), shows_photos(show_images(
    ...     [np.zeros((8, 8, 3), np.uint8)]))
    (False, False)
    """
    return any(image.get_array() is not None and image.get_array().ndim == 3
               and min(image.get_array().shape[:2]) >= PHOTO_PIXELS
               for ax in fig.axes for image in ax.get_images())


def _described_bundle(fig, include=None, exclude=None):
    """The figure as the inline backend draws it, with its description as alt and text;
    photographs as JPEG (a tenth of the PNG's size), everything else as PNG (sharp lines)."""
    from IPython.core.pylabtools import print_figure

    text = description_of(fig)
    if shows_photos(fig):
        mime, data = "image/jpeg", print_figure(fig, "jpeg", bbox_inches="tight",
                                                pil_kwargs={"quality": 85})
    else:
        mime, data = "image/png", print_figure(fig, "png", bbox_inches="tight")
    return ({mime: data, "text/plain": text}, {mime: {"alt": text}})


def _display_described(fig):
    from IPython.display import publish_display_data

    data, metadata = _described_bundle(fig)
    publish_display_data(data, metadata)


def _given_or(description: str | None, default: str) -> str:
    """The caller's ``description`` (checked by :func:`describe`), else the figure's own."""
    return default if description is None else description


def _finished(fig):
    """``fig`` laid out and detached from pyplot, so that it appears once, as a cell's value."""
    fig.tight_layout()
    plt.close(fig)
    return fig


def show_images(pictures, titles=None, *, cmap="gray", columns=None, size=3.0,
                signed=False, description: str | None = None, vmin=None, vmax=None,
                colorbar: bool | None = None, frame: bool = False):
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
    vmin, vmax : float, optional
        One fixed scale for every 2-D picture (e.g. 0 and 255 for intensities), instead of
        stretching each picture to its own range.
    colorbar : bool, optional
        A colour bar beside each 2-D picture, so a colour reads as a number. Default: on
        for ``signed`` pictures and when ``vmin``/``vmax`` are given, off otherwise.
    frame : bool
        A thin grey frame round each picture, so a white picture stays visible on a
        white page.

    Examples
    --------
    >>> fig = show_images([np.eye(3), -np.eye(3)], ["plus", "minus"], signed=True)
    >>> [ax.get_title() for ax in fig.axes[:2]], fig.axes[1].images[0].get_clim()
    (['plus', 'minus'], (-1.0, 1.0))
    >>> len(fig.axes)                   # two pictures, each with its colour bar
    4
    >>> fig = show_images([np.eye(3)], vmin=0, vmax=255)
    >>> fig.axes[0].images[0].get_clim()
    (0.0, 255.0)
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
    if colorbar is None:
        colorbar = signed or vmin is not None or vmax is not None
    for ax in axes.flat:
        ax.axis("off")
    for ax, picture, title in zip(axes.flat, pictures, titles, strict=False):
        picture = np.asarray(picture)
        if picture.ndim == 3 and picture.shape[-1] == 1:
            picture = picture[..., 0]
        if picture.ndim == 2 and signed and picture.min() < 0:
            limit = np.abs(picture).max()
            shown = ax.imshow(picture, cmap="RdBu_r", vmin=-limit, vmax=limit)
        elif picture.ndim == 2:
            shown = ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=vmax)
        else:
            shown = ax.imshow(picture)
        if colorbar and picture.ndim == 2:
            fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        if frame:
            ax.axis("on")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_edgecolor("0.5")
        ax.set_title(title)
    if description is not None:
        describe(fig, description)
    return _finished(fig)


def plot_filters(model, *, channel: int = 0, columns: int = 8, size: float = 1.2,
                 description: str | None = None):
    """The first convolution's kernels (input ``channel``) as a grid of small pictures.

    Red = positive weight, blue = negative, white = 0 (one colour scale for all), so a
    kernel reads like the hand-made kernels of notebook 02. The figure's text alternative
    (:func:`describe`) is ``description`` or, by default, says how many kernels of which
    size, and which holds the largest weight.

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> fig = plot_filters(simple_cnn((28, 28, 1), 10, filters=(4, 8)))
    >>> [ax.get_title() for ax in fig.axes]
    ['filter 0', 'filter 1', 'filter 2', 'filter 3']
    >>> description_of(fig)[:62]
    'The 4 kernels (3×3) of the first convolution, input channel 0:'
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
    strongest = int(np.abs(kernels[:, :, channel]).max(axis=(0, 1)).argmax())
    return describe(fig, _given_or(description,
        f"The {len(pictures)} kernels ({kernels.shape[0]}×{kernels.shape[1]}) of the first "
        f"convolution, input channel {channel}: red squares are positive weights, blue "
        f"negative, white zero; the largest weight ({limit:.2g} in size) is in filter "
        f"{strongest}."))


def plot_feature_maps(model, image, layer_names=None, *, channels: int = 8,
                      strongest: bool = False, size: float = 1.4,
                      description: str | None = None):
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
    description : str, optional
        The text alternative (:func:`describe`); by default each row's layer, map size and
        most active channel.

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> fig = plot_feature_maps(simple_cnn((28, 28, 1), 10), np.zeros((28, 28)), channels=4)
    >>> len(fig.axes), fig.axes[4].get_title()
    (16, 'pool1 (14×14) #0')
    >>> description_of(fig)[:58]
    'Feature maps of one image, one row per layer (4 channels a'
    """
    channels = positive_int("channels", channels)
    pictures, titles, rows = [], [], []
    for name, stack in models.feature_maps(model, image, layer_names).items():
        means = stack.mean(axis=(0, 1))
        rows.append(f"{name}, {stack.shape[0]}×{stack.shape[1]} with {stack.shape[-1]} "
                    f"channels, most active #{int(means.argmax())} (mean {means.max():.2g})")
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
    which = "most active" if strongest else "first"
    return show_images(pictures, titles, cmap="viridis", columns=channels, size=size,
                       description=_given_or(description,
                           f"Feature maps of one image, one row per layer ({channels} "
                           f"channels a row, the {which}; bright = strong response): "
                           + "; ".join(rows) + "."))


def plot_history(history, *, size: float = 4.0, description: str | None = None):
    """Loss and accuracy per epoch (training, and validation if recorded), side by side.

    ``history``: what :func:`cnnlab.models.train` / ``model.fit`` returns, or its
    ``.history`` dict. The text alternative (:func:`describe`) is ``description`` or, by
    default, where each curve starts and ends.

    Examples
    --------
    >>> fig = plot_history({"loss": [0.9, 0.5], "accuracy": [0.6, 0.8]})
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['loss', 'accuracy']
    >>> print(description_of(fig))  # doctest: +NORMALIZE_WHITESPACE
    Loss and accuracy over 2 epochs: training loss from 0.9 to 0.5; training accuracy
    from 0.6 to 0.8.
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
    ends = [f"{kind} {metric} from {curves[key][0]:.2g} to {curves[key][-1]:.2g}"
            for metric in metrics for kind, key in (("training", metric),
                                                     ("validation", f"val_{metric}"))
            if key in curves]
    return describe(_finished(fig), _given_or(description,
        f"{' and '.join(metrics).capitalize()} over {len(curves['loss'])} epochs: "
        + "; ".join(ends) + "."))


def plot_learning_curves(sizes, curves: dict, *, title: str = "", chance: float | None = None,
                         description: str | None = None):
    """Mean accuracy (line) and the range over seeds (band) of each curve, log-scaled x.

    ``curves`` maps a label to the array returned by :func:`cnnlab.transfer.learning_curve`:
    one row per size, one column per seed (draw). The shaded band reaches from the lowest
    to the highest accuracy over the draws. ``description`` is the text alternative
    (:func:`describe`); by default it names each curve's mean at the smallest and the
    largest size and says what the line and the band are.

    Examples
    --------
    >>> fig = plot_learning_curves([2, 5], {"transfer": [[0.7, 0.9], [0.9, 0.9]]}, chance=0.5)
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.8, 0.9]
    >>> print(description_of(fig))  # doctest: +NORMALIZE_WHITESPACE
    Test accuracy against training examples per class (2 to 5, log scale). transfer: 0.80
    at 2, 0.90 at 5. Each line is the mean over 2 draws of training examples; its shaded
    band reaches from the lowest to the highest draw. Dotted line: chance, 0.50.
    """
    fig, ax = plt.subplots(figsize=(7, 4.2))
    summaries = []
    for label, scores in curves.items():
        scores = np.asarray(scores)
        line, = ax.plot(sizes, scores.mean(axis=1), marker="o", label=label)
        ax.fill_between(sizes, scores.min(axis=1), scores.max(axis=1), alpha=0.2,
                        color=line.get_color())
        summaries.append(f"{label}: {scores[0].mean():.2f} at {sizes[0]}, "
                         f"{scores[-1].mean():.2f} at {sizes[-1]}.")
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
    if description is None:
        draws = {np.asarray(scores).shape[1] for scores in curves.values()}
        description = " ".join([
            f"Test accuracy against training examples per class ({sizes[0]} to {sizes[-1]}, "
            "log scale).", *summaries,
            f"Each line is the mean over {'/'.join(map(str, sorted(draws)))} draws of "
            "training examples; its shaded band reaches from the lowest to the highest draw.",
            *([f"Dotted line: chance, {chance:.2f}."] if chance is not None else [])])
    return describe(_finished(fig), description)


def plot_confusion_matrix(matrix, class_names=None, *, size: float = 6.0,
                          description: str | None = None):
    """The matrix as a heat map with its counts written in the cells.

    Rows are the true classes, columns the predicted ones. The text alternative
    (:func:`describe`) is ``description`` or, by default, the accuracy (the diagonal's
    share) and the most frequent confusion.

    Examples
    --------
    >>> fig = plot_confusion_matrix([[5, 1], [0, 7]], ["cat", "dog"])
    >>> sorted(text.get_text() for text in fig.axes[0].texts)
    ['0', '1', '5', '7']
    >>> print(description_of(fig))  # doctest: +NORMALIZE_WHITESPACE
    Confusion matrix of 2 classes over 13 examples (rows: true class, columns: predicted):
    12 on the diagonal, accuracy 92%; most confused: cat taken for dog 1 time.
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
    off = np.where(np.eye(n, dtype=bool), -np.inf, matrix)
    row, col = np.unravel_index(np.argmax(off), off.shape)
    total, right = matrix.sum(), np.trace(matrix)
    confused = (f"most confused: {names[row]} taken for {names[col]} {matrix[row, col]:g} "
                f"time{'s' if matrix[row, col] != 1 else ''}" if n > 1 and off.max() > 0
                else "no confusion")
    return describe(_finished(fig), _given_or(description,
        f"Confusion matrix of {n} classes over {total:g} examples (rows: true class, "
        f"columns: predicted): {right:g} on the diagonal, accuracy "
        f"{right / total if total else 0:.0%}; {confused}."))


def plot_mistakes(images, probabilities, y_true, class_names=None, *, count: int = 8,
                  columns: int = 4, size: float = 2.2, description: str | None = None):
    """The most confident mistakes (:func:`cnnlab.evaluation.confident_mistakes`), titled
    with their true and predicted classes.

    The text alternative (:func:`describe`) is ``description`` or, by default, the titles
    in words.

    Examples
    --------
    >>> fig = plot_mistakes(np.zeros((2, 5, 5)), [[0.2, 0.8], [0.9, 0.1]], [0, 0],
    ...                     ["cat", "dog"])
    >>> fig.axes[0].get_title().splitlines()
    ['true: cat', 'said: dog (80%)']
    >>> description_of(fig)
    'The 1 most confident mistake of the model: a cat taken for a dog (80%).'
    """
    images = np.asarray(images)
    indices = evaluation.confident_mistakes(probabilities, y_true, count)
    truth = np.asarray(y_true)
    probabilities = np.asarray(probabilities)
    name = (lambda i: class_names[i]) if class_names is not None else str
    titles, words = [], []
    for i in indices:
        guess = int(probabilities[i].argmax())
        titles.append(f"true: {name(int(truth[i]))}\nsaid: {name(guess)} "
                      f"({probabilities[i, guess]:.0%})")
        words.append(f"a {name(int(truth[i]))} taken for a {name(guess)} "
                     f"({probabilities[i, guess]:.0%})")
    many = "s" if len(indices) != 1 else ""
    return show_images([images[i] for i in indices], titles,
                       columns=min(columns, max(len(indices), 1)), size=size,
                       description=_given_or(description,
                           f"The {len(indices)} most confident mistake{many} of the model: "
                           + (", ".join(words) if words else "none") + "."))


def _picture_axis(ax, image: np.ndarray) -> None:
    """Draw ``image``: one channel in gray over its own range, colour by as_rgb's rules."""
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim == 2:
        ax.imshow(image, cmap="gray")
    else:
        ax.imshow(_images.as_rgb(image))
    ax.axis("off")


def plot_saliency(image, heatmap, *, title: str = "", description: str | None = None,
                  cmap: str = "magma", alpha: float = 0.6, size: float = 3.5):
    """The image, and the image under a heat map of where the network looks.

    Parameters
    ----------
    image : array_like
        The picture, (H, W), (H, W, 1) or (H, W, 3): 0–255 integers or 0.0–1.0 floats in
        colour; a one-channel image is drawn in gray over its own range. Pass the photo,
        not a backbone's preprocessed input.
    heatmap : array_like
        (h, w) values in 0–1, e.g. :func:`cnnlab.saliency.grad_cam`; stretched over the
        image when its size differs (a 224×224 map over the 448×448 photo it was made
        from), so both must show the same region, in the same proportions.
    title : str
        Title over the pair (e.g. the class explained).
    description : str, optional
        The text alternative; default: what the figure shows and where most of the heat
        lies (:func:`cnnlab.saliency.where_heat_lies`).
    cmap : str
        Colour map of the heat, perceptually uniform and colour-blind safe by default
        ("magma"; "cividis", "viridis" too).
    alpha : float
        Opacity of the heat map over the image.
    size : float
        Inches per picture.

    Examples
    --------
    >>> heat = np.zeros((8, 8)); heat[:3, :3] = 1
    >>> fig = plot_saliency(np.zeros((8, 8)), heat, title="class 1")
    >>> [ax.get_title() for ax in fig.axes[:2]], fig.axes[2].get_ylabel()
    (['image', 'where the network looks'], 'heat (1 = the most)')
    >>> description_of(fig).split(". ")[-1]
    'All of the heat (100%) lies in the upper-left ninth of the image.'
    """
    from cnnlab import saliency

    picture = numeric_array("image", image)
    heat = numeric_array("heatmap", heatmap).astype(np.float32)
    where = saliency.where_heat_lies(heat)          # also checks: 2-D, values >= 0
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must lie in (0, 1], got {alpha!r}")
    height, width = picture.shape[:2]
    if abs(heat.shape[0] / heat.shape[1] - height / width) > 0.02 * height / width:
        raise ValueError(
            f"heatmap ({heat.shape[0]}×{heat.shape[1]}) and image ({height}×{width}) must "
            "have the same proportions: pass the part of the image that the model saw "
            "(pretrained.preprocess cuts the central square: pretrained.as_seen(photo) "
            "gives it)")
    fig, (left, right) = plt.subplots(1, 2, figsize=(2 * size + 0.8, size))
    _picture_axis(left, picture)
    _picture_axis(right, picture)
    left.set_title("image")
    right.set_title("where the network looks")
    # extent: the heat map covers the picture exactly, whatever its own resolution
    shown = right.imshow(heat, cmap=cmap, alpha=alpha, vmin=0, vmax=max(1.0, heat.max()),
                         extent=(-0.5, width - 0.5, height - 0.5, -0.5),
                         interpolation="bilinear")
    colorbar = fig.colorbar(shown, ax=right, fraction=0.046, pad=0.04)
    colorbar.set_label("heat (1 = the most)")
    if title:
        fig.suptitle(title)
    if description is None:
        description = (f"{title + ': ' if title else ''}the image, and beside it the same "
                       f"image under a heat map of where the network looks ({cmap}: dark = "
                       f"little influence on the class, bright = the most). "
                       f"{where[0].upper()}{where[1:]}.")
    describe(fig, description)
    return _finished(fig)
