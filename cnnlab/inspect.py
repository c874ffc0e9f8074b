"""What a trained CNN learned, and where it goes wrong.

- :func:`first_layer_filters`, :func:`plot_filters` — the learned kernels of the first
  convolution.
- :func:`feature_maps`, :func:`plot_feature_maps` — one image's activations at every
  convolution and pooling layer (the widget: :class:`cnnlab.widgets.FeatureMapExplorer`).
- :func:`plot_history` — training curves.
- :func:`confusion_matrix`, :func:`plot_confusion_matrix`, :func:`confident_mistakes`,
  :func:`plot_mistakes` — evaluation.
- :func:`shifted`, :func:`shift_test` — accuracy on test images moved by a few pixels.

TensorFlow is imported lazily (through :mod:`cnnlab._tf`) by the functions that run a
model; the numpy ones (:func:`confusion_matrix`, :func:`confident_mistakes`,
:func:`shifted`) need none.

Examples
--------
>>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2]).tolist()
[[1, 0, 0], [0, 1, 1], [0, 0, 1]]
>>> shifted(np.arange(9).reshape(1, 3, 3), cols=1)[0].tolist()
[[0, 0, 1], [0, 3, 4], [0, 6, 7]]
"""

from __future__ import annotations

import numpy as np

from cnnlab import plots
from cnnlab._tf import keras as _keras
from cnnlab._validate import numeric_array, positive_int

__all__ = ["first_layer_filters", "plot_filters", "feature_layers", "feature_maps",
           "plot_feature_maps", "plot_history", "confusion_matrix",
           "plot_confusion_matrix", "confident_mistakes", "plot_mistakes", "shifted",
           "shift_test"]


def _check_model(model):
    if not hasattr(model, "layers") or not hasattr(model, "predict"):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")


# --------------------------------------------------------------------------- filters


def first_layer_filters(model) -> np.ndarray:
    """The kernels of the model's first ``Conv2D`` layer, Keras layout (kh, kw, C, F).

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> first_layer_filters(simple_cnn((28, 28, 1), 10)).shape
    (3, 3, 1, 16)
    """
    _check_model(model)
    conv = _keras().layers.Conv2D
    for layer in model.layers:
        if isinstance(layer, conv):
            return np.asarray(layer.get_weights()[0])
    raise ValueError(f"model {model.name!r} has no Conv2D layer")


def plot_filters(model, *, channel: int = 0, columns: int = 8, size: float = 1.2):
    """The first convolution's kernels (input ``channel``) as a grid of small pictures.

    Red = positive weight, blue = negative, white = 0 (one colour scale for all), so a
    kernel reads like the hand-made kernels of notebook 02.
    """
    kernels = first_layer_filters(model)
    channel = positive_int("channel", channel, minimum=0)
    if channel >= kernels.shape[2]:
        raise ValueError(f"channel must lie in 0–{kernels.shape[2] - 1} (the input "
                         f"channels of the first convolution), got {channel}")
    limit = float(np.abs(kernels[:, :, channel]).max()) or 1.0
    pictures = [kernels[:, :, channel, f] for f in range(kernels.shape[3])]
    fig = plots.show_images(pictures, [f"filter {f}" for f in range(len(pictures))],
                            cmap="RdBu_r", columns=min(columns, len(pictures)), size=size)
    for ax in fig.axes:
        for picture in ax.get_images():
            picture.set_clim(-limit, limit)
    return fig


# ---------------------------------------------------------------------- feature maps


def feature_layers(model) -> list:
    """The model's convolution and pooling layers, in order."""
    _check_model(model)
    layers = _keras().layers
    kinds = (layers.Conv2D, layers.MaxPooling2D, layers.AveragePooling2D)
    return [layer for layer in model.layers if isinstance(layer, kinds)]


def _one_image(model, image) -> np.ndarray:
    """``image`` as a batch of one, checked against the model's input shape."""
    array = numeric_array("image", image)
    expected = tuple(model.inputs[0].shape[1:])
    given = array.shape
    if array.ndim == len(expected) - 1 and expected[-1] == 1:
        array = array[..., None]                    # (H, W) grayscale → (H, W, 1)
    if array.shape != expected:
        one_channel = f" (or {expected[:2]} for one channel)" if expected[-1] == 1 else ""
        raise ValueError(f"image must have the model's input shape {expected}{one_channel}, "
                         f"got shape {given}")
    return array[None].astype(np.float32)


def feature_maps(model, image) -> dict:
    """One image's activations at every convolution and pooling layer.

    Parameters
    ----------
    model : keras.Model
        Built with ``keras.Input`` (e.g. :func:`cnnlab.models.simple_cnn`).
    image : array_like
        One image as the model takes it (raw 0-255 pixels for simple_cnn); ``(H, W)``
        is accepted for one-channel models.

    Returns
    -------
    dict
        Layer name → float32 array (H, W, channels), in layer order.

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> maps = feature_maps(simple_cnn((28, 28, 1), 10), np.zeros((28, 28)))
    >>> {name: m.shape for name, m in maps.items()}
    {'conv1': (28, 28, 16), 'pool1': (14, 14, 16), 'conv2': (14, 14, 32), 'pool2': (7, 7, 32)}
    """
    _check_model(model)
    batch = _one_image(model, image)
    layers = feature_layers(model)
    if not layers:
        raise ValueError(f"model {model.name!r} has no convolution or pooling layer")
    keras = _keras()
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in layers])
    outputs = probe(batch, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return {layer.name: np.asarray(out)[0] for layer, out in zip(layers, outputs, strict=True)}


def plot_feature_maps(model, image, *, channels: int = 8, size: float = 1.4):
    """A grid: one row per conv/pool layer, its first ``channels`` feature maps."""
    channels = positive_int("channels", channels)
    maps = feature_maps(model, image)
    pictures, titles = [], []
    for name, stack in maps.items():
        for c in range(channels):
            if c < stack.shape[-1]:
                pictures.append(stack[..., c])
                titles.append(f"{name} · {c}")
            else:
                pictures.append(np.zeros(stack.shape[:2]))
                titles.append("")
    return plots.show_images(pictures, titles, cmap="viridis", columns=channels, size=size)


# ------------------------------------------------------------------------ evaluation


def plot_history(history, *, size: float = 4.0):
    """Loss and accuracy per epoch (training, and validation if recorded), side by side.

    ``history``: what :func:`cnnlab.models.train` / ``model.fit`` returns, or its
    ``.history`` dict.
    """
    import matplotlib.pyplot as plt

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
    fig.tight_layout()
    plt.close(fig)
    return fig


def _labels(name: str, values) -> np.ndarray:
    array = numeric_array(name, values)
    if array.ndim != 1 or array.dtype.kind == "f" and not np.all(array == np.round(array)):
        raise ValueError(f"{name} must be a 1-D array of integer class labels, got "
                         f"shape {array.shape}, dtype {array.dtype}")
    if array.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0, got {array.min()}")
    return array.astype(np.int64)


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Counts of (true class, predicted class): row = truth, column = prediction.

    Same layout as ``tf.math.confusion_matrix``; the diagonal holds the correct answers.

    Parameters
    ----------
    y_true, y_pred : 1-D arrays of int labels, same length
    num_classes : int, optional
        Size of the matrix (default: largest label + 1).

    Examples
    --------
    >>> confusion_matrix([0, 0, 1], [0, 1, 1], num_classes=3).tolist()
    [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    """
    truth, predicted = _labels("y_true", y_true), _labels("y_pred", y_pred)
    if truth.shape != predicted.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {truth.size} "
                         f"and {predicted.size}")
    largest = int(max(truth.max(), predicted.max())) + 1
    size = largest if num_classes is None else positive_int("num_classes", num_classes)
    if size < largest:
        raise ValueError(f"num_classes must exceed every label, got {size} with a label "
                         f"{largest - 1}")
    matrix = np.zeros((size, size), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    return matrix


def plot_confusion_matrix(matrix, class_names=None, *, size: float = 6.0):
    """The matrix as a heat map with its counts written in the cells."""
    import matplotlib.pyplot as plt

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
    fig.tight_layout()
    plt.close(fig)
    return fig


def confident_mistakes(probabilities, y_true, count: int = 8) -> np.ndarray:
    """Indices of the wrong predictions made with the highest confidence, most first.

    Parameters
    ----------
    probabilities : array (N, classes)
        E.g. ``model.predict(x_test)``.
    y_true : array (N,)
        True labels.
    count : int
        At most this many indices (fewer if there are fewer mistakes).

    Examples
    --------
    >>> p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    >>> confident_mistakes(p, [0, 0, 1, 1]).tolist()      # 1 (0.8 sure), then 2 (0.6)
    [1, 2]
    """
    probabilities = numeric_array("probabilities", probabilities)
    truth = _labels("y_true", y_true)
    if probabilities.ndim != 2 or probabilities.shape[0] != truth.size:
        raise ValueError(f"probabilities must have shape (N, classes) with N = len(y_true) "
                         f"= {truth.size}, got {probabilities.shape}")
    count = positive_int("count", count)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != truth)
    confidence = probabilities[wrong, predicted[wrong]]
    order = np.argsort(-confidence, kind="stable")
    return wrong[order[:count]]


def plot_mistakes(images, probabilities, y_true, class_names=None, *, count: int = 8,
                  columns: int = 4, size: float = 2.2):
    """The most confident mistakes with their true and predicted classes."""
    images = np.asarray(images)
    indices = confident_mistakes(probabilities, y_true, count)
    truth = np.asarray(y_true)
    probabilities = np.asarray(probabilities)
    name = (lambda i: class_names[i]) if class_names is not None else str
    titles = []
    for i in indices:
        guess = int(probabilities[i].argmax())
        titles.append(f"true: {name(int(truth[i]))}\nsaid: {name(guess)} "
                      f"({probabilities[i, guess]:.0%})")
    pictures = [images[i][..., 0] if images[i].ndim == 3 and images[i].shape[-1] == 1
                else images[i] for i in indices]
    return plots.show_images(pictures, titles, columns=min(columns, max(len(pictures), 1)),
                             size=size)


# ----------------------------------------------------------------------- shift test


def shifted(images, rows: int = 0, cols: int = 0) -> np.ndarray:
    """Images moved by ``rows`` down and ``cols`` right (negative: up / left), 0-filled.

    ``images``: (N, H, W) or (N, H, W, C). Pixels moved out of the frame are lost; the
    uncovered border is 0 (Fashion-MNIST's background).
    """
    array = numeric_array("images", images)
    if array.ndim not in (3, 4):
        raise ValueError(f"images must be (N, H, W) or (N, H, W, C), got shape {array.shape}")
    for name, value, limit in (("rows", rows, array.shape[1]), ("cols", cols, array.shape[2])):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        if abs(value) >= limit:
            raise ValueError(f"{name} must lie between -{limit - 1} and {limit - 1}, "
                             f"got {value}")
    out = np.zeros_like(array)
    height, width = array.shape[1:3]
    source = array[:, max(0, -rows):height - max(0, rows), max(0, -cols):width - max(0, cols)]
    out[:, max(0, rows):max(0, rows) + source.shape[1],
        max(0, cols):max(0, cols) + source.shape[2]] = source
    return out


def shift_test(models: dict, x, y, shifts=(0, 1, 2, 3, 4), *, direction: str = "right"):
    """Accuracy of each model on ``x`` shifted by each of ``shifts`` pixels.

    Parameters
    ----------
    models : dict
        Name → compiled Keras model with an ``accuracy`` metric.
    x, y : arrays
        Test images (as the models take them) and labels.
    shifts : sequence of int
        Pixels to move.
    direction : {"right", "down", "diagonal"}

    Returns
    -------
    dict
        Name → list of accuracies, one per shift.
    """
    from cnnlab._validate import choice

    choice("direction", direction, ("right", "down", "diagonal"))
    results = {name: [] for name in models}
    for shift in shifts:
        rows = shift if direction in ("down", "diagonal") else 0
        cols = shift if direction in ("right", "diagonal") else 0
        moved = shifted(x, rows, cols)
        for name, model in models.items():
            _check_model(model)
            results[name].append(float(model.evaluate(moved, y, verbose=0)[1]))
    return results
