"""Explorer frames for places without a kernel: an animated GIF, a self-contained HTML
player and the static still that a notebook stores next to the live widget.

Everything is inline (base64 images, a few lines of script): no network, no CDN.

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
import html
import io
import json

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
    return (f"<figure><img alt='{html.escape(title)}' "
            f"src='data:image/gif;base64,{gif}'><figcaption>{html.escape(title)}"
            f"{sampled} — run the notebook for the interactive explorer.</figcaption>"
            "</figure>")
