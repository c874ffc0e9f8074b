"""Explorer frames for places without a kernel: an animated GIF, a self-contained HTML
player, the static still and the player that a notebook stores next to the live widget.

Everything is inline (base64 images, a few lines of script): no network, no CDN.

The stored player (:func:`player_html`) is the still (a GIF, where scripts cannot run: GitHub
strips them) plus ``player.js``, which replaces it by a canvas with play/pause, step and
slider controls and the step's sum line as text. It draws only what :func:`trace_player_spec`
took from the explorer's own renderer (:meth:`cnnlab.render.Renderer.overlay`): it computes
no number.

Examples
--------
>>> from PIL import Image
>>> frames = [Image.new("RGB", (4, 4), colour) for colour in ("red", "blue")]
>>> gif_bytes(frames, 400)[:6]
b'GIF89a'
>>> "<script>" in player_page(frames, "two colours", interval_ms=400)
True
"""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from .. import render

#: Frames of the still shown where no kernel runs (steps are sampled evenly).
STILL_FRAMES = 16


def gif_bytes(frames, duration_ms: int) -> bytes:
    """Animated GIF, small: one shared palette (from the first and last frames), and every
    pixel that did not change since the previous frame is transparent (index 255), which
    LZW compresses to almost nothing."""
    first, last = frames[0], frames[-1]
    sheet = Image.new("RGB", (first.width, first.height + last.height))
    sheet.paste(first, (0, 0))
    sheet.paste(last, (0, first.height))
    palette = sheet.quantize(colors=255, method=Image.Quantize.MEDIANCUT,
                             dither=Image.Dither.NONE)
    colours = palette.getpalette()[: 3 * 255] + [0, 0, 0]
    indexed = [np.asarray(f.quantize(palette=palette, dither=Image.Dither.NONE))
               for f in frames]
    pictures = []
    for previous, current in zip([None, *indexed[:-1]], indexed, strict=True):
        if previous is not None:
            current = np.where(previous == current, np.uint8(255), current)
        picture = Image.fromarray(current, "P")
        picture.putpalette(colours)
        pictures.append(picture)
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:],
                     duration=duration_ms, loop=0, optimize=False, disposal=1, transparency=255)
    return buffer.getvalue()


_PLAYER_JS = """
(function () {
  var root = document.getElementById("%(id)s");
  var frames = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var img = root.querySelector("img"), slider = root.querySelector("input"),
      button = root.querySelector("button"), label = root.querySelector("span"), timer = null;
  function show(i) { img.src = frames[i]; slider.value = i;
                     label.textContent = "step " + i + " / " + (frames.length - 1); }
  slider.oninput = function () { show(+slider.value); };
  button.onclick = function () {
    if (timer) { clearInterval(timer); timer = null; button.textContent = "Play"; return; }
    button.textContent = "Pause";
    timer = setInterval(function () { show((+slider.value + 1) %% frames.length); }, %(ms)d);
  };
  show(0);
})();
"""


def player_page(frames, title: str, *, interval_ms: int,
                element_id: str = "cnnlab-player") -> str:
    """A self-contained HTML page: ``frames`` inline (base64 PNG) and a tiny player."""
    sources = ["data:image/png;base64," + base64.b64encode(render.png_bytes(f)).decode()
               for f in frames]
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>\n"
        f"<div id='{element_id}'><p>{html.escape(title)}</p>"
        f"<img alt='animation frame' src='{sources[0]}'><br>"
        f"<button type='button'>Play</button> "
        f"<input type='range' min='0' max='{len(sources) - 1}' value='0' style='width:420px'> "
        f"<span></span>\n<script type='application/json'>{json.dumps(sources)}</script>\n"
        f"<script>{_PLAYER_JS % {'id': element_id, 'ms': interval_ms}}</script>"
        "</div>\n</body></html>\n"
    )


def still_steps(n_steps: int, max_frames: int = STILL_FRAMES) -> list[int]:
    """At most ``max_frames`` steps out of ``n_steps``, evenly spread, first and last kept.

    >>> still_steps(100, 5)
    [0, 25, 50, 74, 99]
    """
    count = min(n_steps, max_frames)
    return sorted({round(s) for s in np.linspace(0, n_steps - 1, count)})


def still_html(frames, title: str, *, interval_ms: int, of_steps: int) -> str:
    """An ``<img>`` with an animated GIF of ``frames`` (no script): the still.

    ``of_steps`` is how many steps the animation has; the caption says when the GIF
    shows fewer.
    """
    gif = base64.b64encode(gif_bytes(frames, interval_ms)).decode()
    sampled = "" if len(frames) == of_steps else f" ({len(frames)} of {of_steps} steps)"
    return (f"<figure class='cnnlab-still'><img alt='{html.escape(title)}' "
            f"src='data:image/gif;base64,{gif}'><figcaption>{html.escape(title)}"
            f"{sampled} — run the notebook for the interactive explorer.</figcaption>"
            "</figure>")


_HERE = Path(__file__).parent


@functools.lru_cache(maxsize=1)
def player_script() -> str:
    """The player's script (``player.js`` with ``player.css`` inlined), shared by every
    player on a page: its first copy defines ``window.cnnlabPlayer``, the others only start
    the players not started yet."""
    css = (_HERE / "player.css").read_text(encoding="utf-8")
    script = (_HERE / "player.js").read_text(encoding="utf-8")
    return script.replace('"__CSS__"', json.dumps(css))


def _hex(colour) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in colour[:3]))


def _hex_grid(colours) -> list:
    return [[_hex(c) for c in row] for row in colours]


def _data_uri(picture: Image.Image) -> str:
    return "data:image/png;base64," + base64.b64encode(render.png_bytes(picture)).decode()


def trace_player_spec(trace, title: str, *, interval_ms: int, style=None) -> dict:
    """What the player draws for each step of ``trace``: taken from the explorer's renderer.

    The base picture is the renderer's cached background down to the sum lines (the page
    shows those as text); per step come the renderer's outlines, its products (or pooling
    window) grids and its sum lines (:meth:`cnnlab.render.Renderer.overlay`), and the
    output panel is uncovered cell by cell from the renderer's full output picture.

    Examples
    --------
    >>> import numpy as np
    >>> from cnnlab import trace
    >>> spec = trace_player_spec(trace.conv2d(np.eye(3), np.ones((2, 2))), "demo",
    ...                          interval_ms=400)
    >>> len(spec["steps"]), spec["steps"][3]["lines"]
    (4, ['output[1, 1] = 1·1 + 0·1 + 0·1 + 1·1 = 2'])
    """
    renderer = render.Renderer(trace, style)
    s = renderer.style
    width, height = renderer.size[0], renderer.text_top
    steps = []
    for step in range(trace.n_steps):
        overlay = renderer.overlay(step)
        steps.append({
            "outlines": [_outline_op(o) for o in overlay["outlines"]],
            "grids": [_grid_op(grid, renderer.k_cell) for grid in overlay["grids"]],
            "texts": [],
            "lines": overlay["lines"],
        })
    ox, oy = renderer.origin["output"]
    return {
        "title": title, "width": width, "height": height, "interval": interval_ms,
        "base": _data_uri(renderer.base.crop((0, 0, width, height))),
        "reveal": {"src": _data_uri(renderer.out_full), "x": ox, "y": oy,
                   "cell": renderer.out_cell, "cols": int(trace.out_shape[1])},
        **_fonts_and_colours(s), "steps": steps,
    }


def _fonts_and_colours(style) -> dict:
    font = "'DejaVu Sans', Verdana, sans-serif"    # the renderer's font, where installed
    return {"font": f"{style.font}px {font}", "titleFont": f"{style.title_font}px {font}",
            "gridLine": _hex(style.grid_line), "ink": _hex(style.ink)}


def _grid_op(grid, cell: int) -> list:
    """A renderer's ``(x, y, fills, inks, labels)`` grid as the player draws it."""
    x, y, fills, inks, labels = grid
    return [int(x), int(y), _hex_grid(fills), _hex_grid(inks),
            None if labels is None else labels.tolist(), int(cell)]


def _outline_op(outline, fill=None) -> list:
    box, colour, width = outline
    return [[int(v) for v in box], _hex(colour), int(width), None if fill is None else _hex(fill)]


def channels_player_spec(rgb, scales, title: str, *, interval_ms: int, style=None) -> dict:
    """What the player draws for each pixel of a :class:`ChannelExplorer`: the renderer's
    :func:`cnnlab.render.channels_base` once, and per pixel its
    :func:`cnnlab.render.channels_overlay`; the text is the pixel's line and its
    neighbourhood, channel by channel.

    >>> import numpy as np
    >>> spec = channels_player_spec(np.full((2, 2, 3), 9, np.uint8), (1, 1, 1), "demo",
    ...                             interval_ms=150)
    >>> spec["steps"][3]["lines"][:2]
    ['pixel (9, 9, 9) → mix (9, 9, 9)', 'R near (1, 1): 9 9 / 9 9']
    """
    s = style or render.get_style()
    base = render.channels_base(rgb, scales, s)
    height, width = np.asarray(rgb).shape[:2]
    steps = []
    for step in range(height * width):
        pixel = divmod(step, width)
        overlay = render.channels_overlay(rgb, pixel, scales, s)
        box, fill = overlay["swatch"]
        steps.append({
            "outlines": [*(_outline_op(o) for o in overlay["outlines"] + overlay["grid_outlines"]),
                         _outline_op((box, s.ink, 1), fill)],
            "grids": [_grid_op(grid, s.cell) for grid in overlay["grids"]],
            "texts": [[int(x), int(y), text] for x, y, text in overlay["texts"]],
            "lines": [overlay["texts"][-1][2], *(
                f"{name} near ({pixel[0]}, {pixel[1]}): "
                + " / ".join(" ".join(row) for row in grid[4].tolist())
                for name, grid in zip("RGB", overlay["grids"], strict=True))],
        })
    return {"title": title, "width": base.width, "height": base.height,
            "interval": interval_ms, "base": _data_uri(base), "reveal": None,
            **_fonts_and_colours(s), "steps": steps}


def player_payload(spec: dict) -> str:
    """``spec`` as the player reads it: JSON, raw deflate, base64.

    Raw deflate (no gzip header: no time stamp, no operating-system byte), so that the
    stored output, which nbval compares, is the same on every machine.

    >>> player_payload({"steps": []})
    'q1YqLkktKFayio6tBQA='
    """
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text) + packer.flush()).decode("ascii")


def player_html(spec: dict, still: str) -> str:
    """The still, which the player replaces where scripts run (no ids: several players
    share a page).

    >>> page = player_html({"steps": []}, "<figure class='cnnlab-still'></figure>")
    >>> page.startswith("<div class='cnnlab-player' data-cnnlab-player='q1Yq")
    True
    """
    return (f"<div class='cnnlab-player' data-cnnlab-player='{player_payload(spec)}'>"
            f"{still}<script>{player_script()}</script></div>")
