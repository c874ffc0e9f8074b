"""The feature-map explorer: pick a layer and a channel, see one image's activation.

TensorFlow is imported only when an explorer is built (through the model helpers).
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w
import numpy as np
from PIL import Image

from .. import images, render
from .._validate import positive_int
from ..models import feature_maps
from ._base import Widget

__all__ = ["FeatureMapExplorer"]

#: The input and the feature map are drawn at least this many pixels wide (nearest
#: neighbour, so every value stays a crisp square).
PICTURE_SIDE = 224


def _scale(shape) -> int:
    return max(1, PICTURE_SIDE // max(shape[:2]))


class FeatureMapExplorer(Widget):
    """Pick a layer and a channel; see that feature map of one image.

    Uses ipywidgets' core widgets only (works with ipywidgets 7.7.1 and 8); the maps
    are computed once, drawn by :func:`cnnlab.render.array_image`. A bad choice (e.g.
    a channel the layer does not have, or an image of the wrong shape) shows in the
    widget's message area; the explorer keeps its last valid view.

    Parameters
    ----------
    model : keras.Model
        E.g. a trained :func:`cnnlab.models.simple_cnn`.
    image : array_like
        One image as the model takes it. A one-channel image is drawn in gray over its
        own range; a colour image by :func:`cnnlab.images.as_rgb`'s rules (0–255
        integers or 0.0–1.0 floats).
    layer : str, optional
        Name of the conv/pool layer shown first (default: the first).
    channel : int
        Channel shown first.
    cmap : str
        Colour map of the maps (see :func:`cnnlab.render.array_image`).

    Examples
    --------
    >>> from cnnlab.models import simple_cnn
    >>> explorer = FeatureMapExplorer(simple_cnn((28, 28, 1), 10), np.zeros((28, 28)))
    >>> explorer.show(layer="pool2", channel=31)
    >>> explorer.layer, explorer.channel, explorer.feature_map.shape
    ('pool2', 31, (7, 7))
    >>> explorer.show(channel=99)
    >>> explorer.message
    'channel must lie in 0–31 (layer pool2 has 32 channels), got 99'
    """

    def __init__(self, model, image, *, layer: str | None = None, channel: int = 0,
                 cmap: str = "viridis"):
        super().__init__()
        self.model = model
        self.cmap = cmap
        self.maps = feature_maps(model, image)
        self.image = np.asarray(image)
        self._info = w.HTML()
        self._input = w.Image(format="png")
        self._picture = w.Image(format="png")
        self._layer = w.Dropdown(options=self._layer_options(), description="layer")
        self._channel = w.IntSlider(min=0, max=0, value=0, description="channel",
                                    continuous_update=True, layout=w.Layout(width="420px"))
        self._layer.observe(self._on_layer, names="value")
        self._channel.observe(self._on_channel, names="value")
        self.widget = w.VBox([
            w.HBox([self._layer, self._channel]), self._message, self._info,
            w.HBox([w.VBox([w.HTML("<b>input</b>"), self._input]),
                    w.VBox([w.HTML("<b>feature map</b>"), self._picture])]),
        ])
        self._input.value = render.png_bytes(self._input_image(self.image))
        self._select(layer or next(iter(self.maps)), 0)     # a bad layer name raises here
        self.show(channel=channel)

    # -- public
    @property
    def layer(self) -> str:
        """Name of the layer shown."""
        return self._layer.value

    @property
    def channel(self) -> int:
        """Channel shown."""
        return self._channel.value

    @property
    def feature_map(self) -> np.ndarray:
        """The 2-D map shown (float32)."""
        return self.maps[self.layer][..., self.channel]

    def show(self, layer: str | None = None, channel: int | None = None) -> None:
        """Switch to ``layer`` and/or ``channel``; a bad value goes to the message area."""
        self._try(lambda: self._select(self.layer if layer is None else layer,
                                       self.channel if channel is None else channel))

    def set_image(self, image) -> None:
        """Show the maps of another image; a bad image goes to the message area."""
        def action():
            maps = feature_maps(self.model, image)
            picture = self._input_image(np.asarray(image))
            self.maps, self.image = maps, np.asarray(image)
            self._input.value = render.png_bytes(picture)
            self._draw()
        self._try(action, otherwise="still showing the previous image")

    # -- internals
    def _describe(self) -> str:
        return (f"FeatureMapExplorer(layers {', '.join(self.maps)}; showing {self.layer}, "
                f"channel {self.channel})")

    def _still(self) -> dict:
        # a PNG of the current map: nbval does not compare PNGs, so its float-derived
        # pixels cannot break it
        return {"image/png": base64.b64encode(render.png_bytes(self._map_image())).decode()}

    def _layer_options(self):
        return [(f"{name} ({'×'.join(str(n) for n in stack.shape)})", name)
                for name, stack in self.maps.items()]

    def _select(self, layer, channel) -> None:
        if layer not in self.maps:
            raise ValueError(f"layer must be one of {', '.join(map(repr, self.maps))}, "
                             f"got {layer!r}")
        count = self.maps[layer].shape[-1]
        channel = positive_int("channel", channel, minimum=0)
        if channel >= count:
            raise ValueError(f"channel must lie in 0–{count - 1} (layer {layer} has "
                             f"{count} channels), got {channel}")
        self._layer.unobserve(self._on_layer, names="value")
        self._channel.unobserve(self._on_channel, names="value")
        try:
            self._layer.value = layer
            if self._channel.value > count - 1:
                self._channel.value = count - 1
            self._channel.max = count - 1
            self._channel.value = channel
        finally:
            self._layer.observe(self._on_layer, names="value")
            self._channel.observe(self._on_channel, names="value")
        self._draw()

    def _on_layer(self, change):
        self.show(layer=change["new"], channel=min(self.channel,
                                                   self.maps[change["new"]].shape[-1] - 1))

    def _on_channel(self, change):
        self.show(channel=change["new"])

    def _map_image(self):
        return render.array_image(self.feature_map, cmap=self.cmap,
                                  scale=_scale(self.feature_map.shape))

    @staticmethod
    def _input_image(image: np.ndarray):
        """The input as the picture beside the maps."""
        if image.ndim == 2 or image.shape[-1] == 1:
            gray = image if image.ndim == 2 else image[..., 0]
            return render.array_image(gray, cmap="gray", scale=_scale(gray.shape))
        scale = _scale(image.shape)
        return Image.fromarray(images.resize(
            image, (image.shape[0] * scale, image.shape[1] * scale), resample="nearest"))

    def _draw(self) -> None:
        values = self.feature_map
        stack = self.maps[self.layer]
        self._picture.value = render.png_bytes(self._map_image())
        self._info.value = html.escape(
            f"{self.layer}: channel {self.channel} of {stack.shape[-1]}, "
            f"{values.shape[0]}×{values.shape[1]}, values {values.min():.2f} to "
            f"{values.max():.2f}")
