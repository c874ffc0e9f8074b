"""Where the network looks: Grad-CAM and gradient saliency, computed with ``tf.GradientTape``.

Both answer "which pixels made the network say this class?" with a heat map the size of
the image, 0 (no influence) to 1 (the most):

- :func:`grad_cam` (Selvaraju et al., 2017): how much each position of a late feature map
  raises the class's score. Coarse (a 7×7 map blown up to the image), but it marks
  *objects*; the usual choice.
- :func:`gradient_saliency` (Simonyan et al., 2014): how much each input pixel changes the
  score, ``|∂ score / ∂ pixel|``. Sharp but noisy.

The score is the class's *logit*, the output before the softmax: the softmax's
probabilities saturate near 1, and their gradients fade with them. When the model's last
layer applies a softmax (``Dense(…, activation="softmax")``, as :func:`cnnlab.models.simple_cnn`
does) it is switched off while the gradient is taken, as Keras' Grad-CAM example does;
a model that already ends in logits (EfficientNet-Lite0 with ``include_top=True``) is used
as it is.

The image goes in as the model takes it: raw 0–255 pixels for :func:`cnnlab.models.simple_cnn`
(it rescales them itself), prepared pixels for a backbone — or pass ``preprocess``, e.g.
``lambda photo: pretrained.preprocess(photo)`` — and the heat map has the height and width
of what the model received. :func:`cnnlab.figures.plot_saliency` draws it over the image.

Examples
--------
>>> import numpy as np
>>> from cnnlab import models, saliency
>>> model = models.simple_cnn((28, 28, 1), 10)
>>> heat = saliency.grad_cam(model, np.zeros((28, 28)), class_index=3)
>>> heat.shape, heat.dtype, bool(0 <= heat.min() and heat.max() <= 1)
((28, 28), dtype('float32'), True)
>>> saliency.last_feature_layer(model)
'pool2'
"""

from __future__ import annotations

import contextlib
import numbers

import numpy as np

from ._tf import import_keras, import_tensorflow
from ._validate import keras_model, numeric_array
from .models import _one_image, _recording, _walk_layers, find_layer

__all__ = ["grad_cam", "gradient_saliency", "last_feature_layer", "heat_share", "where_heat_lies"]


def _check_cnn(model) -> None:
    keras_model("model", model)
    layers = import_keras().layers
    convolutions = (layers.Conv2D, layers.DepthwiseConv2D, layers.SeparableConv2D)
    if not any(isinstance(layer, convolutions) for _, layer in _walk_layers(model)):
        raise TypeError(f"model must be a CNN (a model with a Conv2D layer), got "
                        f"{model.name!r}, which has no convolution")


def _is_feature_map(layer) -> bool:
    """A layer whose output is (batch, height, width, channels)."""
    try:
        shape = layer.output.shape
    except (AttributeError, ValueError):     # e.g. a layer shared between graphs
        return False
    return len(shape) == 4 and not isinstance(layer, import_keras().layers.InputLayer)


def last_feature_layer(model) -> str:
    """The last layer of ``model`` with a 4-D output: Grad-CAM's default layer.

    Layers of nested models count (their path is returned, e.g. ``"backbone/top_conv"``),
    so a transfer model ``Sequential([backbone, pooling, head])`` gets the backbone's last
    feature map, as Keras' Grad-CAM example picks its last convolution.

    Examples
    --------
    >>> from cnnlab import models
    >>> last_feature_layer(models.simple_cnn((28, 28, 1), 10))
    'pool2'
    """
    _check_cnn(model)
    paths = [path for path, layer in _walk_layers(model) if _is_feature_map(layer)]
    return paths[-1]


def _batch(model, image, preprocess):
    """``image`` (after ``preprocess``) as a float32 batch of one that fits ``model``."""
    if preprocess is not None:
        if not callable(preprocess):
            raise TypeError(f"preprocess must be a function (image → what the model "
                            f"takes), got {type(preprocess).__name__}")
        image = np.asarray(preprocess(image))
        if image.ndim == 4 and image.shape[0] == 1:  # e.g. pretrained.preprocess's batch
            image = image[0]
    return _one_image(model, image)


def _class_index(model, class_index, scores) -> int:
    count = int(scores.shape[-1])
    if class_index is None:
        return int(np.argmax(scores[0]))
    if isinstance(class_index, bool) or not isinstance(class_index, numbers.Integral):
        raise TypeError(f"class_index must be an integer in 0–{count - 1} or None (the top "
                        f"prediction), got {class_index!r}")
    if not 0 <= class_index < count:
        raise ValueError(f"class_index must lie in 0–{count - 1} ({model.name!r} has "
                         f"{count} outputs), got {class_index}")
    return int(class_index)


def _output_layer(model):
    """The layer that computes the model's output (inside nested models too)."""
    layer = model.layers[-1]
    while hasattr(layer, "layers") and hasattr(layer, "inputs") and layer.layers:
        layer = layer.layers[-1]
    return layer


@contextlib.contextmanager
def _logits(model):
    """While inside, a softmax in the model's last layer is switched off (see module doc)."""
    keras = import_keras()
    layer = _output_layer(model)
    activation = getattr(layer, "activation", None)
    if activation is not keras.activations.softmax:
        yield
        return
    layer.activation = keras.activations.linear
    try:
        yield
    finally:
        layer.activation = activation


def _normalised(values) -> np.ndarray:
    """``values`` divided by their maximum (all zeros stay zeros), float32."""
    values = np.asarray(values, dtype=np.float32)
    peak = float(values.max())
    return values / peak if peak > 0 else np.zeros_like(values)


def grad_cam(model, image, *, class_index: int | None = None, layer: str | None = None,
             preprocess=None) -> np.ndarray:
    """Grad-CAM: where in ``image`` the evidence for ``class_index`` lies, 0 to 1.

    The gradient of the class's logit with respect to a feature map ``A`` (channels k) is
    averaged over the map's positions, giving one weight ``α_k`` per channel; the heat map
    is ``ReLU(Σ_k α_k A_k)``, enlarged (bilinear) to the image's size and divided by its
    maximum. Keras' equivalent: the "Grad-CAM class activation visualization" example.

    Parameters
    ----------
    model : keras.Model
        A CNN: Sequential, functional, or a model with a CNN nested inside (a transfer
        model ``Sequential([backbone, pooling, head])``).
    image : array_like
        One image as the model takes it, (H, W, C), or (H, W) for one channel: uint8 or
        float, in the model's own scale (raw 0–255 pixels for
        :func:`cnnlab.models.simple_cnn`; :func:`cnnlab.pretrained.preprocess`'s output for
        a backbone), unless ``preprocess`` prepares it.
    class_index : int, optional
        The class to explain; default: the model's top prediction.
    layer : str, optional
        The feature map to weigh: a layer's name or path (``"backbone/top_conv"``) with a
        4-D output. Default: :func:`last_feature_layer`.
    preprocess : callable, optional
        Applied to ``image`` first; may return one image or a batch of one.

    Returns
    -------
    numpy.ndarray
        float32, (H, W) of the model's input, in [0, 1]; all zeros when no position
        speaks for the class.

    Raises
    ------
    TypeError
        ``model`` is not a Keras CNN; ``class_index`` is not an integer.
    ValueError
        ``image`` does not fit the model's input; ``class_index`` is out of range;
        ``layer`` is unknown or has no 4-D output.

    Examples
    --------
    >>> from cnnlab import models
    >>> model = models.simple_cnn((28, 28, 1), 10)
    >>> grad_cam(model, np.zeros((28, 28)), layer="conv1").shape
    (28, 28)
    >>> grad_cam(model, np.zeros((28, 28)), layer="flatten")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: layer must have a 4-D output (batch, height, width, channels), got 'flatten' ...
    """
    tf = import_tensorflow()
    _check_cnn(model)
    path = last_feature_layer(model) if layer is None else layer
    target = find_layer(model, path)
    if not _is_feature_map(target):
        raise ValueError(f"layer must have a 4-D output (batch, height, width, channels), "
                         f"got {path!r} with output shape {tuple(target.output.shape)}")
    batch = tf.constant(_batch(model, image, preprocess))
    with _recording([target]) as outputs, _logits(model), tf.GradientTape() as tape:
        scores = model(batch, training=False)
        index = _class_index(model, class_index, np.asarray(scores))
        score = scores[:, index]
    maps = outputs[id(target)]
    gradients = tape.gradient(score, maps)
    weights = tf.reduce_mean(gradients, axis=(1, 2), keepdims=True)     # α_k
    cam = tf.nn.relu(tf.reduce_sum(weights * maps, axis=-1, keepdims=True))
    cam = tf.image.resize(cam, batch.shape[1:3], method="bilinear")
    return _normalised(cam[0, ..., 0])


def gradient_saliency(model, image, *, class_index: int | None = None,
                      preprocess=None) -> np.ndarray:
    """Gradient saliency: how strongly each pixel of ``image`` moves the class's score.

    ``|∂ logit / ∂ pixel|``, the largest over the colour channels, divided by its maximum
    (Simonyan, Vedaldi & Zisserman, 2014).

    Parameters
    ----------
    model, image, class_index, preprocess
        As for :func:`grad_cam`.

    Returns
    -------
    numpy.ndarray
        float32, (H, W) of the model's input, in [0, 1].

    Examples
    --------
    >>> from cnnlab import models
    >>> model = models.simple_cnn((28, 28, 1), 10)
    >>> heat = gradient_saliency(model, np.full((28, 28), 128, np.uint8))
    >>> heat.shape, float(heat.max())
    ((28, 28), 1.0)
    >>> gradient_saliency(model, np.zeros((28, 28)), class_index=10)
    Traceback (most recent call last):
    ...
    ValueError: class_index must lie in 0–9 ('simple_cnn' has 10 outputs), got 10
    """
    tf = import_tensorflow()
    _check_cnn(model)
    batch = tf.constant(_batch(model, image, preprocess))
    with _logits(model), tf.GradientTape() as tape:
        tape.watch(batch)
        scores = model(batch, training=False)
        index = _class_index(model, class_index, np.asarray(scores))
        score = scores[:, index]
    gradients = tape.gradient(score, batch)
    return _normalised(tf.reduce_max(tf.abs(gradients[0]), axis=-1))


def _heat(heatmap) -> np.ndarray:
    heat = numeric_array("heatmap", heatmap).astype(np.float64)
    if heat.ndim != 2 or heat.min() < 0:
        raise ValueError(f"heatmap must be a 2-D array of values >= 0, got shape "
                         f"{heat.shape} with minimum {heat.min():.3g}")
    return heat


def heat_share(heatmap, region) -> float:
    """The fraction of a heat map's total that lies in ``region``.

    Parameters
    ----------
    heatmap : array_like
        (H, W), values >= 0 (e.g. from :func:`grad_cam`).
    region : array_like of bool, or (top, bottom, left, right)
        A mask of the heat map's shape, or the rows ``top:bottom`` and columns
        ``left:right`` of a box.

    Examples
    --------
    >>> heat = np.zeros((4, 4)); heat[:2, :2] = 1; heat[3, 3] = 4
    >>> heat_share(heat, (0, 2, 0, 2))
    0.5
    """
    heat = _heat(heatmap)
    if isinstance(region, tuple) and len(region) == 4:
        top, bottom, left, right = region
        mask = np.zeros(heat.shape, bool)
        mask[top:bottom, left:right] = True
    else:
        mask = np.asarray(region)
        if mask.dtype != bool or mask.shape != heat.shape:
            raise ValueError(f"region must be a boolean mask of shape {heat.shape} or a "
                             f"box (top, bottom, left, right), got {region!r}")
    total = heat.sum()
    return float(heat[mask].sum() / total) if total > 0 else 0.0


def _regions(height: int, width: int):
    """(name, area fraction, (top, bottom, left, right)) of the parts of an image that
    :func:`where_heat_lies` names, smallest first."""
    rows = [round(height * k / 3) for k in range(4)]
    cols = [round(width * k / 3) for k in range(4)]
    ninths = [(f"{row_name}{col_name} ninth", 1 / 9, (rows[r], rows[r + 1], cols[c], cols[c + 1]))
              for r, row_name in enumerate(("upper-", "middle-", "lower-"))
              for c, col_name in enumerate(("left", "centre", "right"))]
    ninths[4] = ("central ninth", 1 / 9, ninths[4][2])
    h2, w2 = height // 2, width // 2
    quarters = [(f"{row_name}-{col_name} quarter", 1 / 4, box) for row_name, col_name, box in (
        ("upper", "left", (0, h2, 0, w2)), ("upper", "right", (0, h2, w2, width)),
        ("lower", "left", (h2, height, 0, w2)), ("lower", "right", (h2, height, w2, width)))]
    centre = [("centre (the middle half of its height and width)", 1 / 4,
               (height // 4, height - height // 4, width // 4, width - width // 4))]
    halves = [("upper half", 1 / 2, (0, h2, 0, width)),
              ("lower half", 1 / 2, (h2, height, 0, width)),
              ("left half", 1 / 2, (0, height, 0, w2)),
              ("right half", 1 / 2, (0, height, w2, width))]
    return ninths + quarters + centre + halves


def where_heat_lies(heatmap, *, quantity: str = "heat") -> str:
    """Where most of a heat map's mass lies, in words (for a figure's text alternative).

    The smallest named part of the image (a ninth, a quarter, the centre, a half) that
    holds at least half of the heat, with its share. ``quantity`` names what the map holds
    (e.g. "response" for a feature map).

    Examples
    --------
    >>> heat = np.zeros((30, 30)); heat[2:8, 3:9] = 1
    >>> where_heat_lies(heat)
    'all of the heat (100%) lies in the upper-left ninth of the image'
    >>> where_heat_lies(np.ones((30, 30)))
    'the heat is spread over the whole image: no half of it holds more than half'
    >>> where_heat_lies(heat, quantity="response")
    'all of the response (100%) lies in the upper-left ninth of the image'
    """
    heat = _heat(heatmap)
    if heat.sum() == 0:
        return f"the {quantity} map is zero everywhere: no part of the image speaks for the class"
    best = None
    for name, area, box in _regions(*heat.shape):
        share = heat_share(heat, box)
        if share > 0.5 and (best is None or (area, -share) < (best[1], -best[2])):
            best = (name, area, share)
    if best is None:
        return (f"the {quantity} is spread over the whole image: no half of it holds more "
                "than half")
    name, _, share = best
    amount = "all" if share > 0.995 else "most"
    return f"{amount} of the {quantity} ({share:.0%}) lies in the {name} of the image"
