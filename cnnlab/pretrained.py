"""Networks pretrained on ImageNet (the backbones of transfer learning): load one with its
weights, prepare photos for it, and read its ImageNet predictions.

The course ships one ImageNet network of its own, EfficientNet-Lite0 (4.7 million
weights, ``data/efficientnet_lite0.npz``), so that every cell runs without network.
Keras' own applications (ResNet50, VGG16, InceptionV3, MobileNetV2) work too when Keras
can download their weights.

Examples
--------
>>> from cnnlab import images, pretrained
>>> top = pretrained.predict_imagenet(images.sample("coffee"), top=2)
>>> [name for name, probability in top]
['espresso', 'cup']
>>> backbone = pretrained.load_backbone()
>>> backbone.output.shape
(None, None, None, 1280)
"""

from __future__ import annotations

import functools
import gc
import html
import os
import urllib.error
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import images as _images
from ._data import data_path
from ._tf import import_keras
from ._validate import choice, positive_int

__all__ = ["BACKBONES", "OFFLINE_BACKBONE", "load_backbone", "load_weights", "preprocess",
           "as_seen", "predict_imagenet", "imagenet_classes", "seed_networks",
           "describe_preprocessing", "NetworkRow", "NetworkTable", "SEED_NETWORKS"]

OFFLINE_BACKBONE = "efficientnet_lite0"

#: name → (keras.applications function, its module, input size). The first is shipped.
BACKBONES = {
    "efficientnet_lite0": (None, None, 224),
    "resnet50": ("ResNet50", "resnet50", 224),
    "vgg16": ("VGG16", "vgg16", 224),
    "inception_v3": ("InceptionV3", "inception_v3", 299),
    "mobilenet_v2": ("MobileNetV2", "mobilenet_v2", 224),
}

_WEIGHTS_FILE = "efficientnet_lite0.npz"
_CLASSES_FILE = "imagenet_classes.txt"


def load_backbone(name: str = OFFLINE_BACKBONE, include_top: bool = False, *,
                  weights="imagenet", input_shape=None, **kwargs):
    """An ImageNet-trained network, with or without its 1000-class classifier.

    Parameters
    ----------
    name : str
        One of :data:`BACKBONES`. ``"efficientnet_lite0"`` ships with cnnlab and works
        offline; the others are ``keras.applications`` models whose weights Keras
        downloads (once, into ``~/.keras/models``).
    include_top : bool
        Keep the classifier (output: 1000 logits for EfficientNet-Lite0, probabilities for
        Keras' models) or drop it (output: the last feature map, e.g. 7×7×1280 for a
        224×224 image), which is what transfer learning builds on.
    weights : "imagenet", None or path
        The trained weights, none (random initialisation) or a weights file: an ``.npz``
        written for EfficientNet-Lite0, a ``.weights.h5`` file for Keras' models.
    input_shape : tuple, optional
        (height, width, 3); default: any size for EfficientNet-Lite0, the size the Keras
        model was trained at otherwise.
    **kwargs
        Passed on to the ``keras.applications`` function (e.g. ``alpha`` of MobileNetV2).

    Returns
    -------
    keras.Model
        Uncompiled, taking images prepared by :func:`preprocess` with the same ``name``.

    Raises
    ------
    ConnectionError
        When Keras cannot download the weights of one of its models (no network).
    """
    name = choice("name", name, list(BACKBONES))
    if not isinstance(include_top, bool):
        raise TypeError(f"include_top must be True or False, got {include_top!r}")
    if name == OFFLINE_BACKBONE:
        from .efficientnet_lite import efficientnet_lite0

        if kwargs:
            raise TypeError(f"efficientnet_lite0 takes no extra arguments, got {sorted(kwargs)}")
        model = efficientnet_lite0(include_top=include_top,
                                   input_shape=input_shape or (None, None, 3))
        if weights is not None:
            path = data_path(_WEIGHTS_FILE) if _is_imagenet(weights) else weights
            load_weights(model, path)
        return model
    return _keras_application(name, include_top, weights, input_shape, kwargs)


def _is_imagenet(weights) -> bool:
    return isinstance(weights, str) and weights == "imagenet"


def _keras_application(name, include_top, weights, input_shape, kwargs):
    keras = import_keras()
    function, _, size = BACKBONES[name]
    if weights is not None and not _is_imagenet(weights) and not Path(weights).is_file():
        raise FileNotFoundError(f"weights file {str(weights)!r} for {name!r} does not exist")
    build = getattr(keras.applications, function)
    try:
        return build(include_top=include_top, weights=weights,
                     input_shape=input_shape or (size, size, 3), **kwargs)
    except Exception as error:
        if _is_imagenet(weights) and _is_download_failure(error):
            raise ConnectionError(
                f"could not download the ImageNet weights of {name!r} ({error}). Keras "
                f"fetches them from the internet the first time. Without network use "
                f"load_backbone({OFFLINE_BACKBONE!r}), whose weights ship with cnnlab."
            ) from error
        raise


def _is_download_failure(error: BaseException) -> bool:
    """Keras reports a failed download as ``Exception("URL fetch failure on …")``."""
    if isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError)):
        return True
    return type(error) is Exception and str(error).startswith("URL fetch failure")


def load_weights(model, path) -> None:
    """Set ``model``'s weights, layer by layer, from an ``.npz`` of ``'layer/index'`` arrays.

    Layers the file does not know (e.g. a new classifier) keep their weights; a layer the
    file knows with different shapes, or a file that fits no layer, is an error.
    """
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"weights file {str(path)!r} does not exist")
    with np.load(path) as stored:
        arrays = dict(stored)
    used = set()
    for layer in model.layers:
        keys = [f"{layer.name}/{i}" for i in range(len(layer.weights))]
        if not keys or keys[0] not in arrays:
            continue
        missing = [key for key in keys if key not in arrays]
        if missing:
            raise ValueError(f"weights file {path.name} lacks {missing} for layer {layer.name!r}")
        for variable, key in zip(layer.weights, keys, strict=True):
            if tuple(variable.shape) != arrays[key].shape:
                raise ValueError(
                    f"weights file {path.name}: {key} has shape {arrays[key].shape}, "
                    f"layer {layer.name!r} needs {tuple(variable.shape)}"
                )
        layer.set_weights([arrays[key] for key in keys])
        used.update(keys)
    if not used:
        raise ValueError(f"weights file {path.name} matches no layer of model {model.name!r}")


def preprocess(images, name: str = OFFLINE_BACKBONE, *, size=None, crop: bool = True):
    """Photos → the float32 batch that the backbone ``name`` expects.

    Each image is cut to its central square (``crop=True``; keeps the proportions),
    resized to ``size`` × ``size`` (default: the model's training size, 224 or 299) and
    scaled like the model's training data: (x − 127) / 128 for EfficientNet-Lite0, Keras'
    ``preprocess_input`` for the others.

    Parameters
    ----------
    images : image, list of images or array (N, H, W[, C])
        Anything :func:`cnnlab.images.as_rgb` accepts: uint8 0–255, floats 0–1, gray or RGB.
        A 3-D array is one image when its last axis has 1, 3 or 4 channels, else a batch
        of gray images.
    name : str
        The backbone, one of :data:`BACKBONES`.
    size : int, optional
    crop : bool

    Returns
    -------
    numpy.ndarray
        float32, shape (N, size, size, 3).

    Examples
    --------
    >>> import numpy as np
    >>> batch = preprocess(np.full((30, 40, 3), 255, dtype=np.uint8), size=32)
    >>> batch.shape, float(batch.max())
    ((1, 32, 32, 3), 1.0)
    """
    name = choice("name", name, list(BACKBONES))
    pictures = [as_seen(image, name, size=size, crop=crop) for image in _as_list(images)]
    return _scaled(np.stack(pictures).astype(np.float32), name)


def _scaled(batch: np.ndarray, name: str) -> np.ndarray:
    """0–255 RGB floats → the numbers the backbone ``name`` was trained on."""
    if name == OFFLINE_BACKBONE:
        return (batch - 127.0) / 128.0
    module = getattr(import_keras().applications, BACKBONES[name][1])
    return np.asarray(module.preprocess_input(batch), dtype=np.float32)


def as_seen(image, name: str = OFFLINE_BACKBONE, *, size=None, crop: bool = True):
    """The picture that :func:`preprocess` hands the backbone, before its scaling.

    The central square (``crop=True``) resized to ``size`` × ``size``, as ``uint8`` RGB:
    what to draw a heat map of :mod:`cnnlab.saliency` over.

    Examples
    --------
    >>> import numpy as np
    >>> as_seen(np.zeros((30, 40, 3), np.uint8), size=32).shape
    (32, 32, 3)
    """
    name = choice("name", name, list(BACKBONES))
    size = positive_int("size", BACKBONES[name][2] if size is None else size)
    return _resized(_images.as_rgb(image), size, crop)


def _is_single(images) -> bool:
    """One (H, W) or (H, W, 1|3|4) image, as opposed to a list or batch (N, H, W[, C])."""
    return isinstance(images, np.ndarray) and (
        images.ndim == 2 or (images.ndim == 3 and images.shape[-1] in (1, 3, 4)))


def _as_list(images) -> list:
    if _is_single(images):
        return [images]
    if isinstance(images, np.ndarray) and images.ndim in (3, 4):
        return list(images)
    if isinstance(images, (list, tuple)):
        if not images:
            raise ValueError("images must not be an empty list")
        return list(images)
    raise TypeError(
        "images must be one image (H, W) or (H, W, 3), a list of images or an array "
        f"(N, H, W[, C]), got {type(images).__name__}"
        + (f" of shape {images.shape}" if isinstance(images, np.ndarray) else "")
    )


def _resized(rgb: np.ndarray, size: int, crop: bool) -> np.ndarray:
    if crop:
        height, width = rgb.shape[:2]
        side = min(height, width)
        top, left = (height - side) // 2, (width - side) // 2
        rgb = rgb[top:top + side, left:left + side]
    if rgb.shape[:2] == (size, size):
        return rgb
    return _images.resize(rgb, (size, size), resample="bilinear")


@functools.cache
def imagenet_classes() -> tuple[str, ...]:
    """The 1000 ImageNet class names, in the order of the classifier's outputs.

    >>> classes = imagenet_classes()
    >>> len(classes), classes[281], classes[967]
    (1000, 'tabby', 'espresso')
    """
    lines = data_path(_CLASSES_FILE).read_text(encoding="utf-8").splitlines()
    return tuple(line.split("\t")[1].split(",")[0] for line in lines)


@functools.cache
def _classifier():
    return load_backbone(OFFLINE_BACKBONE, include_top=True)


def predict_imagenet(images, top: int = 5):
    """What the ImageNet network sees: the ``top`` most probable of its 1000 classes.

    Parameters
    ----------
    images : image or list of images or array (N, H, W[, C])
        Photos of any size (see :func:`preprocess`).
    top : int
        How many classes to return per image, most probable first.

    Returns
    -------
    list of (str, float)
        (class name, probability) pairs for one image, or a list of such lists when
        ``images`` is a list or a 4-D array.
    """
    top = positive_int("top", top)
    if top > 1000:
        raise ValueError(f"top must be at most 1000 (the number of classes), got {top}")
    batch = preprocess(images)
    logits = np.asarray(_classifier()(batch, training=False), dtype=np.float64)
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    names = imagenet_classes()
    results = [[(names[i], float(row[i])) for i in np.argsort(-row, kind="stable")[:top]]
               for row in probabilities]
    return results[0] if _is_single(images) else results


# ------------------------------------------------------------------ the seed's networks


@dataclass(frozen=True)
class NetworkRow:
    """One network of :func:`seed_networks`, built without its classifier."""

    name: str
    #: convolution and dense layers (the layers holding learned kernels; BatchNorm and
    #: activations not counted)
    depth: int
    #: every Keras layer, as ``len(model.layers)`` counts them (BatchNorm, activations, …)
    layers: int
    parameters: int
    input_shape: tuple
    #: the last feature map for ``input_shape``, without the batch axis
    feature_map: tuple
    #: what the model's ``preprocess_input`` does to 0–255 RGB pixels, in words
    preprocessing: str
    #: the lowest and highest value it turns 0–255 pixels into
    value_range: tuple


class NetworkTable:
    """The rows of :func:`seed_networks`: a text table when printed, HTML in a notebook."""

    HEADER = ("network", "depth", "Keras layers", "parameters", "input", "last feature map",
              "preprocess_input")

    def __init__(self, rows: list[NetworkRow]):
        self.rows = list(rows)

    def _cells(self):
        return [(row.name, str(row.depth), str(row.layers), f"{row.parameters:,}",
                 "×".join(map(str, row.input_shape)), "×".join(map(str, row.feature_map)),
                 row.preprocessing) for row in self.rows]

    def __str__(self) -> str:
        lines = [self.HEADER, *self._cells()]
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.HEADER) - 1)]
        text = ["  ".join([*(cell.ljust(width) for cell, width in
                             zip(line[:-1], widths, strict=True)), line[-1]])
                for line in lines]
        text.insert(1, "-" * len(max(text, key=len)))
        text.append(DEPTH_NOTE)
        return "\n".join(text)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in self.HEADER)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
                       + "</tr>" for cells in self._cells())
        return (f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p><small>{html.escape(DEPTH_NOTE)}</small></p>")


DEPTH_NOTE = ("depth: convolution and dense layers, without the classifier (VGG16's 16 counts "
              "its 3 dense layers, ResNet50's 50 leaves out the 4 shortcut convolutions); "
              "parameters: all weights without the classifier, BatchNorm statistics included")

#: The networks of the course's source lecture, as ``keras.applications`` names them.
SEED_NETWORKS = ("ResNet50", "VGG16", "InceptionV3", "MobileNetV2")

#: Pixels whose preprocessed values reveal what ``preprocess_input`` does.
_BLACK, _WHITE, _RED = (0.0, 0.0, 0.0), (255.0, 255.0, 255.0), (255.0, 0.0, 0.0)


def describe_preprocessing(name: str = OFFLINE_BACKBONE) -> tuple[str, tuple]:
    """What the backbone ``name``'s preprocessing does to 0–255 RGB pixels, in words.

    Found by preprocessing a black, a white and a red pixel (nothing is looked up): the
    red pixel shows the channel order, black and white the offset and scale of each
    channel.

    Returns
    -------
    (str, (float, float))
        The description, and the lowest and highest value 0–255 pixels become.

    Examples
    --------
    >>> describe_preprocessing("mobilenet_v2")
    ('RGB, scaled: 0…255 → -1…1', (-1.0, 1.0))
    >>> text, value_range = describe_preprocessing("vgg16")
    >>> text.split(", not scaled")
    ['BGR, ImageNet mean subtracted per channel (B 103.9, G 116.8, R 123.7)', ': 0…255 → -124…151']
    """
    name = choice("name", name, list(BACKBONES))
    pixels = np.array([[_BLACK, _WHITE, _RED]], dtype=np.float32)
    black, white, red = _scaled(pixels, name)[0].astype(np.float64)
    order = "BGR" if np.argmax(red - black) == 2 else "RGB"
    scale, offset = (white - black) / 255, black
    low, high = float(black.min()), float(white.max())
    if np.allclose(scale, 1) and not np.allclose(offset, 0):
        means = ", ".join(f"{channel} {-value:.1f}" for channel, value in zip(order, offset,
                                                                               strict=True))
        text = (f"ImageNet mean subtracted per channel ({means}), not scaled: 0…255 → "
                f"{low:.3g}…{high:.3g}")
    elif np.allclose(scale, scale[0]) and np.allclose(offset, offset[0]):
        text = f"scaled: 0…255 → {low:.3g}…{high:.3g}"
    else:
        text = f"standardised per channel (ImageNet mean and spread): 0…255 → {low:.3g}…{high:.3g}"
    return f"{order}, {text}", (round(low, 4), round(high, 4))


def _network_row(title: str, name: str, model) -> NetworkRow:
    keras = import_keras()
    kernels = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D,
               keras.layers.SeparableConv2D, keras.layers.Dense)
    text, value_range = describe_preprocessing(name)
    return NetworkRow(
        name=title, depth=sum(isinstance(layer, kernels) for layer in model.layers),
        layers=len(model.layers), parameters=int(model.count_params()),
        input_shape=tuple(model.input_shape[1:]), feature_map=tuple(model.output_shape[1:]),
        preprocessing=text, value_range=value_range)


def seed_networks(names=SEED_NETWORKS, *, include_shipped: bool = True) -> NetworkTable:
    """The course's source networks side by side with the shipped EfficientNet-Lite0.

    Each ``keras.applications`` network is built with ``weights=None`` (nothing is
    downloaded; the numbers are the architecture's) and ``include_top=False``, the form
    transfer learning uses (VGG16 has 15 million weights without its classifier, 138
    million with it), one at a time, and freed before the next (``del``,
    ``keras.backend.clear_session()``, ``gc.collect()``), so that the kernel's memory
    stays small: measured on 2 cores, about 40 s and 150 MB above TensorFlow's own
    ~530 MB at the peak. Models built before keep working; Keras' automatic layer names
    start again from ``dense``, ``conv2d``.

    Parameters
    ----------
    names : sequence of str
        ``keras.applications`` names: any of ``"ResNet50"``, ``"VGG16"``,
        ``"InceptionV3"``, ``"MobileNetV2"``.
    include_shipped : bool
        Add EfficientNet-Lite0 (:func:`load_backbone`) as the last row.

    Returns
    -------
    NetworkTable
        ``.rows``: one :class:`NetworkRow` per network (depth, layers, parameters, input
        size, last feature map, preprocessing); prints as a text table, shows as HTML.

    Examples
    --------
    >>> table = seed_networks(["MobileNetV2"])
    >>> for row in table.rows:
    ...     print(row.name, row.parameters, row.feature_map, row.preprocessing, sep=" | ")
    MobileNetV2 | 2257984 | (7, 7, 1280) | RGB, scaled: 0…255 → -1…1
    EfficientNet-Lite0 | 3413024 | (7, 7, 1280) | RGB, scaled: 0…255 → -0.992…1
    """
    keras = import_keras()
    by_function = {entry[0]: key for key, entry in BACKBONES.items() if entry[0]}
    if isinstance(names, str):
        raise TypeError(f"names must be a list of network names, got the string {names!r} "
                        f"(write [{names!r}])")
    names = [choice("names entries", name, list(by_function)) for name in names]
    rows = []
    for title in names:
        key = by_function[title]
        model = load_backbone(key, weights=None)
        rows.append(_network_row(title, key, model))
        # one network at a time: VGG16 alone holds ~60 MB of weights, InceptionV3 ~90 MB
        del model
        keras.backend.clear_session()
        gc.collect()
    if include_shipped:
        size = BACKBONES[OFFLINE_BACKBONE][2]
        model = load_backbone(input_shape=(size, size, 3))
        rows.append(_network_row("EfficientNet-Lite0", OFFLINE_BACKBONE, model))
        del model
        gc.collect()
    return NetworkTable(rows)
