"""The classic hand-made kernels (filters) and the patterns they respond to.

A CNN *learns* its kernels; these hand-made ones show what such kernels can find. Like
every CNN library, cnnlab slides kernels without flipping them (cross-correlation), so a
kernel responds most strongly where the image under it looks like the kernel itself.

Examples
--------
>>> from cnnlab import kernels
>>> kernels.names()[:3]
['identity', 'box_blur', 'gaussian']
>>> kernels.get("sobel_x")
array([[-1.,  0.,  1.],
       [-2.,  0.,  2.],
       [-1.,  0.,  1.]])
>>> kernels.describe("sobel_x")
'Vertical edges: dark on the left, bright on the right gives a large positive value.'
"""

from __future__ import annotations

import numpy as np

from ._validate import choice, positive_int

__all__ = ["names", "get", "describe", "identity", "box_blur", "gaussian", "sharpen",
           "sobel_x", "sobel_y", "laplacian", "emboss", "outline"]


def identity() -> np.ndarray:
    """No change: the output copies the pixel under the centre tap."""
    return np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float)


def box_blur(size: int = 3) -> np.ndarray:
    """Blur: each output is the plain average of its size×size neighbourhood.

    >>> box_blur(2)
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    size = positive_int("size", size)
    return np.full((size, size), 1.0 / size**2)


def gaussian(size: int = 3, sigma: float = 1.0) -> np.ndarray:
    """Smooth blur: a weighted average where nearer pixels count more (weights sum to 1).

    >>> gaussian(3, 1.0).round(3)
    array([[0.075, 0.124, 0.075],
           [0.124, 0.204, 0.124],
           [0.075, 0.124, 0.075]])
    """
    size = positive_int("size", size)
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or not sigma > 0:
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    offsets = np.arange(size) - (size - 1) / 2
    profile = np.exp(-(offsets**2) / (2 * sigma**2))
    weights = np.outer(profile, profile)
    return weights / weights.sum()


def sharpen() -> np.ndarray:
    """Sharpen: boosts a pixel against its four neighbours, so fine detail stands out."""
    return np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float)


def sobel_x() -> np.ndarray:
    """Vertical edges: dark on the left, bright on the right gives a large positive value."""
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float)


def sobel_y() -> np.ndarray:
    """Horizontal edges: dark above, bright below gives a large positive value."""
    return np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float)


def laplacian() -> np.ndarray:
    """Edges in every direction: zero on flat areas and smooth ramps, large at spots and lines."""
    return np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)


def emboss() -> np.ndarray:
    """Relief: brightness rising to the bottom-right looks raised, as if lit from above-left."""
    return np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float)


def outline() -> np.ndarray:
    """Outlines: a pixel that differs from all eight neighbours lights up; flat areas give 0."""
    return np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float)


_KERNELS = {
    function.__name__: function
    for function in (identity, box_blur, gaussian, sharpen, sobel_x, sobel_y, laplacian,
                     emboss, outline)
}


def names() -> list[str]:
    """Names of the classic kernels, in teaching order."""
    return list(_KERNELS)


def get(name: str, **options) -> np.ndarray:
    """A fresh float array of the named kernel; ``options`` go to its function (e.g. size).

    >>> get("box_blur", size=2).shape
    (2, 2)
    """
    return _KERNELS[choice("name", name, names())](**options)


def describe(name: str) -> str:
    """One sentence: the pattern the named kernel responds to."""
    return _KERNELS[choice("name", name, names())].__doc__.splitlines()[0]
