"""Pure drawing: arrays and traces become Pillow images.

``render`` computes no convolution: it draws the numbers that :mod:`cnnlab.trace` took
from :mod:`cnnlab.ops`. Every picture is drawn with Pillow onto a cached background, so
one animation frame costs a few milliseconds (no matplotlib figure is built per frame).

Colour maps are colour-blind safe: ``viridis`` / ``cividis`` for values of one sign and
the ColorBrewer diverging map ``RdBu_r`` (centred at 0) for signed values.

Two styles: ``"default"`` for a notebook on a laptop and ``"lecture"`` with large fonts
and cells, readable from the back of a room (:func:`set_style`).

Examples
--------
>>> import numpy as np
>>> from cnnlab import render
>>> render.array_image(np.arange(6).reshape(2, 3), scale=10).size
(30, 20)
>>> render.set_style("lecture"); render.get_style().name
'lecture'
>>> render.set_style("default")
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ._validate import choice, numeric_array, positive_int

__all__ = ["Style", "STYLES", "set_style", "get_style", "colormap", "array_image",
           "format_number"]


# ----------------------------------------------------------------------------- style


@dataclass(frozen=True)
class Style:
    """Sizes (pixels) and colours of every picture ``render`` draws."""

    name: str
    cell: int             # side of a grid cell when numbers are written in it
    font: int             # numbers in cells
    title_font: int       # panel titles and the sum line
    max_grid: int         # largest side of a colour-mapped grid
    margin: int
    line: int             # highlight line width
    background: tuple = (255, 255, 255)
    ink: tuple = (20, 20, 20)
    grid_line: tuple = (170, 170, 170)
    padding_fill: tuple = (222, 222, 222)
    padding_ink: tuple = (150, 150, 150)
    empty_fill: tuple = (246, 246, 246)
    highlight: tuple = (230, 159, 0)      # Okabe–Ito orange: visible to every colour vision
    second: tuple = (204, 121, 167)       # Okabe–Ito reddish purple (the max's position)


STYLES = {
    "default": Style("default", cell=34, font=12, title_font=14, max_grid=272, margin=12,
                     line=3),
    "lecture": Style("lecture", cell=54, font=20, title_font=24, max_grid=432, margin=18,
                     line=5),
}
_current = {"style": STYLES["default"]}


def set_style(name: str) -> None:
    """Choose the style of every picture drawn from now on: "default" or "lecture".

    >>> set_style("lecture"); get_style().font
    20
    >>> set_style("default")
    """
    _current["style"] = STYLES[choice("style", name, tuple(STYLES))]


def get_style() -> Style:
    """The current :class:`Style`."""
    return _current["style"]


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    # DejaVu Sans ships with matplotlib (a dependency): the same glyphs, with Greek and
    # math signs, on every machine, so frames are byte-for-byte reproducible.
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return ImageFont.truetype(path, size)


# ----------------------------------------------------------------------------- colour


@functools.lru_cache(maxsize=16)
def _lut(name: str) -> np.ndarray:
    import matplotlib

    try:
        cmap = matplotlib.colormaps[name]
    except KeyError:
        raise ValueError(
            f"cmap must be a matplotlib colour map name such as 'viridis', 'cividis', "
            f"'RdBu_r' or 'auto', got {name!r}"
        ) from None
    return np.round(cmap(np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)


def colormap(values, *, cmap: str = "auto", vmin=None, vmax=None) -> np.ndarray:
    """Colour-map an array into ``uint8`` RGB (``values.shape + (3,)``). NaN → white.

    ``cmap="auto"`` picks ``viridis`` when all values share one sign and the diverging
    ``RdBu_r`` centred at 0 when they do not (so 0 is white, negative blue, positive red).

    >>> colormap(np.array([0.0, 1.0]), cmap="viridis")
    array([[ 68,   1,  84],
           [253, 231,  37]], dtype=uint8)
    >>> colormap(np.array([-1.0, 0.0, 1.0]))[1]   # 0 sits in the middle of RdBu_r
    array([247, 246, 246], dtype=uint8)
    """
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    low = finite.min() if vmin is None and finite.size else (0.0 if vmin is None else vmin)
    high = finite.max() if vmax is None and finite.size else (1.0 if vmax is None else vmax)
    if cmap == "auto":
        if low < 0 < high:
            cmap = "RdBu_r"
            high = max(-low, high)
            low = -high
        else:
            cmap = "viridis"
    lut = _lut(cmap)
    span = high - low if high > low else 1.0
    # the same binning as matplotlib's own Colormap.__call__ (N = 256 colours)
    index = np.clip((np.nan_to_num(values, nan=low) - low) / span * 256, 0, 255)
    rgb = lut[index.astype(np.intp)]
    rgb[~np.isfinite(values)] = 255
    return rgb


def array_image(array2d, *, cmap: str = "viridis", vmin=None, vmax=None,
                scale=None) -> Image.Image:
    """A 2-D array as a colour-mapped picture, each value a square of ``scale`` pixels.

    Parameters
    ----------
    array2d : array_like, shape (H, W)
        E.g. a feature map.
    cmap : str
        Any matplotlib colour map; ``"auto"``: ``viridis`` for values of one sign, the
        diverging ``RdBu_r`` centred at 0 for signed values.
    vmin, vmax : float, optional
        Colour range (default: the data's range).
    scale : int, optional
        Pixels per value (nearest-neighbour, so each value stays a crisp square). Default:
        the largest integer that keeps the picture within 256 pixels (at least 1).

    Returns
    -------
    PIL.Image.Image
        RGB image of size ``(W * scale, H * scale)``.

    Examples
    --------
    >>> image = array_image(np.array([[-1.0, 0.0], [0.5, 1.0]]), cmap="auto", scale=4)
    >>> image.size, image.getpixel((0, 0))     # -1 is the darkest blue of RdBu_r
    ((8, 8), (5, 48, 97))
    """
    array = numeric_array("array2d", array2d)
    if array.ndim != 2:
        raise ValueError(f"array2d must be 2-D (H, W), got shape {array.shape}")
    if scale is None:
        scale = max(1, 256 // max(array.shape))
    scale = positive_int("scale", scale)
    rgb = colormap(array, cmap=cmap, vmin=vmin, vmax=vmax)
    return Image.fromarray(_upscale(rgb, scale), "RGB")


def _upscale(rgb: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour enlargement of an (H, W, 3) array by an integer factor."""
    if scale == 1:
        return np.ascontiguousarray(rgb)
    return np.ascontiguousarray(np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1))


def format_number(value: float) -> str:
    """A cell-sized label (at most 5 characters where possible).

    >>> [format_number(v) for v in (3.0, -2.0, 0.25, 12.345, 1234.5, -0.0)]
    ['3', '-2', '0.25', '12.3', '1234', '0']
    """
    if not np.isfinite(value):
        return "" if np.isnan(value) else ("-∞" if value < 0 else "∞")
    if float(value).is_integer():
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
