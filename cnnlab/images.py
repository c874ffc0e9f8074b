"""Images as a computer sees them: H×W×3 arrays of 0–255 intensities.

The sample photographs are public-domain pictures that scikit-image ships inside its
package, so the course needs no download.

Examples
--------
>>> from cnnlab import images
>>> cat = images.sample("cat")
>>> cat.shape, cat.dtype
((300, 451, 3), dtype('uint8'))
>>> red, green, blue = images.split_channels(cat)
>>> red.shape
(300, 451)
>>> images.to_grayscale(cat).shape
(300, 451)
>>> images.resize(cat, (30, 45)).shape
(30, 45, 3)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from ._validate import choice, int_pair, numeric_array, positive_int

__all__ = ["SAMPLES", "LUMA_WEIGHTS", "sample_names", "sample", "as_rgb", "to_float",
           "round_to_uint8", "to_grayscale", "resize", "downscale", "split_channels"]

#: Course name → (scikit-image loader, what it shows).
SAMPLES = {
    "cat": ("chelsea", "Chelsea the cat"),
    "person": ("astronaut", "Astronaut Eileen Collins (NASA)"),
    "coffee": ("coffee", "A cup of coffee (Rachel Michetti)"),
    "rocket": ("rocket", "A SpaceX Falcon 9 rocket at launch"),
    "cameraman": ("camera", "The cameraman, a classic grayscale test photo"),
    "horse": ("horse", "A horse's silhouette (black and white)"),
}

#: ITU-R BT.601 luma weights (R, G, B), the same as Pillow's convert("L")
#: (tf.image.rgb_to_grayscale uses 0.2989 for red): how bright a colour looks.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])

_FILTERS = {
    "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
    "nearest": Image.Resampling.NEAREST,
}


def sample_names() -> list[str]:
    """Names accepted by :func:`sample`."""
    return list(SAMPLES)


def sample(name: str) -> np.ndarray:
    """A sample photograph as a ``uint8`` array of shape (H, W, 3).

    >>> sample("coffee").shape
    (400, 600, 3)
    """
    import skimage.data  # imported here: scikit-image is slow to import

    loader, _ = SAMPLES[choice("name", name, sample_names())]
    return as_rgb(getattr(skimage.data, loader)())


def as_rgb(image) -> np.ndarray:
    """Any supported image as a ``uint8`` (H, W, 3) array of 0–255 intensities.

    Accepts a file path, a PIL image or an array of shape (H, W), (H, W, 1), (H, W, 3) or
    (H, W, 4). Gray images are repeated into three equal channels; an alpha channel is
    composited onto white (what a viewer shows). Integer arrays must hold 0–255, float
    arrays 0.0–1.0 and bool arrays are black/white; anything else is an error, never
    silently clipped.

    >>> as_rgb(np.zeros((2, 3))).shape
    (2, 3, 3)
    >>> as_rgb(np.array([[[255, 0, 0, 0]]], dtype=np.uint8))  # transparent → white
    array([[[255, 255, 255]]], dtype=uint8)
    """
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        if not path.is_file():
            raise FileNotFoundError(f"image path {str(path)!r} is not a file")
        with Image.open(path) as opened:
            image = opened.convert("RGBA" if "A" in opened.getbands() else "RGB")
            image.load()
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGBA" if "A" in image.getbands() else "RGB"))
    if not isinstance(image, np.ndarray):
        raise TypeError(
            "image must be a file path, a PIL image or a numpy array, "
            f"got {type(image).__name__}"
        )
    array = _as_uint8(image)
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4):
        raise ValueError(
            "image must have shape (H, W), (H, W, 1), (H, W, 3) or (H, W, 4), "
            f"got {image.shape}"
        )
    if array.shape[2] == 1:
        return np.repeat(array, 3, axis=2)
    if array.shape[2] == 4:
        alpha = array[..., 3:].astype(np.float64) / 255
        rgb = array[..., :3] * alpha + 255 * (1 - alpha)
        return np.round(rgb).astype(np.uint8)
    return np.ascontiguousarray(array)


def _as_uint8(array: np.ndarray) -> np.ndarray:
    if array.size == 0:
        raise ValueError(f"image must not be empty, got shape {array.shape}")
    kind = array.dtype.kind
    if kind == "b":
        return array.astype(np.uint8) * 255
    if kind in "iu":
        low, high = array.min(), array.max()
        if low < 0 or high > 255:
            raise ValueError(
                f"integer image values must lie in 0–255, got {low}–{high}; "
                "rescale first (e.g. np.interp(x, (x.min(), x.max()), (0, 255)))"
            )
        return array.astype(np.uint8)
    if kind == "f":
        low, high = np.nanmin(array), np.nanmax(array)
        if np.isnan(array).any() or low < 0 or high > 1:
            raise ValueError(
                f"float image values must lie in 0.0–1.0, got {low}–{high}"
                + (" and NaN" if np.isnan(array).any() else "")
                + "; for 0–255 floats use image.astype(np.uint8)"
            )
        return np.round(array * 255).astype(np.uint8)
    raise TypeError(f"image must hold numbers, got dtype {array.dtype}")


def to_float(image) -> np.ndarray:
    """``float32`` copy with intensities scaled from 0–255 to 0.0–1.0.

    >>> to_float(np.array([[0, 255]], dtype=np.uint8))
    array([[[0., 0., 0.],
            [1., 1., 1.]]], dtype=float32)
    """
    return as_rgb(image).astype(np.float32) / 255


def round_to_uint8(values) -> np.ndarray:
    """0–255 intensities held as floats (what Keras' image loaders give) as ``uint8``.

    Rounded, and clipped to 0–255 (resizing can overshoot by a little); any shape.

    >>> round_to_uint8(np.array([[-0.4, 127.5, 255.3]], dtype=np.float32))
    array([[  0, 128, 255]], dtype=uint8)
    """
    return np.clip(np.round(np.asarray(values)), 0, 255).astype(np.uint8)


def to_grayscale(image) -> np.ndarray:
    """``uint8`` (H, W) brightness: 0.299·R + 0.587·G + 0.114·B, rounded.

    >>> to_grayscale(np.array([[[255, 0, 0], [0, 0, 255]]], dtype=np.uint8))
    array([[76, 29]], dtype=uint8)
    """
    return np.round(as_rgb(image) @ LUMA_WEIGHTS).astype(np.uint8)


def resize(image, size, *, resample: str = "box") -> np.ndarray:
    """Resize to ``size = (height, width)`` with Pillow; returns ``uint8`` (H, W, 3).

    ``resample`` is "box" (area average; best for shrinking), "bilinear", "bicubic",
    "lanczos" or "nearest" (keeps the original values; best for enlarging pixel art).

    >>> resize(np.zeros((4, 4)), (2, 2)).shape
    (2, 2, 3)
    """
    height, width = int_pair("size", size)
    method = _FILTERS[choice("resample", resample, list(_FILTERS))]
    resized = Image.fromarray(as_rgb(image)).resize((width, height), method)
    return np.asarray(resized)


def downscale(array, max_side: int) -> np.ndarray:
    """``array`` shrunk (area average) so that neither side exceeds ``max_side``.

    Unlike :func:`resize` this keeps what the array holds: any numbers (a matrix, a
    feature map, 0–255 floats), its dtype (integers are rounded) and its shape's layout
    (H, W) or (H, W, C). Each channel is averaged in float, so no rounding happens before
    the last step. An array that already fits is returned as it is.

    >>> downscale(np.arange(16).reshape(4, 4), 2)
    array([[ 2,  4],
           [10, 12]])
    >>> downscale(np.zeros((3, 8, 2)), 4).shape
    (2, 4, 2)
    """
    array = numeric_array("array", array)
    if array.ndim not in (2, 3):
        raise ValueError(f"array must be (H, W) or (H, W, C), got shape {array.shape}")
    max_side = positive_int("max_side", max_side)
    height, width = array.shape[:2]
    if max(height, width) <= max_side:
        return array
    factor = max_side / max(height, width)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    planes = array[..., None] if array.ndim == 2 else array
    small = np.stack([np.asarray(Image.fromarray(planes[..., c].astype(np.float32), "F")
                                 .resize(size, _FILTERS["box"]))
                      for c in range(planes.shape[2])], axis=-1)
    if array.dtype.kind in "iu":
        small = np.round(small).astype(array.dtype)
    return small[..., 0] if array.ndim == 2 else small


def split_channels(image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The red, green and blue matrices of an image, each ``uint8`` (H, W)."""
    rgb = as_rgb(image)
    return rgb[..., 0], rgb[..., 1], rgb[..., 2]
