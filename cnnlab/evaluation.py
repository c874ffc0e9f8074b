"""How well a trained classifier does, and where it goes wrong (notebook 06).

- :func:`confusion_matrix` — counts of (true class, predicted class).
- :func:`most_confused` — the largest off-diagonal counts: which class is taken for which.
- :func:`confident_mistakes` — the wrong answers given with the most confidence.
- :func:`shifted`, :func:`shift_test` — accuracy on test images moved by a few pixels;
  :func:`shift_table` prints the results.

All but :func:`shift_test` are numpy only; :mod:`cnnlab.figures` draws their results.

Examples
--------
>>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2]).tolist()
[[1, 0, 0], [0, 1, 1], [0, 0, 1]]
>>> shifted(np.arange(9).reshape(1, 3, 3), cols=1)[0].tolist()
[[0, 0, 1], [0, 3, 4], [0, 6, 7]]
"""

from __future__ import annotations

import numpy as np

from cnnlab._validate import choice, keras_model, numeric_array, positive_int

__all__ = ["confusion_matrix", "most_confused", "confident_mistakes", "shifted", "shift_test",
           "shift_table"]


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


def most_confused(matrix, count: int = 3) -> list[tuple[int, int, int]]:
    """The ``count`` largest mistakes of a confusion matrix: (true, predicted, how often).

    Off-diagonal cells only, largest first (ties: in reading order, row by row).

    Parameters
    ----------
    matrix : square array of counts
        Row = true class, column = prediction, as from :func:`confusion_matrix`.
    count : int
        At most this many pairs (fewer if fewer cells are non-zero).

    Examples
    --------
    >>> most_confused([[5, 1, 0], [4, 3, 0], [0, 2, 9]], count=2)
    [(1, 0, 4), (2, 1, 2)]
    """
    counts = numeric_array("matrix", matrix)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"matrix must be square, got shape {counts.shape}")
    count = positive_int("count", count)
    off_diagonal = counts * (1 - np.eye(len(counts), dtype=counts.dtype))
    order = np.argsort(-off_diagonal, axis=None, kind="stable")[:count]
    rows, cols = np.unravel_index(order, counts.shape)
    return [(int(r), int(c), int(counts[r, c])) for r, c in zip(rows, cols, strict=True)
            if off_diagonal[r, c] > 0]


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


# ----------------------------------------------------------------------- shift test


def shifted(images, rows: int = 0, cols: int = 0) -> np.ndarray:
    """Images moved by ``rows`` down and ``cols`` right (negative: up / left), 0-filled.

    ``images``: (N, H, W) or (N, H, W, C). Pixels moved out of the frame are lost; the
    uncovered border is 0 (Fashion-MNIST's background).

    Examples
    --------
    >>> shifted(np.arange(1, 5).reshape(1, 2, 2), rows=-1)[0].tolist()
    [[3, 4], [0, 0]]
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

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> x, y = np.zeros((4, 8, 8), np.uint8), np.zeros(4, int)
    >>> results = shift_test({"cnn": simple_cnn((8, 8), 2)}, x, y, shifts=(0, 1))
    >>> list(results), len(results["cnn"])
    (['cnn'], 2)
    """
    choice("direction", direction, ("right", "down", "diagonal"))
    results = {name: [] for name in models}
    for shift in shifts:
        rows = shift if direction in ("down", "diagonal") else 0
        cols = shift if direction in ("right", "diagonal") else 0
        moved = shifted(x, rows, cols)
        for name, model in models.items():
            keras_model(f"models[{name!r}]", model)
            results[name].append(float(model.evaluate(moved, y, verbose=0)[1]))
    return results


def shift_table(results: dict, shifts) -> str:
    """:func:`shift_test`'s results as a text table: one row per model, one column per shift.

    Examples
    --------
    >>> print(shift_table({"CNN": [0.9, 0.85], "dense": [0.8, 0.5]}, shifts=[0, 2]))
    shift (px)     0     2
    CNN         0.90  0.85
    dense       0.80  0.50
    """
    shifts = [int(s) for s in shifts]
    if not isinstance(results, dict) or not results:
        raise TypeError(f"results must be shift_test's dict of name → accuracies, got "
                        f"{type(results).__name__}")
    width = max(len("shift (px)"), *(len(str(name)) for name in results))
    lines = ["shift (px)".ljust(width) + "".join(f"{s:>6d}" for s in shifts)]
    for name, accuracies in results.items():
        if len(accuracies) != len(shifts):
            raise ValueError(f"results[{name!r}] must hold one accuracy per shift "
                             f"({len(shifts)}), got {len(accuracies)}")
        lines.append(str(name).ljust(width) + "".join(f"{a:6.2f}" for a in accuracies))
    return "\n".join(lines)
