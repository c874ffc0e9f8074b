"""The feature-map explorer: pick a layer and a channel, see one image's activation.

Any Keras CNN (Sequential, functional, or a transfer model with its backbone nested
inside) and any image the model can take. TensorFlow is imported only when an explorer is
built (through the model helpers).
"""

from __future__ import annotations

import base64
import html

import ipywidgets as w
import numpy as np
from PIL import Image

from .. import images, render, saliency
from .._tf import import_tensorflow
from .._validate import keras_model, numeric_array, positive_int
from ..models import feature_layers, feature_maps
from ._base import Widget

__all__ = ["FeatureMapExplorer"]

#: The input and the feature map are drawn at least this many pixels wide (nearest
#: neighbour, so every value stays a crisp square).
PICTURE_SIDE = 224


def _scale(shape) -> int:
    return max(1, PICTURE_SIDE // max(shape[:2]))


def _fit_to_model(model, image) -> tuple[np.ndarray, str]:
    """``image`` resized to the model's input height and width if they differ, and a note
    saying so ('' when nothing was changed).

    Only the size is fitted: the channels must already match (a gray picture is not a
    colour one), and the values stay on their scale (uint8 stays uint8).
    """
    array = numeric_array("image", image)
    expected = tuple(model.inputs[0].shape[1:])         # None: any size along that axis
    if len(expected) != 3:
        raise ValueError(f"model must take images (height, width, channels), its input "
                         f"shape is {expected}")
    channels = 1 if array.ndim == 2 else array.shape[-1]
    if array.ndim not in (2, 3) or channels != expected[2]:
        one = " or (height, width)" if expected[2] == 1 else ""
        raise ValueError(f"image must have {expected[2]} channel(s), like the model's input "
                         f"{expected}: shape (height, width, {expected[2]}){one}, got shape "
                         f"{array.shape}")
    size = tuple(want or have for want, have in zip(expected[:2], array.shape[:2],
                                                     strict=True))
    if size == array.shape[:2]:
        return array, ""
    tf = import_tensorflow()
    planes = array if array.ndim == 3 else array[..., None]
    # area averaging when shrinking (no aliasing), bilinear when enlarging
    method = "area" if size[0] * size[1] < planes.shape[0] * planes.shape[1] else "bilinear"
    resized = np.asarray(tf.image.resize(planes.astype(np.float32), size, method=method))
    if array.dtype == np.uint8:
        resized = np.clip(np.round(resized), 0, 255).astype(np.uint8)
    resized = resized if array.ndim == 3 else resized[..., 0]
    return resized, (f"The image ({array.shape[0]}×{array.shape[1]}) was resized to "
                     f"{size[0]}×{size[1]}, the size the model takes.")


class FeatureMapExplorer(Widget):
    """Pick a layer and a channel; see that feature map of one image.

    Uses ipywidgets' core widgets only (works with ipywidgets 7.7.1 and 8); the maps
    are computed once, drawn by :func:`cnnlab.render.array_image`. A bad choice (e.g.
    a channel the layer does not have, or an image of the wrong shape) shows in the
    widget's message area; the explorer keeps its last valid view.

    Parameters
    ----------
    model : keras.Model
        Any Keras CNN: e.g. a trained :func:`cnnlab.models.simple_cnn`, a functional
        model, or a transfer model whose backbone is nested inside (its layers are listed
        by path, ``"backbone/conv1"``; see :func:`cnnlab.models.feature_layers`).
    image : array_like
        One image in the model's own scale (raw 0–255 pixels for ``simple_cnn``,
        :func:`cnnlab.pretrained.preprocess`'s numbers for a backbone), uint8 or float,
        (H, W) or (H, W, C) with the model's number of channels. An image of another
        height or width is resized to the model's input, and a note under the controls
        says so. A one-channel image is drawn in gray over its own range; a colour image
        as it is (uint8, or floats 0.0–1.0) or stretched from its own range (other floats).
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
    >>> explorer.set_image(np.zeros((56, 56)))
    >>> explorer.note
    'The image (56×56) was resized to 28×28, the size the model takes.'
    """

    def __init__(self, model, image, *, layer: str | None = None, channel: int = 0,
                 cmap: str = "viridis"):
        super().__init__()
        keras_model("model", model)
        if not feature_layers(model):
            raise TypeError(f"model must be a CNN (a model with convolution or pooling "
                            f"layers), got {model.name!r}, which has none")
        self.model = model
        self.cmap = cmap
        self.image, self._note_text = _fit_to_model(model, image)
        self.maps = feature_maps(model, self.image)
        self._note = w.HTML(html.escape(self._note_text))
        self._info = w.HTML()
        self._input = w.Image(format="png")
        self._picture = w.Image(format="png")
        self._layer = w.Dropdown(options=self._layer_options(), description="layer")
        self._channel = w.IntSlider(min=0, max=0, value=0, description="channel",
                                    continuous_update=True, layout=w.Layout(width="420px"))
        self._layer.observe(self._on_layer, names="value")
        self._channel.observe(self._on_channel, names="value")
        self.widget = w.VBox([
            w.HBox([self._layer, self._channel]), self._message, self._note, self._info,
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
    def note(self) -> str:
        """What was done to fit the image to the model ('' when nothing)."""
        return self._note_text

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
            fitted, note = _fit_to_model(self.model, image)
            maps = feature_maps(self.model, fitted)
            picture = self._input_image(fitted)
            self.maps, self.image, self._note_text = maps, fitted, note
            self._note.value = html.escape(note)
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

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The still's text alternative rides in the metadata (the PNG's alt): its numbers
        # come from floating-point inference, and nbval compares data, not metadata.
        return (super()._repr_mimebundle_(include, exclude),
                {"image/png": {"alt": self.still_description()}})

    def still_description(self) -> str:
        """What the still shows, in words: the text alternative of the stored picture."""
        values = np.asarray(self.feature_map, dtype=float)
        height, width = values.shape[:2]
        where = ("the channel responds nowhere: the map is zero everywhere"
                 if values.max() <= 0 else
                 "the strongest responses: "
                 + saliency.where_heat_lies(np.maximum(values, 0), quantity="response"))
        return (f"Feature map of layer {self.layer}, channel {self.channel}: a {height}×{width} "
                f"grid of the channel's responses to the image, from dark (weakest, "
                f"{values.min():.3g}) to bright (strongest, {values.max():.3g}); {where}.")

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
        if image.dtype.kind == "f" and (image.min() < 0 or image.max() > 1):
            # e.g. raw 0–255 floats or a backbone's −1…1: drawn stretched from their range
            low, high = float(image.min()), float(image.max())
            image = (image - low) / ((high - low) or 1.0)
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
