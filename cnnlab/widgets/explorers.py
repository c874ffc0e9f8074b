"""Explorers: press Play and watch a kernel slide over an image.

Built on ipywidgets' core widgets only (``Play`` + ``jslink``, sliders, dropdowns,
``Image``, ``HTML``, boxes), so they run in JupyterLab, Notebook 7, VS Code and Google
Colab (ipywidgets 7.7.1 and 8). The pictures come from :mod:`cnnlab.render`, the numbers
from :mod:`cnnlab.trace` — that is, from :mod:`cnnlab.ops`.

Every explorer has ``step`` (the current output cell; setting it redraws at once),
``n_steps``, ``widget`` (the box to display or embed), ``to_html()``, ``to_gif()`` and a
static fallback shown where no kernel runs: a player that steps every frame in a static
page or slide show (``player_html()``), which is an animated GIF where scripts cannot run,
e.g. on GitHub.

Examples
--------
>>> import numpy as np
>>> from cnnlab.widgets import ConvolutionExplorer
>>> explorer = ConvolutionExplorer(np.arange(36).reshape(6, 6), "sobel_x", padding=1)
>>> explorer.n_steps
36
>>> explorer.step = 7
>>> bool(explorer.shown_output[1, 1] == explorer.trace.output[1, 1])
True
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import ipywidgets as w
import numpy as np
from PIL import Image

from .. import images, kernels, ops, render, trace
from .._validate import numeric_array, positive_int
from . import export
from ._base import Widget

__all__ = ["ConvolutionExplorer", "PoolingExplorer", "ChannelExplorer"]

#: Photos larger than this (rows or columns) are downscaled for the animation.
MAX_SIDE = 32

# Lecture mode in the browser: the controls' text (labels, readouts, the formula) at 20 px
# for a projector, through the CSS variables ipywidgets 7 and 8 size their controls by, and
# rows that wrap instead of scrolling sideways at 1280 px. Scoped by class, so only an
# explorer in lecture mode changes; a <style> inside an HTML widget applies to the page.
_LECTURE_CSS = """<style>
.cnnlab-lecture {
  --jp-widgets-font-size: 20px; --jp-widgets-inline-height: 36px;
  --jp-widgets-inline-label-width: 110px; font-size: 20px;
}
.cnnlab-lecture .widget-hbox, .cnnlab-lecture .jupyter-widget-hbox { flex-wrap: wrap; }
.cnnlab-lecture .widget-html-content, .cnnlab-lecture .widget-readout,
.cnnlab-lecture .widget-label, .cnnlab-lecture textarea, .cnnlab-lecture select {
  font-size: 20px; line-height: 1.3;
}
</style>"""


def _downscale(image: np.ndarray, max_side: int | None):
    """``image`` shrunk by :func:`cnnlab.images.downscale`, and a note that says so."""
    if max_side is None:
        return image, ""
    small = images.downscale(image, max_side)
    if small is image:
        return image, ""
    (h, w_), (sh, sw) = image.shape[:2], small.shape[:2]
    return small, (f"Note: the {h}×{w_} image is downscaled to {sh}×{sw} for the animation "
                   f"(max_side={max_side}; pass max_side=None to keep it).")


def _aside(scaled: str) -> str:
    """', downscaled from H×W' (:func:`_downscaled_from`) as ' (downscaled from H×W)'."""
    return f" ({scaled.removeprefix(', ')})" if scaled else ""


def _downscaled_from(original: np.ndarray, shown: np.ndarray) -> str:
    """', downscaled from H×W' when ``shown`` is smaller than ``original`` (for _describe:
    the still's caption and text/plain must say so too, not only the live note)."""
    if original.shape[:2] == shown.shape[:2]:
        return ""
    return ", downscaled from {}×{}".format(*original.shape[:2])


class _Explorer(Widget):
    """Play/step/speed machinery shared by the explorers."""

    _interval_ms = 400

    def __init__(self):
        super().__init__()
        self._note = w.HTML()
        # ipywidgets' Image: its view swaps the picture in place, so Play does not flicker.
        # It takes no alt text (7.7.1, 8; 8's ``tooltip`` breaks its view), so the text
        # beside it says what the picture shows at this step, for a screen reader and for
        # everyone (aria-live off: it would read out every step while playing).
        self._picture = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self._picture_text = w.HTML()
        self._picture_text.add_class("cnnlab-picture-text")
        self._play = w.Play(min=0, max=max(1, self.n_steps) - 1, value=0, step=1,
                            interval=self._interval_ms, description="Play")
        self._slider = w.IntSlider(min=0, max=self.n_steps - 1, value=0, description="step",
                                   continuous_update=True, layout=w.Layout(width="420px"))
        self._speed = w.IntSlider(min=1, max=20, value=round(1000 / self._interval_ms),
                                  description="steps/s", layout=w.Layout(width="260px"))
        # linked in the browser, so Play advances the slider without a round trip
        self._link = w.jslink((self._play, "value"), (self._slider, "value"))
        self._slider.observe(self._on_step, names="value")
        self._speed.observe(self._on_speed, names="value")
        self._css = w.HTML(_LECTURE_CSS, layout=w.Layout(display="none"))
        render.on_style_change(self._redraw)   # lecture mode reaches explorers on screen

    # -- public
    @property
    def step(self) -> int:
        """Current step (output cell, row by row). Setting it redraws synchronously."""
        return self._slider.value

    @step.setter
    def step(self, value):
        value = positive_int("step", value, minimum=0)
        if value >= self.n_steps:
            raise ValueError(f"step must lie in 0–{self.n_steps - 1}, got {value}")
        if value == self._slider.value:
            self._show(value)
        else:
            self._slider.value = value   # the observer redraws

    def frame(self, step: int | None = None) -> Image.Image:
        """The picture of ``step`` (default: the current step)."""
        return self._draw(self.step if step is None else step)

    def frames(self, steps=None) -> list:
        """Pictures of ``steps`` (default: every step)."""
        steps = range(self.n_steps) if steps is None else steps
        return [self._draw(s) for s in steps]

    def to_gif(self, path, *, steps=None, duration_ms: int | None = None) -> Path:
        """Write an animated GIF of every step (or of ``steps``) to ``path``."""
        path = Path(path)
        path.write_bytes(export.gif_bytes(self.frames(steps),
                                          duration_ms or self._interval_ms))
        return path

    def to_html(self, path=None, *, steps=None) -> str:
        """A self-contained HTML page: the frames inline (base64 PNG) and a tiny player.

        No network is needed to view it (no CDN, no external script or image). When
        ``path`` is given the page is also written there.
        """
        page = export.player_page(self.frames(steps), self._describe(),
                                  interval_ms=self._interval_ms,
                                  element_id=f"cnnlab-player-{type(self).__name__.lower()}")
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def static_html(self, max_frames: int = export.STILL_FRAMES) -> str:
        """An ``<img>`` with an animated GIF (no script): the view where no kernel runs;
        its alt text and caption say what the animation shows (:meth:`still_description`)."""
        steps = export.still_steps(self.n_steps, max_frames)
        return export.still_html(self.frames(steps), self.still_description(),
                                 interval_ms=self._interval_ms, of_steps=self.n_steps)

    def still_description(self) -> str:
        """The still's text alternative: what the animation shows, and its last step."""
        return (f"Animation in {self.n_steps} steps: {self._animation_summary()} "
                f"At the last step: {self._picture_description(self.n_steps - 1)}")

    def _player_title(self) -> str:
        """The player's name for a screen reader (its picture's label starts with it)."""
        kind = type(self).__name__.removesuffix("Explorer").lower()
        return f"{kind} explorer: {self._animation_summary().rstrip('.')}"

    def static_view(self, max_frames: int = export.STILL_FRAMES):
        """The static fallback as an IPython HTML object."""
        from IPython.display import HTML

        return HTML(self.static_html(max_frames))

    def player_html(self, max_frames: int = export.STILL_FRAMES) -> str:
        """The still (:meth:`static_html`) and a player that replaces it where scripts run:
        every step, keyboard operable, the step's sum line as text, no kernel, no network
        (:func:`cnnlab.widgets.export.player_html`). This is what a notebook stores."""
        still = self.static_html(max_frames)
        spec = self._player_spec()
        return still if spec is None else export.player_html(spec, still)

    def _player_spec(self):
        """The player's data (:mod:`cnnlab.widgets.export`); None: the still only."""
        return None

    def _still(self) -> dict:
        return {"text/html": self.player_html()}

    # -- shared wiring
    def _box(self, children) -> w.VBox:
        """The explorer's box: ``children`` and the lecture-mode style sheet."""
        box = w.VBox([*children, self._css])
        box.add_class("cnnlab-explorer")
        if render.get_style().name == "lecture":
            box.add_class("cnnlab-lecture")
        return box

    def _controls_row(self):
        return w.HBox([self._play, self._slider, self._speed])

    def _on_step(self, change):
        self._show(change["new"])

    def _on_speed(self, change):
        self._play.interval = max(10, round(1000 / change["new"]))

    def _show(self, step: int) -> None:
        self._picture.value = render.png_bytes(self._draw(step))
        self._picture_text.value = (f"<p><b>Picture, step {step + 1} of {self.n_steps}:</b> "
                                    f"{html.escape(self._picture_description(step))}</p>")

    @property
    def picture_description(self) -> str:
        """What the picture shows at the current step, in words (shown beside it)."""
        return self._picture_description(self.step)

    def _shown_frame(self) -> Image.Image:
        """The picture on screen, decoded from the picture widget."""
        return Image.open(io.BytesIO(self._picture.value))

    def _redraw(self) -> None:
        if render.get_style().name == "lecture":
            self.widget.add_class("cnnlab-lecture")
        else:
            self.widget.remove_class("cnnlab-lecture")
        self._show(self.step)

    def _reset_steps(self) -> None:
        """After the number of steps changed: clamp the step and redraw once."""
        last = max(self.n_steps - 1, 0)
        step = min(self._slider.value, last)
        self._slider.unobserve(self._on_step, names="value")
        try:
            for control in (self._slider, self._play):
                if control.value > last:     # lower the value before the maximum
                    control.value = last
                control.max = last
        finally:
            self._slider.observe(self._on_step, names="value")
        self._show(step)

    def _try(self, action, *, otherwise: str = "showing the last valid settings") -> bool:
        return super()._try(action, otherwise=otherwise)


class _TraceExplorer(_Explorer):
    """An explorer that animates a :class:`cnnlab.trace.Trace`."""

    def __init__(self, image, max_side):
        array = numeric_array("image", image)
        if array.ndim not in (2, 3):
            raise ValueError(f"image must be (H, W) or (H, W, C), got shape {array.shape}")
        self.image, note = _downscale(array, max_side)
        self._scaled = _downscaled_from(array, self.image)
        self.trace = self._build()
        super().__init__()
        self._note.value = html.escape(note)

    @property
    def n_steps(self) -> int:
        """Number of steps (output cells)."""
        return self.trace.n_steps

    @property
    def shown_output(self) -> np.ndarray:
        """The output as shown at the current step: computed cells, NaN for the rest."""
        output = self.trace.partial_output(self.step)
        return output if output.ndim == 2 else output[..., 0]

    def _draw(self, step):
        return render.draw_step(self.trace, step)

    def _animation_summary(self) -> str:
        t = self.trace
        (h, w_), (kh, kw), (oh, ow) = t.image.shape[:2], t.window, t.out_shape
        what = {"conv": f"a {kh}×{kw} kernel slides", "max": f"a {kh}×{kw} max-pooling "
                f"window slides", "avg": f"a {kh}×{kw} average-pooling window slides"}
        padded = " (with padding)" if any(sum(t.pads, ())) else ""
        return (f"{what[t.operation]} over the {h}×{w_} image{_aside(self._scaled)}{padded}, "
                f"stride {t.stride[0]}, and fills the {oh}×{ow} output row by row.")

    def _picture_description(self, step: int) -> str:
        t = self.trace
        record = t.record(step)
        (i, j), rows, cols = record.cell, record.rows, record.cols
        value = np.atleast_1d(record.value)
        result = ", ".join(render.format_number(v) for v in value)
        return (f"the window covers rows {rows.min()}–{rows.max()} and columns "
                f"{cols.min()}–{cols.max()} of the {'padded ' if any(sum(t.pads, ())) else ''}"
                f"input; output cell ({i}, {j}) = {result}.")

    def _player_spec(self):
        return export.trace_player_spec(self.trace, self._player_title(),
                                        interval_ms=self._interval_ms)

    def _apply(self):
        """Rebuild the trace after a change of settings and show it."""
        self.trace = self._build()
        self._formula.value = self._formula_html()
        self._reset_steps()

    def _formula_html(self) -> str:
        t = self.trace
        (h, w_), (kh, kw) = t.image.shape[:2], t.window
        rows = ops.explain_output_size(h, kh, stride=t.stride[0], padding=t.pads[0],
                                       dilation=t.dilation[0])
        cols = ops.explain_output_size(w_, kw, stride=t.stride[1], padding=t.pads[1],
                                       dilation=t.dilation[1])
        return (f"<b>output size</b><br>rows: {html.escape(rows)}<br>"
                f"columns: {html.escape(cols)}")


def _padding_options(padding):
    options = [("valid", "valid"), ("same", "same"), ("1", 1), ("2", 2), ("3", 3)]
    if not any(value == padding for _, value in options):
        options.append((str(padding), padding))
    return options


def _kernel_text(kernel: np.ndarray) -> str:
    def row(values):
        return "  ".join(np.format_float_positional(v, precision=4, trim="-") for v in values)

    planes = kernel[..., None] if kernel.ndim == 2 else kernel
    return "\n\n".join("\n".join(row(r) for r in planes[..., c])
                       for c in range(planes.shape[2]))


def _parse_kernel(text: str) -> np.ndarray:
    """'1 0 -1 / 2 0 -2 / ...' rows; blank lines separate the channels of a 3-D kernel."""
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    if not blocks:
        raise ValueError("kernel text is empty: write one row of numbers per line")
    planes = []
    for block in blocks:
        try:
            rows = [[float(v) for v in line.replace(",", " ").split()]
                    for line in block.strip().splitlines() if line.strip()]
        except ValueError as error:
            raise ValueError(f"kernel text must hold numbers only: {error}") from None
        if len({len(r) for r in rows}) != 1:
            raise ValueError(f"every kernel row needs the same number of values, got "
                             f"{[len(r) for r in rows]}")
        planes.append(np.array(rows))
    if len({p.shape for p in planes}) != 1:
        raise ValueError(f"every channel of the kernel needs the same shape, got "
                         f"{[p.shape for p in planes]}")
    return planes[0] if len(planes) == 1 else np.stack(planes, axis=-1)


class ConvolutionExplorer(_TraceExplorer):
    """Animate a convolution: the window slides, the products appear, the output grows.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, 3)
        Grayscale or RGB (then the kernel has 3 channels and the per-channel sums add up).
    kernel : str or array_like
        A name from :func:`cnnlab.kernels.names` or a (kh, kw) / (kh, kw, C) array. A 2-D
        kernel on an RGB image is used on every channel.
    stride, padding, dilation
        As in :func:`cnnlab.ops.conv2d` (Keras: ``strides``, ``padding``, ``dilation_rate``).
    max_side : int or None
        Larger images are downscaled for the animation (a note says so).

    Examples
    --------
    >>> explorer = ConvolutionExplorer(np.zeros((5, 5)), np.ones((3, 3)), stride=2)
    >>> explorer.n_steps, explorer.trace.out_shape
    (4, (2, 2))
    """

    def __init__(self, image, kernel="sobel_x", *, stride=1, padding="valid", dilation=1,
                 max_side: int | None = MAX_SIDE):
        self._kernel_name = kernel if isinstance(kernel, str) else "custom"
        base = kernels.get(kernel) if isinstance(kernel, str) else numeric_array("kernel", kernel)
        self._kernel2d = np.asarray(base, dtype=np.float64)
        self._args = dict(stride=stride, padding=padding, dilation=dilation)
        super().__init__(image, max_side)
        self._kernel_menu = w.Dropdown(options=["custom", *kernels.names()],
                                       value=self._kernel_name, description="kernel")
        self._kernel_edit = w.Textarea(value=_kernel_text(self._kernel2d), rows=4,
                                       description="edit", layout=w.Layout(width="260px"))
        self._kernel_info = w.HTML()
        self._padding = w.Dropdown(options=_padding_options(padding), value=padding,
                                   description="padding")
        self._stride = w.IntSlider(min=1, max=max(4, _first(stride)), value=_first(stride),
                                   description="stride")
        self._dilation = w.IntSlider(min=1, max=max(4, _first(dilation)),
                                     value=_first(dilation), description="dilation")
        self._formula = w.HTML(self._formula_html())
        self._describe_kernel()
        self._kernel_menu.observe(self._on_kernel_name, names="value")
        self._kernel_edit.observe(self._on_kernel_text, names="value")
        for control in (self._padding, self._stride, self._dilation):
            control.observe(self._on_setting, names="value")
        self.widget = self._box([
            self._controls_row(),
            w.HBox([w.VBox([self._kernel_menu, self._kernel_edit, self._kernel_info]),
                    w.VBox([self._padding, self._stride, self._dilation])]),
            self._message, self._note, self._picture, self._picture_text, self._formula,
        ])
        self._show(0)

    def _build(self):
        return trace.conv2d(self.image, self._expand(self._kernel2d), **self._args)

    def _describe(self) -> str:
        t = self.trace
        kh, kw = t.window
        return (f"ConvolutionExplorer(image {'×'.join(map(str, t.image.shape[:2]))}"
                f"{'' if t.gray else '×' + str(t.channels)}{self._scaled}, "
                f"kernel {kh}×{kw}, stride "
                f"{self._args['stride']!r}, padding {self._args['padding']!r}, dilation "
                f"{self._args['dilation']!r})")

    def _describe_kernel(self):
        text = (kernels.describe(self._kernel_name) if self._kernel_name != "custom"
                else "your own kernel")
        if self.image.ndim == 3 and self._kernel2d.ndim == 2:
            text += " The same kernel is used on every channel; the channel sums are added."
        self._kernel_info.value = html.escape(text)

    # -- control callbacks: each keeps the last valid state on a mistake
    def _on_kernel_name(self, change):
        if change["new"] == "custom":
            return
        self._kernel_name = change["new"]
        self._set_kernel(kernels.get(change["new"]), update_text=True)

    def _on_kernel_text(self, change):
        if self._updating_text:
            return

        def action():
            kernel = _parse_kernel(change["new"])
            trace.conv2d(self.image, self._expand(kernel), **self._args)   # validate
            self._kernel_name = "custom"
            self._kernel_menu.value = "custom"
            self._set_kernel(kernel, update_text=False)
        self._try(action)

    _updating_text = False

    def _expand(self, kernel):
        """A 2-D kernel on a C-channel image: the same kernel on every channel."""
        if self.image.ndim == 3 and kernel.ndim == 2:
            return np.stack([kernel] * self.image.shape[2], axis=-1)
        return kernel

    def _set_kernel(self, kernel, *, update_text):
        previous = self._kernel2d
        self._kernel2d = np.asarray(kernel, dtype=np.float64)
        if update_text:
            self._updating_text = True
            try:
                self._kernel_edit.value = _kernel_text(self._kernel2d)
            finally:
                self._updating_text = False
        self._describe_kernel()
        if not self._try(self._apply):
            self._kernel2d = previous

    def _on_setting(self, _change):
        previous = dict(self._args)
        self._args = dict(stride=self._stride.value, padding=self._padding.value,
                          dilation=self._dilation.value)
        if not self._try(self._apply):
            self._args = previous


def _first(value):
    return value[0] if isinstance(value, (tuple, list)) else value


class PoolingExplorer(_TraceExplorer):
    """Animate max or average pooling; the max's position is outlined.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
        A C-channel image is pooled channel by channel; ``channel`` picks the one shown.
    size, stride, padding, mode
        As in :func:`cnnlab.ops.pool2d` (Keras: ``pool_size``, ``strides``, ``padding``).

    Examples
    --------
    >>> explorer = PoolingExplorer(np.arange(16).reshape(4, 4), 2, mode="avg")
    >>> explorer.n_steps, explorer.trace.output.tolist()
    (4, [[2.5, 4.5], [10.5, 12.5]])
    """

    def __init__(self, image, size=2, *, stride=None, padding="valid", mode="max",
                 channel: int = 0, max_side: int | None = MAX_SIDE):
        array = numeric_array("image", image)
        self._channel = positive_int("channel", channel, minimum=0)
        if array.ndim == 3 and self._channel >= array.shape[2]:
            raise ValueError(f"channel must lie in 0–{array.shape[2] - 1}, got {channel}")
        self._args = dict(size=size, stride=stride, padding=padding, mode=mode)
        super().__init__(array, max_side)
        self._size = w.IntSlider(min=1, max=max(4, _first(size)), value=_first(size),
                                 description="size")
        stride_options = [("= size", None), ("1", 1), ("2", 2), ("3", 3)]
        if stride is not None and stride not in (1, 2, 3):
            stride_options.append((str(stride), stride))
        self._stride = w.Dropdown(options=stride_options, value=stride, description="stride")
        pad_options = [("valid", "valid"), ("same", "same")]
        if padding not in ("valid", "same"):
            pad_options.append((str(padding), padding))
        self._padding = w.Dropdown(options=pad_options, value=padding, description="padding")
        self._mode = w.Dropdown(options=[("max", "max"), ("average", "avg")], value=mode,
                                description="mode")
        controls = [self._size, self._stride, self._padding, self._mode]
        if self.image.ndim == 3:
            names = ["R", "G", "B"] if self.image.shape[2] == 3 else [
                str(c) for c in range(self.image.shape[2])]
            self._channel_menu = w.Dropdown(options=[(n, c) for c, n in enumerate(names)],
                                            value=self._channel, description="channel")
            controls.append(self._channel_menu)
        for control in controls:
            control.observe(self._on_setting, names="value")
        self._formula = w.HTML(self._formula_html())
        self.widget = self._box([self._controls_row(), w.HBox([w.VBox(controls[:2]),
                                                              w.VBox(controls[2:])]),
                                 self._message, self._note, self._picture,
                                 self._picture_text, self._formula])
        self._show(0)

    def _build(self):
        plane = self.image if self.image.ndim == 2 else self.image[..., self._channel]
        return trace.pool2d(plane, **self._args)

    def _describe(self) -> str:
        shape = "×".join(map(str, self.image.shape))
        # stride None means "= size" (as in Keras); the caption shows the stride in effect
        stride = self._args["stride"]
        stride = self._args["size"] if stride is None else stride
        return (f"PoolingExplorer(image {shape}, size {self._args['size']!r}, stride "
                f"{stride!r}, padding {self._args['padding']!r}, mode "
                f"{self._args['mode']!r})")

    def _on_setting(self, _change):
        previous = dict(self._args), self._channel
        self._args = dict(size=self._size.value, stride=self._stride.value,
                          padding=self._padding.value, mode=self._mode.value)
        if self.image.ndim == 3:
            self._channel = self._channel_menu.value
        if not self._try(self._apply):
            self._args, self._channel = previous


class ChannelExplorer(_Explorer):
    """An RGB photo as three matrices: pick a pixel, scale the channels, see the mix.

    ``step`` is the picked pixel, row by row (``row = step // width``). The sliders scale
    R, G and B (additive colour: the mix is the sum of three coloured lights); ``scales``
    sets them from code, e.g. ``(1, 1, 0)`` to switch the blue light off.

    Examples
    --------
    >>> explorer = ChannelExplorer(np.zeros((4, 5, 3), dtype=np.uint8))
    >>> explorer.n_steps
    20
    >>> explorer.step = 7; explorer.pixel
    (1, 2)
    >>> ChannelExplorer(np.zeros((40, 60, 3), dtype=np.uint8), scales=(1, 1, 0))
    ChannelExplorer(image 21×32×3, downscaled from 40×60, mix R·1.00 + G·1.00 + B·0.00)
    """

    _interval_ms = 150

    def __init__(self, image, *, max_side: int | None = MAX_SIDE, scales=(1.0, 1.0, 1.0)):
        original = images.as_rgb(image)
        self.image, note = _downscale(original, max_side)
        self._scaled = _downscaled_from(original, self.image)
        self.scales = _channel_scales(scales)
        super().__init__()
        self._note.value = html.escape(note)
        self._scale_sliders = [w.FloatSlider(min=0, max=1, step=0.05, value=scale,
                                             description=name, readout_format=".2f")
                               for name, scale in zip(("red", "green", "blue"), self.scales,
                                                      strict=True)]
        for slider in self._scale_sliders:
            slider.observe(self._on_scale, names="value")
        self.widget = self._box([self._controls_row(), w.HBox(self._scale_sliders),
                                 self._message, self._note, self._picture, self._picture_text])
        self._show(0)

    @property
    def n_steps(self) -> int:
        return self.image.shape[0] * self.image.shape[1]

    @property
    def pixel(self) -> tuple:
        """(row, column) of the picked pixel."""
        return divmod(self.step, self.image.shape[1])

    @property
    def mixed(self) -> np.ndarray:
        """The photo with each channel scaled by its slider (uint8)."""
        return np.round(self.image * np.array(self.scales)).astype(np.uint8)

    def _on_scale(self, _change):
        self.scales = tuple(s.value for s in self._scale_sliders)
        self._show(self.step)

    def _describe(self) -> str:
        mix = ("" if self.scales == (1.0, 1.0, 1.0) else
               ", mix R·{:.2f} + G·{:.2f} + B·{:.2f}".format(*self.scales))
        return "ChannelExplorer(image {}×{}×3{}{})".format(*self.image.shape[:2], self._scaled,
                                                          mix)

    def _animation_summary(self) -> str:
        h, w_ = self.image.shape[:2]
        return (f"the {h}×{w_} photo{_aside(self._scaled)} beside its red, green and blue "
                f"channels, each drawn in its own colour, and their mix; the picked pixel "
                f"moves row by row.")

    def _picture_description(self, step: int) -> str:
        row, col = divmod(step, self.image.shape[1])
        red, green, blue = (int(v) for v in self.image[row, col])
        mixed = ", ".join(str(int(v)) for v in self.mixed[row, col])
        return (f"pixel (row {row}, column {col}) has red {red}, green {green}, blue {blue}; "
                f"scaled by the sliders the mix is ({mixed}).")

    def _draw(self, step):
        return render.channels_image(self.image, divmod(step, self.image.shape[1]),
                                     self.scales)

    def _player_spec(self):
        return export.channels_player_spec(self.image, self.scales, self._player_title(),
                                           interval_ms=self._interval_ms)


def _channel_scales(scales) -> tuple:
    """(r, g, b) slider values, each 0–1."""
    values = numeric_array("scales", scales).astype(float)
    if values.shape != (3,) or values.min() < 0 or values.max() > 1:
        raise ValueError(f"scales must be three numbers in 0–1 (red, green, blue), got {scales!r}")
    return tuple(float(v) for v in values)
