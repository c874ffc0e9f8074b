"""Transfer learning in three moves: features from a frozen backbone, a small new head,
and (optionally) fine-tuning the last block — plus the data-efficiency curve that shows
why it works (drawn by :func:`cnnlab.figures.plot_learning_curves`).

A frozen backbone gives the same output in every epoch, so its features are computed
once (:func:`extract_features`) and only the head is trained on them: the same result as
training ``Sequential([backbone (frozen), pooling, head])`` on the images, hundreds of
times faster on a CPU.

Examples
--------
>>> import numpy as np
>>> features = np.array([[0.0, 1.0], [1.0, 0.0]] * 4)
>>> labels = np.array([0, 1] * 4)
>>> head = fit_head(features, labels, epochs=50, learning_rate=0.1)
>>> head.predict(features, verbose=0).argmax(axis=1).tolist()
[0, 1, 0, 1, 0, 1, 0, 1]
"""

from __future__ import annotations

import math
import weakref
from typing import NamedTuple

import numpy as np

from . import models, pretrained
from ._tf import import_keras, import_tensorflow
from ._validate import positive_int
from .transfer_data import take_per_class

__all__ = ["extract_features", "unit_length", "linear_head", "fit_head", "correct", "accuracy",
           "learning_curve", "fine_tune_model", "McNemar", "mcnemar"]


def extract_features(images, backbone, *, size=None, batch_size: int = 8,
                     name: str = pretrained.OFFLINE_BACKBONE, pool: bool = True) -> np.ndarray:
    """What the frozen ``backbone`` sees in each image: its last feature map, averaged.

    Parameters
    ----------
    images : images as :func:`cnnlab.pretrained.preprocess` takes them
    backbone : keras.Model
        A backbone without its top, e.g. ``pretrained.load_backbone()``.
    size : int, optional
        Side the images are resized to (default: the backbone's training size).
    batch_size : int
        Images per forward pass (memory, not results): each batch is prepared and passed
        through the backbone on its own, so only one batch's activations exist at a time.
    name : str
        Which backbone's preprocessing to apply.
    pool : bool
        Average each feature map (default), or keep it whole — e.g. the output of the
        frozen part of :func:`cnnlab.models.split`, which fine-tuning reuses in every epoch.

    Returns
    -------
    numpy.ndarray
        float32 (N, channels), e.g. (N, 1280) for EfficientNet-Lite0: global average
        pooling of the (h, w, channels) feature map; (N, h, w, channels) with ``pool=False``.
    """
    batch_size = positive_int("batch_size", batch_size)
    if not isinstance(pool, bool):
        raise TypeError(f"pool must be True or False, got {pool!r}")
    items = pretrained._as_list(images)
    pooled = _compiled_forward(backbone, pool)
    return np.concatenate([
        np.asarray(pooled(pretrained.preprocess(items[i:i + batch_size], name, size=size)))
        for i in range(0, len(items), batch_size)])


# Compiled forward passes per backbone, kept as long as the backbone lives.
_COMPILED = weakref.WeakKeyDictionary()


def _compiled_forward(backbone, pool: bool):
    """``backbone`` (then global average pooling), as one traced TensorFlow graph.

    Measured on notebook 07's 100 flower photos at 288 px (batch 8): the kernel's peak
    memory rose by 190 MB this way, by 490 MB with ``backbone.predict`` (which also keeps
    the whole feature maps) and more when the layers run one by one (eager mode) — in a
    graph TensorFlow frees each activation as soon as the next layer has read it.
    """
    compiled = _COMPILED.setdefault(backbone, {})
    if pool not in compiled:
        tf = import_tensorflow()
        channels = backbone.input.shape[-1]

        def forward(batch):
            maps = backbone(batch, training=False)
            return tf.reduce_mean(maps, axis=(1, 2)) if pool else maps

        compiled[pool] = tf.function(forward, autograph=False, input_signature=[
            tf.TensorSpec((None, None, None, channels), tf.float32)])
    return compiled[pool]


def unit_length(features) -> np.ndarray:
    """Each feature vector divided by its length (Euclidean norm).

    The head then compares directions — which features a photo has, relative to each
    other — rather than magnitudes, which grow with how much texture a photo holds. On
    notebook 07's flowers this raised the head's accuracy (``benchmarks/transfer.py``).

    Examples
    --------
    >>> unit_length(np.array([[0.0, 2.0], [-5.0, 0.0]])).tolist()
    [[0.0, 1.0], [-1.0, 0.0]]
    """
    features = np.asarray(features, dtype=np.float32)
    if features.ndim != 2:
        raise ValueError(f"features must be 2-D (examples, features), got shape {features.shape}")
    lengths = np.linalg.norm(features, axis=1, keepdims=True)
    if not np.all(lengths > 0):
        raise ValueError("features must not contain an all-zero row (it has no direction)")
    return features / lengths


def linear_head(num_features: int, num_classes: int, *, learning_rate: float = 1e-3,
                seed: int = 0):
    """A new, compiled classifier for the features: one Dense softmax layer named "head".

    ``num_features · num_classes + num_classes`` weights, e.g. 1280·2 + 2 = 2562.
    """
    keras = import_keras()
    num_features = positive_int("num_features", num_features)
    num_classes = positive_int("num_classes", num_classes, minimum=2)
    keras.utils.set_random_seed(positive_int("seed", seed, minimum=0))
    head = keras.Sequential([keras.Input((num_features,), name="features"),
                             keras.layers.Dense(num_classes, activation="softmax",
                                                name="head")], name="linear_head")
    return models.compile_classifier(head, learning_rate=learning_rate)


def fit_head(features, labels, *, epochs: int = 30, batch_size: int = 32,
             learning_rate: float = 1e-2, seed: int = 0):
    """A :func:`linear_head` trained (seeded, silently) on ``features`` and int ``labels``.

    One Dense layer on fixed features is a convex problem: a high learning rate and a few
    dozen epochs reach what 1e-3 reaches in a hundred (measured on the faces task).

    All ``epochs`` passes run in one ``fit`` call, over the examples in a fresh seeded
    order for each pass: Keras' set-up of an epoch (a data pipeline, callbacks) costs about
    40 ms of CPU, more than a pass of a small head, and notebook 07 trains dozens of heads.
    With at most ``batch_size`` examples each pass is one batch, exactly as in
    ``head.fit(features, labels, epochs=epochs)``; with more, a batch may span the end of
    one pass and the start of the next.
    """
    tf = import_tensorflow()
    features = np.asarray(features, dtype=np.float32)
    labels = np.asarray(labels)
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    if features.ndim != 2 or len(features) != len(labels):
        raise ValueError(f"features must be (examples, features) with one label each, got "
                         f"shapes {features.shape} and {labels.shape}")
    head = linear_head(features.shape[1], max(2, int(labels.max()) + 1),
                       learning_rate=learning_rate, seed=seed)
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(labels)) for _ in range(epochs)])
    stored = tf.constant(features), tf.constant(labels)
    # Indices, not copies: ``epochs`` copies of the features would cost memory.

    def gather(chosen):
        return tf.gather(stored[0], chosen), tf.gather(stored[1], chosen)

    batches = tf.data.Dataset.from_tensor_slices(order).batch(
        min(batch_size, len(labels))).map(gather)
    head.fit(batches, epochs=1, verbose=0, shuffle=False)  # the order is drawn above
    return head


def correct(model, x, y, *, batch_size: int = 32) -> np.ndarray:
    """Per example, whether ``model``'s most probable class is ``y``: bool (N,).

    What :func:`accuracy` averages and :func:`mcnemar` compares. ``model`` runs directly
    (not through ``model.predict``, which builds a new tf.function for every model and
    makes TensorFlow warn about retracing when many small models are scored), on
    ``batch_size`` examples at a time: each call keeps all of its layers' outputs until
    it returns, so small batches keep the memory small.

    Examples
    --------
    >>> from cnnlab import import_keras
    >>> keras = import_keras()
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Softmax()])
    >>> correct(model, np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0])).tolist()
    [True, False]
    """
    x, y = np.asarray(x), np.asarray(y)
    batch_size = positive_int("batch_size", batch_size)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    predicted = np.concatenate([
        np.asarray(model(x[i:i + batch_size], training=False)).argmax(axis=1)
        for i in range(0, len(x), batch_size)])
    return predicted == y


def accuracy(model, x, y) -> float:
    """Fraction of ``x`` that ``model`` classifies as ``y`` (most probable class)."""
    return float(np.mean(correct(model, x, y)))


def learning_curve(fit_and_score, x, y, sizes, *, seeds=(0, 1, 2)) -> np.ndarray:
    """Accuracy against the number of training examples per class.

    For every ``n`` in ``sizes`` and every seed, ``n`` random examples of each class are
    drawn from ``(x, y)`` (:func:`cnnlab.transfer_data.take_per_class`) and
    ``fit_and_score(x_n, y_n, seed)`` trains a model and returns its test accuracy.

    Returns
    -------
    numpy.ndarray
        Shape (len(sizes), len(seeds)): one accuracy per size and seed.
    """
    sizes = [positive_int("sizes", n) for n in sizes]
    seeds = [positive_int("seeds", s, minimum=0) for s in seeds]
    if not sizes or not seeds:
        raise ValueError("sizes and seeds must not be empty")
    scores = np.empty((len(sizes), len(seeds)))
    for i, n in enumerate(sizes):
        for j, seed in enumerate(seeds):
            x_n, y_n = take_per_class(x, y, n, seed=seed)
            scores[i, j] = fit_and_score(x_n, y_n, seed)
    return scores


def fine_tune_model(rest, head, *, learning_rate: float = 1e-4, unit_length: bool = False):
    """``rest`` (the backbone's last block(s), trainable) → pooling → ``head``, compiled.

    ``rest`` comes from :func:`cnnlab.models.split` and takes the frozen part's output,
    which is computed once. Its convolutions become trainable; its BatchNorm layers stay
    frozen, and a frozen BatchNorm layer in Keras 3 also keeps its ImageNet statistics
    instead of re-estimating them from a few examples per batch. The learning rate is low
    so that the pretrained weights are adjusted, not overwritten. ``unit_length=True``
    divides the pooled features by their length, for a head trained on
    :func:`unit_length` features.
    """
    keras = import_keras()
    rest.trainable = True
    for layer in rest.layers:  # one by one: the layers may be shared with a frozen backbone
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    head.trainable = True
    inputs = keras.Input(rest.input.shape[1:], name="frozen_features")
    x = rest(inputs, training=False)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    if unit_length:
        x = keras.layers.UnitNormalization(name="unit_length")(x)
    model = keras.Model(inputs, head(x), name="fine_tuned")
    return models.compile_classifier(model, learning_rate=learning_rate)


class McNemar(NamedTuple):
    """Result of :func:`mcnemar`: how often only one model was right, and the p-value."""

    only_first: int
    only_second: int
    p_value: float


def mcnemar(first_correct, second_correct) -> McNemar:
    """Are two classifiers' accuracies on the *same* test examples really different?

    McNemar's exact test looks only at the examples where the two disagree: ``b`` that
    only the first got right and ``c`` that only the second got right. If both were equally
    good, each disagreement would go either way with probability 1/2, so ``b`` follows a
    binomial distribution with ``b + c`` trials; the two-sided p-value is the probability of
    a split at least as uneven as the one seen. A small p-value (below 0.05, say) means the
    difference is unlikely to be luck of the test set.

    Parameters
    ----------
    first_correct, second_correct : arrays of bool
        Per test example, whether each model classified it correctly (same order).

    Returns
    -------
    McNemar
        ``(only_first, only_second, p_value)``.

    Examples
    --------
    >>> first = np.array([True] * 90 + [False] * 10)
    >>> second = np.array([True] * 80 + [False] * 20)
    >>> mcnemar(first, second)
    McNemar(only_first=10, only_second=0, p_value=0.001953125)
    """
    first, second = (np.asarray(c) for c in (first_correct, second_correct))
    for argument, value in (("first_correct", first), ("second_correct", second)):
        if value.dtype != bool or value.ndim != 1:
            raise TypeError(f"{argument} must be a 1-D array of bool (one per test example), "
                            f"got dtype {value.dtype} and shape {value.shape}")
    if first.shape != second.shape:
        raise ValueError(f"first_correct and second_correct must have the same length, got "
                         f"{len(first)} and {len(second)}")
    b, c = int(np.sum(first & ~second)), int(np.sum(~first & second))
    n, low = b + c, min(b, c)
    # P(X <= low) for X ~ Binomial(n, 1/2), doubled for two sides, at most 1.
    tail = sum(math.comb(n, k) for k in range(low + 1)) / 2 ** n
    return McNemar(b, c, min(1.0, 2 * tail))
