"""Argument checks shared by the public functions.

Every message names the argument, the value received and what is allowed, so that a
student's mistake never ends in a bare numpy traceback.
"""

from __future__ import annotations

import numbers

import numpy as np


def positive_int(name: str, value, *, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum``, else raise.

    >>> positive_int("stride", 2)
    2
    >>> positive_int("stride", 0)
    Traceback (most recent call last):
    ...
    ValueError: stride must be an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer >= {minimum}, got {value!r} ({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def int_pair(name: str, value, *, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints (rows, columns), each >= ``minimum``, as a pair.

    >>> int_pair("stride", 2)
    (2, 2)
    >>> int_pair("stride", (1, 3))
    (1, 3)
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be an integer or a pair (rows, columns), got {value!r} "
                f"with {len(value)} entries"
            )
        return tuple(positive_int(name, v, minimum=minimum) for v in value)
    return (positive_int(name, value, minimum=minimum),) * 2


def numeric_array(name: str, value) -> np.ndarray:
    """``value`` as a numpy array of numbers (bool, int, unsigned or float)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got a {type(value).__name__}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be an array of numbers (int or float), got dtype {array.dtype} "
            f"(e.g. {array.ravel()[:3].tolist()!r})"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return array


def choice(name: str, value, allowed) -> str:
    """``value`` if it is one of ``allowed`` (strings), else a ValueError listing them."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")
    return value


def keras_model(name: str, value):
    """``value`` if it is a Keras model (it has layers and predicts), else a TypeError.

    >>> keras_model("model", "my_model.keras")
    Traceback (most recent call last):
    ...
    TypeError: model must be a Keras model, got str
    """
    if not hasattr(value, "layers") or not hasattr(value, "predict"):
        raise TypeError(f"{name} must be a Keras model, got {type(value).__name__}")
    return value
