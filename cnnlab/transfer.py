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

import numpy as np

from . import models, pretrained
from ._tf import import_keras
from ._validate import positive_int
from .transfer_data import take_per_class

__all__ = ["extract_features", "linear_head", "fit_head", "accuracy", "learning_curve",
           "fine_tune_model"]


def extract_features(images, backbone, *, size=None, batch_size: int = 50,
                     name: str = pretrained.OFFLINE_BACKBONE) -> np.ndarray:
    """What the frozen ``backbone`` sees in each image: its last feature map, averaged.

    Parameters
    ----------
    images : images as :func:`cnnlab.pretrained.preprocess` takes them
    backbone : keras.Model
        A backbone without its top, e.g. ``pretrained.load_backbone()``.
    size : int, optional
        Side the images are resized to (default: the backbone's training size).
    batch_size : int
        Images per forward pass (memory, not results).
    name : str
        Which backbone's preprocessing to apply.

    Returns
    -------
    numpy.ndarray
        float32 (N, channels), e.g. (N, 1280) for EfficientNet-Lite0: global average
        pooling of the (h, w, channels) feature map.
    """
    batch = pretrained.preprocess(images, name, size=size)
    maps = backbone.predict(batch, batch_size=positive_int("batch_size", batch_size),
                            verbose=0)
    return maps.mean(axis=(1, 2), dtype=np.float64).astype(np.float32)


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
    """
    features, labels = np.asarray(features), np.asarray(labels)
    head = linear_head(features.shape[1], max(2, int(labels.max()) + 1),
                       learning_rate=learning_rate, seed=seed)
    models.train(head, features, labels, epochs=epochs, batch_size=batch_size, seed=seed)
    return head


def accuracy(model, x, y) -> float:
    """Fraction of ``x`` that ``model`` classifies as ``y`` (most probable class)."""
    # Called directly, not through model.predict: predict builds a new tf.function for
    # every model, and TensorFlow warns about retracing when many small models are scored.
    x = np.asarray(x)
    predicted = np.concatenate([np.asarray(model(x[i:i + 256], training=False)).argmax(axis=1)
                                for i in range(0, len(x), 256)])
    return float(np.mean(predicted == np.asarray(y)))


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


def fine_tune_model(rest, head, *, learning_rate: float = 1e-4):
    """``rest`` (the backbone's last block(s), trainable) → pooling → ``head``, compiled.

    ``rest`` comes from :func:`cnnlab.models.split` and takes the frozen part's output,
    which is computed once. Its convolutions become trainable; its BatchNorm layers stay
    frozen, and a frozen BatchNorm layer in Keras 3 also keeps its ImageNet statistics
    instead of re-estimating them from a few examples per batch. The learning rate is low
    so that the pretrained weights are adjusted, not overwritten.
    """
    keras = import_keras()
    rest.trainable = True
    for layer in rest.layers:  # one by one: the layers may be shared with a frozen backbone
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    head.trainable = True
    inputs = keras.Input(rest.input.shape[1:], name="frozen_features")
    x = rest(inputs, training=False)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    model = keras.Model(inputs, head(x), name="fine_tuned")
    return models.compile_classifier(model, learning_rate=learning_rate)
