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
import io
import weakref
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import images
from ._validate import choice, numeric_array, positive_int

__all__ = ["Style", "STYLES", "set_style", "get_style", "on_style_change", "colormap",
           "array_image", "format_number", "format_weight", "draw_step", "Renderer", "png_bytes",
           "channels_image", "channels_base", "channels_overlay"]


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
    max_width: int = 0    # an explorer's panels wrap onto a new row beyond it (0: one row)


STYLES = {
    "default": Style("default", cell=34, font=12, title_font=14, max_grid=272, margin=12,
                     line=3),
    # At most 1080 px wide: shown whole in JupyterLab on a 1280 px projector, so that the
    # numbers keep their 20 px (a 1500 px row of panels was scaled down to 14 px).
    "lecture": Style("lecture", cell=54, font=20, title_font=24, max_grid=432, margin=18,
                     line=5, max_width=1080),
}
_current = {"style": STYLES["default"]}
_style_listeners: list[weakref.WeakMethod] = []


def set_style(name: str) -> None:
    """Choose the style of every picture drawn from now on: "default" or "lecture".

    Live explorers redraw at once (:func:`on_style_change`).

    >>> set_style("lecture"); get_style().font
    20
    >>> set_style("default")
    """
    style = STYLES[choice("style", name, tuple(STYLES))]
    if style is _current["style"]:
        return
    _current["style"] = style
    for reference in list(_style_listeners):
        method = reference()
        if method is None:              # its object is gone
            _style_listeners.remove(reference)
        else:
            method()


def on_style_change(method) -> None:
    """Call the bound ``method()`` after every style change, for as long as its object lives.

    Explorers register their redraw here, so that a style change reaches the pictures
    already on screen. Only a weak reference is kept.
    """
    _style_listeners.append(weakref.WeakMethod(method))


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
    """A cell-sized label (at most 5 characters where possible), one format everywhere.

    Rounded to 2 decimals (1 from 10 on, none from 100 on), then trailing zeros dropped,
    so that 7.0000001 (float noise) and 7.0 both read ``7`` next to ``8`` and ``1.33``.

    >>> [format_number(v) for v in (3.0, -2.0, 0.25, 12.345, 1234.5, -0.0, 6.9999999, 0.5)]
    ['3', '-2', '0.25', '12.3', '1234', '0', '7', '0.5']
    """
    if not np.isfinite(value):
        return "" if np.isnan(value) else ("-∞" if value < 0 else "∞")
    magnitude = abs(value)
    decimals = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_weight(value: float) -> str:
    """A kernel weight's label: a simple fraction when 2 decimals would hide its value.

    A box blur's 1/9 shown as 0.11 makes "6·0.11 + … = 7" not add up; "6·1/9" does.

    >>> [format_weight(v) for v in (1 / 9, -1 / 8, 0.25, 2.0, 1 / 16, 0.123456)]
    ['1/9', '-1/8', '0.25', '2', '1/16', '0.12']
    """
    text = format_number(value)
    if not np.isfinite(value) or abs(float(text) - value) < 1e-9:
        return text
    fraction = Fraction(float(value)).limit_denominator(64)
    if abs(float(fraction) - value) < 1e-9:
        return f"{fraction.numerator}/{fraction.denominator}"
    return text


def png_bytes(image: Image.Image) -> bytes:
    """PNG encoding of a picture; fast (zlib level 1) and byte-for-byte reproducible."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- grids

#: Largest grid (rows or columns) whose cells get their numbers written in.
NUMBERS_UP_TO = 12


def _ink_for(fill: np.ndarray) -> np.ndarray:
    """Black or white text, whichever reads better on each fill colour."""
    luminance = fill @ images.LUMA_WEIGHTS
    return np.where(luminance[..., None] > 140, 20, 255).astype(np.uint8).repeat(3, axis=-1)


def _grid(fills: np.ndarray, cell: int, style: Style, labels=None, label_inks=None,
          font_size=None) -> Image.Image:
    """A grid picture: one ``cell``-pixel square per entry of ``fills`` (H, W, 3)."""
    height, width = fills.shape[:2]
    lines = cell >= 6
    image = Image.fromarray(_upscale(fills.astype(np.uint8), cell), "RGB")
    if not lines and labels is None:
        return image
    canvas = Image.new("RGB", (width * cell + 1, height * cell + 1), style.grid_line)
    canvas.paste(image, (0, 0))
    draw = ImageDraw.Draw(canvas)
    if lines:
        for i in range(height + 1):
            draw.line([(0, i * cell), (width * cell, i * cell)], fill=style.grid_line)
        for j in range(width + 1):
            draw.line([(j * cell, 0), (j * cell, height * cell)], fill=style.grid_line)
    if labels is not None:
        font = _font(font_size or style.font)
        for (i, j), text in np.ndenumerate(labels):
            if text:
                draw.text((j * cell + cell / 2, i * cell + cell / 2), text, anchor="mm",
                          font=font, fill=tuple(int(v) for v in label_inks[i, j]))
    return canvas


def _labels(values: np.ndarray, format=format_number) -> np.ndarray:
    return np.vectorize(format, otypes=[object])(values.astype(np.float64))


# ----------------------------------------------------------------------------- steps


class Renderer:
    """Draws the steps of one trace; the parts that never change are drawn once.

    A frame shows, left to right: the padded input (padding cells grey, the window
    outlined in orange — with dilation every tap is outlined and the gaps stay open), the
    kernel, the element-wise products (or, for pooling, the window with its maximum
    outlined), and the output filled up to the current step. Below, the sum is written out.

    Parameters
    ----------
    trace : cnnlab.trace.Trace
        Pooling traces must have one channel (pool one channel at a time). A 3-channel
        input is drawn as colours by :func:`cnnlab.images.as_rgb`'s rules (0–255 integers
        or 0.0–1.0 floats); any other input is colour-mapped.
    style : Style, optional
        Default: the current style (:func:`set_style`).

    Examples
    --------
    >>> from cnnlab import trace
    >>> t = trace.conv2d(np.arange(25).reshape(5, 5), np.ones((3, 3)), padding=1)
    >>> renderer = Renderer(t)
    >>> frame = renderer.draw(0)
    >>> frame.size == renderer.size
    True
    """

    def __init__(self, trace, style: Style | None = None):
        if trace.operation != "conv" and trace.channels != 1:
            raise ValueError(
                f"pooling traces are drawn one channel at a time; got {trace.channels} "
                "channels — trace.pool2d(image[..., c]) picks channel c"
            )
        self.trace = trace
        self.style = style or get_style()
        self._layout()

    # -- static parts
    def _layout(self) -> None:
        t, s = self.trace, self.style
        hp, wp = t.padding_mask.shape
        self.numbers = t.gray and max(hp, wp) <= NUMBERS_UP_TO
        self.in_cell = s.cell if max(hp, wp) <= NUMBERS_UP_TO else max(1, s.max_grid // max(hp, wp))
        oh, ow = t.out_shape
        self.out_numbers = max(oh, ow) <= NUMBERS_UP_TO
        self.out_cell = s.cell if self.out_numbers else max(1, s.max_grid // max(oh, ow))
        kh, kw = t.window
        small_kernel = max(kh, kw) <= NUMBERS_UP_TO
        self.k_cell = s.cell if small_kernel else max(4, s.max_grid // 2 // max(kh, kw))
        channels = t.channels if t.operation == "conv" else 1
        title_h = s.title_font + s.margin
        top = s.margin + title_h
        panels = [("input", self._input_panel())]
        if t.operation == "conv":
            panels.append(("kernel", self._stack([self._kernel_grid(c) for c in range(channels)])))
            product_size = self._stack([self._blank_small() for _ in range(channels)]).size
            panels.append(("products", Image.new("RGB", product_size, s.background)))
        else:
            panels.append(("window", Image.new("RGB", self._blank_small().size, s.background)))
        self.out_empty, self.out_full = self._output_panels()
        panels.append(("output", self.out_empty))
        x, y, row_body, widest = s.margin, top, 0, 0
        self.origin = {}
        for name, image in panels:
            panel_w = max(image.width, self._text_width(self._title(name)))
            if s.max_width and x > s.margin and x + panel_w + s.margin > s.max_width:
                widest, x = max(widest, x), s.margin          # a new row of panels
                y += row_body + s.margin + title_h
                row_body = 0
            self.origin[name] = (x, y)
            x += panel_w + 2 * s.margin
            row_body = max(row_body, image.height)
        self.line_h = s.title_font + 8
        n_lines = channels + 1 if channels > 1 else 1
        body = y + row_body - top
        sum_width = self._widest_sum_line()
        self.terms_per_line = None
        if s.max_width and sum_width + 2 * s.margin > s.max_width:
            self.terms_per_line = self._terms_fitting(s.max_width - 2 * s.margin)
            shown = self._shown_lines(0)   # every step has as many lines (terms per line fixed)
            n_lines = len(shown)
            sum_width = s.max_width - 2 * s.margin
        width = max(widest, x, sum_width + 2 * s.margin)
        height = top + body + s.margin + n_lines * self.line_h + s.margin
        self.size = (width, height)
        base = Image.new("RGB", self.size, s.background)
        draw = ImageDraw.Draw(base)
        for name, image in panels:
            ox, oy = self.origin[name]
            base.paste(image, (ox, oy))
            draw.text((ox, oy - s.margin // 2), self._title(name), anchor="ls",
                      font=_font(s.title_font), fill=s.ink)
        self.text_top = top + body + s.margin
        self.base = base

    def _title(self, name: str) -> str:
        t = self.trace
        (top, bottom), (left, right) = t.pads
        if name == "input":
            h, w = t.image.shape[:2]
            pad = f" + padding {top},{bottom},{left},{right}" if any(sum(t.pads, ())) else ""
            return f"input {h}×{w}{pad}"
        if name == "kernel":
            kh, kw = t.window
            dil = "" if t.dilation == (1, 1) else f", dilation {t.dilation[0]}"
            return f"kernel {kh}×{kw}" + ("" if t.gray else f"×{t.channels}") + dil
        if name == "products":
            return "window × kernel"
        if name == "window":
            return f"{'max' if t.operation == 'max' else 'average'} of window"
        oh, ow = t.out_shape
        return f"output {oh}×{ow}"

    def _text_width(self, text: str, size=None) -> int:
        return int(_font(size or self.style.title_font).getlength(text)) + 1

    def _input_panel(self) -> Image.Image:
        t, s = self.trace, self.style
        padded = t.padded
        mask = t.padding_mask
        if t.gray or t.channels != 3:
            values = padded[..., 0].astype(np.float64)
            real = t.image[..., 0]
            fills = colormap(values, cmap="auto" if real.min() < 0 else "viridis",
                             vmin=float(real.min()), vmax=float(real.max()))
        else:
            fills = images.as_rgb(padded)
        fills[mask] = s.padding_fill
        labels = inks = None
        if self.numbers:
            labels = _labels(padded[..., 0])
            inks = _ink_for(fills)
            inks[mask] = s.padding_ink
        return _grid(fills, self.in_cell, s, labels, inks)

    def _kernel_grid(self, channel: int) -> Image.Image:
        kernel = self.trace.kernel[..., channel].astype(np.float64)
        fills = colormap(kernel, cmap="auto")
        labels = _labels(kernel, format_weight) if self.k_cell == self.style.cell else None
        return _grid(fills, self.k_cell, self.style, labels, _ink_for(fills))

    def _blank_small(self) -> Image.Image:
        kh, kw = self.trace.window
        return Image.new("RGB", (kw * self.k_cell + 1, kh * self.k_cell + 1))

    def _stack(self, grids) -> Image.Image:
        gap = self.style.margin
        height = sum(g.height for g in grids) + gap * (len(grids) - 1)
        stacked = Image.new("RGB", (grids[0].width, height), self.style.background)
        y = 0
        for grid in grids:
            stacked.paste(grid, (0, y))
            y += grid.height + gap
        return stacked

    def _output_panels(self):
        t, s = self.trace, self.style
        output = t.output.astype(np.float64)
        output = output if output.ndim == 2 else output[..., 0]
        fills = colormap(output, cmap="auto")
        labels = _labels(output) if self.out_numbers else None
        full = _grid(fills, self.out_cell, s, labels, _ink_for(fills))
        empty = _grid(np.broadcast_to(np.array(s.empty_fill, np.uint8), fills.shape).copy(),
                      self.out_cell, s)
        return empty, full

    # -- the sum line
    def _sum_lines(self, step: int) -> list[str]:
        t = self.trace
        record = t.record(step)
        i, j = record.cell
        # "real cells" only where the window holds padding; otherwise it is the window
        padded = bool(record.is_padding.any())
        if t.operation == "max":
            of = f"the {record.count} real cells" if padded else "the window"
            return [f"output[{i}, {j}] = max of {of} = {format_number(record.value)}"]
        if t.operation == "avg":
            of = "real cells" if padded else "cells"
            return [f"output[{i}, {j}] = sum / {of} = "
                    f"{format_number(record.channel_sums[0])} / {record.count} = "
                    f"{format_number(record.value)}"]
        names = ("R", "G", "B") if t.channels == 3 else tuple(f"c{c}" for c in range(t.channels))
        bias = f" + {format_number(t.bias)}" if t.bias else ""
        if t.channels == 1:
            return [f"output[{i}, {j}] = {self._terms(record, 0)} "
                    f"= {format_number(record.channel_sums[0])}{bias}"
                    + (f" = {format_number(record.value)}" if bias else "")]
        lines = [f"{name}: {self._terms(record, c)} = {format_number(record.channel_sums[c])}"
                 for c, name in enumerate(names)]
        total = " + ".join(f"({format_number(v)})" if v < 0 else format_number(v)
                           for v in record.channel_sums)
        lines.append(f"output[{i}, {j}] = {total}{bias} = {format_number(record.value)}")
        return lines

    def _shown_lines(self, step: int) -> list[str]:
        """The sum lines of ``step``, broken after every ``terms_per_line`` terms (set where
        the style's ``max_width`` is too narrow for them; continuation lines indented)."""
        lines, k = self._sum_lines(step), self.terms_per_line
        if not k:
            return lines
        shown = []
        for line in lines:
            pieces = line.split(" + ")
            chunks = [" + ".join(pieces[n:n + k]) for n in range(0, len(pieces), k)]
            shown += [("    " if n else "") + chunk + (" +" if n < len(chunks) - 1 else "")
                      for n, chunk in enumerate(chunks)]
        return shown

    def _terms_fitting(self, limit: int) -> int:
        """The most terms a line can hold within ``limit`` pixels on the widest steps."""
        t = self.trace
        worst = [line for step in {0, t.n_steps - 1, t.n_steps // 2}
                 for line in self._sum_lines(step)]
        for k in range(max(len(line.split(" + ")) for line in worst), 1, -1):
            self.terms_per_line = k
            # digits may grow by a few characters on other steps
            if all(self._text_width("    " + piece + " +0000") <= limit
                   for step in {0, t.n_steps - 1, t.n_steps // 2}
                   for piece in self._shown_lines(step)):
                return k
        return 1

    def _terms(self, record, channel: int) -> str:
        kernel = self.trace.kernel[..., channel]
        if kernel.size > 9:
            return "Σ window × kernel"
        terms = []
        for value, weight in zip(record.values[..., channel].ravel(), kernel.ravel(),
                                 strict=True):
            w = format_weight(weight)
            terms.append(f"{format_number(value)}·{'(' + w + ')' if weight < 0 else w}")
        return " + ".join(terms)

    def _widest_sum_line(self) -> int:
        """Width for the longest sum line any step can have (so frames share one size)."""
        t = self.trace
        worst = []
        for step in {0, t.n_steps - 1, t.n_steps // 2}:
            worst += self._sum_lines(step)
        longest = max(worst, key=len)
        # digits may grow by a few characters on other steps
        return self._text_width(longest + "0000000000")

    # -- one frame
    def draw(self, step: int) -> Image.Image:
        """The picture of ``step`` (a new image; the cached parts are not touched)."""
        t, s = self.trace, self.style
        record = t.record(step)
        frame = self.base.copy()
        self._paste_output(frame, step)
        draw = ImageDraw.Draw(frame)
        self._outline_window(draw, record)
        if t.operation == "conv":
            self._draw_products(frame, record)
        else:
            self._draw_pool_window(frame, draw, record)
        box, colour, width = self._output_outline(record)
        draw.rectangle(box, outline=colour, width=width)
        font = _font(s.title_font)
        for n, line in enumerate(self._shown_lines(step)):
            draw.text((s.margin, self.text_top + n * self.line_h), line, font=font, fill=s.ink)
        return frame

    def _paste_output(self, frame: Image.Image, step: int) -> None:
        oh, ow = self.trace.out_shape
        c = self.out_cell
        done = np.zeros(oh * ow, dtype=np.uint8)
        done[: step + 1] = 255
        mask = np.zeros((self.out_full.height, self.out_full.width), dtype=np.uint8)
        mask[: oh * c, : ow * c] = _upscale(done.reshape(oh, ow, 1), c)[..., 0]
        mask[oh * c:, :] = 255   # the closing grid line
        mask[:, ow * c:] = 255
        panel = Image.composite(self.out_full, self.out_empty, Image.fromarray(mask, "L"))
        frame.paste(panel, self.origin["output"])

    def _outline_window(self, draw: ImageDraw.ImageDraw, record) -> None:
        for box, colour, width in self._window_outlines(record):
            draw.rectangle(box, outline=colour, width=width)

    def _window_outlines(self, record) -> list:
        """``(box, colour, width)`` of each outline on the input: the window, each tap
        (with dilation) and the maximum (max pooling)."""
        t, s = self.trace, self.style
        ox, oy = self.origin["input"]
        c = self.in_cell
        width = max(2, min(s.line, c // 2 + 1))
        rows, cols = record.rows, record.cols
        outlines = [([ox + cols[0] * c - width, oy + rows[0] * c - width,
                      ox + (cols[-1] + 1) * c + width, oy + (rows[-1] + 1) * c + width],
                     s.highlight, width)]
        if t.dilation != (1, 1) and c >= 6:
            outlines += [([ox + q * c + 1, oy + r * c + 1, ox + (q + 1) * c - 1,
                           oy + (r + 1) * c - 1], s.highlight, 2) for r in rows for q in cols]
        if record.argmax is not None:
            r, q = rows[record.argmax[0][0]], cols[record.argmax[0][1]]
            outlines.append(([ox + q * c, oy + r * c, ox + (q + 1) * c, oy + (r + 1) * c],
                             s.second, max(1, min(s.line, c // 2))))
        return outlines

    def _output_outline(self, record) -> tuple:
        """``(box, colour, width)`` of the outline of the output cell being computed."""
        ox, oy = self.origin["output"]
        i, j = record.cell
        c = self.out_cell
        return ([ox + j * c - 1, oy + i * c - 1, ox + (j + 1) * c + 1, oy + (i + 1) * c + 1],
                self.style.highlight, max(2, min(self.style.line, c)))

    def overlay(self, step: int) -> dict:
        """What :meth:`draw` adds to the cached parts at ``step``, as data: for a player
        that draws the frame elsewhere (a browser canvas, :mod:`cnnlab.widgets.export`).

        ``"outlines"``: ``(box, colour, width)`` rectangles (Pillow's box: both corners
        inside); ``"grids"``: ``(x, y, fills, inks, labels)`` of the products (or pooling
        window) panel, one per channel, each array ``(kh, kw[, 3])``; ``"lines"``: the sum
        lines, the very text :meth:`draw` writes under the panels.

        >>> from cnnlab import trace
        >>> overlay = Renderer(trace.pool2d(np.arange(16).reshape(4, 4), 2)).overlay(0)
        >>> overlay["lines"], overlay["grids"][0][4].tolist()
        (['output[0, 0] = max of the window = 5'], [['0', '1'], ['4', '5']])
        >>> len(overlay["outlines"])    # the window, its maximum (input, window), the output
        4
        """
        record = self.trace.record(step)
        return {"outlines": [*self._window_outlines(record), *self._panel_outlines(record),
                             self._output_outline(record)],
                "grids": self._panel_cells(record), "lines": self._sum_lines(step)}

    def _small_grid(self, values: np.ndarray, padding: np.ndarray) -> Image.Image:
        fills, inks, labels = self._small_cells(values, padding)
        return _grid(fills, self.k_cell, self.style, labels, inks)

    def _small_cells(self, values: np.ndarray, padding: np.ndarray) -> tuple:
        """Fill colours, text colours and labels (None: too small for numbers) of a
        products or pooling-window grid."""
        s = self.style
        fills = colormap(values, cmap="auto")
        fills[padding] = s.padding_fill
        inks = _ink_for(fills)
        inks[padding] = s.padding_ink
        labels = _labels(values) if self.k_cell == s.cell else None
        return fills, inks, labels

    def _panel_values(self, record) -> list:
        """The numbers of the products panel (one grid per channel) or pooling window."""
        padding = record.is_padding[..., 0]
        if self.trace.operation == "conv":
            return [(record.products[..., c].astype(np.float64), padding)
                    for c in range(self.trace.channels)]
        return [(np.where(padding, np.nan, record.values[..., 0].astype(np.float64)), padding)]

    def _panel_cells(self, record) -> list:
        """``(x, y, fills, inks, labels)`` of each grid of the products/window panel."""
        ox, oy = self.origin["products" if self.trace.operation == "conv" else "window"]
        step_y = self.trace.window[0] * self.k_cell + 1 + self.style.margin   # as _stack
        return [(ox, oy + n * step_y, *self._small_cells(values, padding))
                for n, (values, padding) in enumerate(self._panel_values(record))]

    def _panel_outlines(self, record) -> list:
        """The maximum's outline in the pooling-window panel (max pooling only)."""
        if record.argmax is None:
            return []
        ox, oy = self.origin["window"]
        r, q = record.argmax[0]
        c = self.k_cell
        return [([ox + q * c, oy + r * c, ox + (q + 1) * c, oy + (r + 1) * c],
                 self.style.second, self.style.line)]

    def _draw_products(self, frame: Image.Image, record) -> None:
        grids = [self._small_grid(values, padding)
                 for values, padding in self._panel_values(record)]
        frame.paste(self._stack(grids), self.origin["products"])

    def _draw_pool_window(self, frame: Image.Image, draw, record) -> None:
        (values, padding), = self._panel_values(record)
        frame.paste(self._small_grid(values, padding), self.origin["window"])
        for box, colour, width in self._panel_outlines(record):
            draw.rectangle(box, outline=colour, width=width)


_renderers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def draw_step(trace, step: int) -> Image.Image:
    """The picture of one step of ``trace`` in the current style (renderer cached per trace).

    >>> from cnnlab import trace
    >>> t = trace.pool2d(np.arange(16).reshape(4, 4), 2)
    >>> draw_step(t, 3).size == draw_step(t, 0).size
    True
    """
    per_style = _renderers.setdefault(trace, {})
    style = get_style()
    if style.name not in per_style:
        per_style[style.name] = Renderer(trace, style)
    return per_style[style.name].draw(step)


# ----------------------------------------------------------------------------- channels


def channels_image(rgb: np.ndarray, pixel, scales=(1.0, 1.0, 1.0),
                   style: Style | None = None) -> Image.Image:
    """An RGB photo, its R, G and B matrices, the mix after scaling, and one pixel's numbers.

    Parameters
    ----------
    rgb : ndarray, shape (H, W, 3), uint8
    pixel : (row, column)
        Outlined in every panel; its 3×3 neighbourhood is written out per channel.
    scales : three floats
        Factors for R, G and B in the "mix" panel (additive colour).

    Examples
    --------
    >>> channels_image(np.zeros((4, 4, 3), np.uint8), (1, 2)).mode
    'RGB'
    """
    s = style or get_style()
    canvas = channels_base(rgb, scales, s)
    draw = ImageDraw.Draw(canvas)
    font = _font(s.title_font)
    overlay = channels_overlay(rgb, pixel, scales, s)
    for box, colour, width in overlay["outlines"]:
        draw.rectangle(box, outline=colour, width=width)
    for (x, y, fills, inks, labels), (tx, ty, title), (box, colour, width) in zip(
            overlay["grids"], overlay["texts"][:3], overlay["grid_outlines"], strict=True):
        draw.text((tx, ty), title, anchor="ls", font=font, fill=s.ink)
        canvas.paste(_grid(fills, s.cell, s, labels, inks), (x, y))
        draw.rectangle(box, outline=colour, width=width)
    tx, ty, text = overlay["texts"][-1]
    draw.text((tx, ty), text, anchor="ls", font=font, fill=s.ink)
    box, fill = overlay["swatch"]
    draw.rectangle(box, fill=fill, outline=s.ink)
    return canvas


def _channels_layout(rgb: np.ndarray, scales, s: Style) -> dict:
    """Where :func:`channels_image` puts its panels (the same for every pixel)."""
    h, w = rgb.shape[:2]
    cell = max(1, s.max_grid // 2 // max(h, w))
    mixed = np.round(rgb * np.asarray(scales, dtype=np.float64)).astype(np.uint8)
    panels = [("photo", rgb)]
    for c, name in enumerate(("R", "G", "B")):
        tinted = np.zeros_like(rgb)
        tinted[..., c] = rgb[..., c]
        panels.append((f"{name} channel", tinted))
    panels.append(("mix " + " ".join(f"{v:.2f}" for v in scales), mixed))
    title_h = s.title_font + s.margin
    panel_w = max([w * cell] + [int(_font(s.title_font).getlength(t)) + 4 for t, _ in panels])
    n_cell = s.cell
    grid_h = 3 * n_cell + 1
    height = s.margin + title_h + h * cell + s.margin + title_h + grid_h + s.margin
    width = s.margin + len(panels) * (panel_w + s.margin)
    top = s.margin + title_h
    return {"cell": cell, "mixed": mixed, "panels": panels, "panel_w": panel_w, "top": top,
            "size": (max(width, 4 * (3 * n_cell + s.margin) + 6 * s.title_font), height),
            "grid_y": top + h * cell + s.margin + title_h}


def channels_base(rgb: np.ndarray, scales=(1.0, 1.0, 1.0),
                  style: Style | None = None) -> Image.Image:
    """What :func:`channels_image` draws whatever the pixel: the five titled panels.

    >>> channels_base(np.zeros((4, 4, 3), np.uint8)).size == channels_image(
    ...     np.zeros((4, 4, 3), np.uint8), (0, 0)).size
    True
    """
    s = style or get_style()
    rgb = np.asarray(rgb, dtype=np.uint8)
    layout = _channels_layout(rgb, scales, s)
    canvas = Image.new("RGB", layout["size"], s.background)
    draw = ImageDraw.Draw(canvas)
    font = _font(s.title_font)
    top, cell = layout["top"], layout["cell"]
    for k, (title, picture) in enumerate(layout["panels"]):
        x = s.margin + k * (layout["panel_w"] + s.margin)
        canvas.paste(Image.fromarray(_upscale(picture, cell), "RGB"), (x, top))
        draw.text((x, top - s.margin // 2), title, anchor="ls", font=font, fill=s.ink)
    return canvas


def channels_overlay(rgb: np.ndarray, pixel, scales=(1.0, 1.0, 1.0),
                     style: Style | None = None) -> dict:
    """What :func:`channels_image` draws for ``pixel`` over :func:`channels_base`, as data
    (for a player that draws it elsewhere, :mod:`cnnlab.widgets.export`).

    ``"outlines"``/``"grid_outlines"``: ``(box, colour, width)``; ``"grids"``: ``(x, y,
    fills, inks, labels)`` of the pixel's neighbourhood per channel; ``"texts"``: ``(x, y,
    text)`` at the left end of the baseline (the grid titles, then the pixel's line);
    ``"swatch"``: ``(box, fill)`` of the mixed colour.

    >>> rgb = np.zeros((4, 4, 3), np.uint8); rgb[1, 2] = (200, 100, 0)
    >>> channels_overlay(rgb, (1, 2), (1.0, 0.5, 1.0))["texts"][-1][2]
    'pixel (200, 100, 0) → mix (200, 50, 0)'
    """
    s = style or get_style()
    rgb = np.asarray(rgb, dtype=np.uint8)
    layout = _channels_layout(rgb, scales, s)
    h, w = rgb.shape[:2]
    row, col = pixel
    cell, top, mixed = layout["cell"], layout["top"], layout["mixed"]
    line = max(2, min(s.line, cell))
    outlines = []
    for k in range(len(layout["panels"])):
        x = s.margin + k * (layout["panel_w"] + s.margin)
        outlines.append(([x + col * cell - line, top + row * cell - line,
                          x + (col + 1) * cell + line - 1, top + (row + 1) * cell + line - 1],
                         s.highlight, line))
    # the picked pixel's neighbourhood, one number grid per channel, and its mixed colour
    y = layout["grid_y"]
    n_cell = s.cell
    r0, r1, c0, c1 = max(row - 1, 0), min(row + 2, h), max(col - 1, 0), min(col + 2, w)
    values = rgb[r0:r1, c0:c1].astype(np.float64)
    x = s.margin
    grids, texts, grid_outlines = [], [], []
    for c, name in enumerate(("R", "G", "B")):
        fills = np.zeros((*values.shape[:2], 3), dtype=np.uint8)
        fills[..., c] = values[..., c]
        texts.append((x, y - s.margin // 2, f"{name} near ({row}, {col})"[: 1 if c else None]))
        grids.append((x, y, fills, _ink_for(fills), _labels(values[..., c])))
        ci, cj = row - r0, col - c0
        grid_outlines.append(([x + cj * n_cell, y + ci * n_cell, x + (cj + 1) * n_cell,
                               y + (ci + 1) * n_cell], s.highlight, s.line))
        x += 3 * n_cell + 2 * s.margin
    pr, pg, pb = (int(v) for v in rgb[row, col])
    mr, mg, mb = (int(v) for v in mixed[row, col])
    texts.append((x, y - s.margin // 2, f"pixel ({pr}, {pg}, {pb}) → mix ({mr}, {mg}, {mb})"))
    return {"outlines": outlines, "grids": grids, "grid_outlines": grid_outlines,
            "texts": texts, "swatch": ([x, y, x + 3 * n_cell, y + 3 * n_cell], (mr, mg, mb))}
