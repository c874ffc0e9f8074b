"""Datasets for notebooks 06-07, available offline.

- :func:`load_fashion_mnist` — a class-balanced subset of Fashion-MNIST shipped with
  cnnlab (10 000 training + 2 000 test images), in the format of
  ``keras.datasets.fashion_mnist.load_data()``; the full set on request (needs network).
- :func:`image_folder` — a labelled image dataset from a class-per-folder tree (e.g. the
  Kaggle "hot dog / not hot dog" archive), skipping files that are not readable images.

TensorFlow is imported only when :func:`image_folder` or ``load_fashion_mnist(full=True)``
is called.

Examples
--------
>>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
>>> x_train.shape, x_train.dtype, y_train.shape, x_test.shape
((10000, 28, 28), dtype('uint8'), (10000,), (2000, 28, 28))
>>> FASHION_MNIST_CLASSES[y_train[0]]
'T-shirt/top'
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from cnnlab._data import data_path
from cnnlab._validate import choice, int_pair, positive_int

__all__ = ["FASHION_MNIST_CLASSES", "FASHION_MNIST_SUBSET", "load_fashion_mnist",
           "image_folder"]

#: Names of Fashion-MNIST's labels 0-9 (from Zalando's README).
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                         "Shirt", "Sneaker", "Bag", "Ankle boot")

#: File name of the shipped subset in ``data/`` (built by
#: ``tools/build_fashion_mnist_subset.py``).
FASHION_MNIST_SUBSET = "fashion_mnist_subset.npz"


def load_fashion_mnist(*, full: bool = False, class_names: bool = False):
    """Fashion-MNIST as ``(x_train, y_train), (x_test, y_test)``, like ``keras.datasets``.

    Parameters
    ----------
    full : bool
        ``False`` (default): the subset shipped with cnnlab, offline — 1 000 training and
        200 test images per class (10 000 + 2 000), drawn with a fixed seed from the
        original training and test sets (see ``data/README.md``), in their original
        order. ``True``: the full 60 000 + 10 000 images through
        ``keras.datasets.fashion_mnist.load_data()``, which downloads them once (needs
        network and TensorFlow).
    class_names : bool
        Also return :data:`FASHION_MNIST_CLASSES` as a third element.

    Returns
    -------
    (x_train, y_train), (x_test, y_test) [, class_names]
        ``x``: uint8 arrays of shape (N, 28, 28), pixels 0 (background) to 255;
        ``y``: uint8 labels 0-9 of shape (N,); ``class_names[y]`` names a label.

    Examples
    --------
    >>> (x_train, y_train), _, names = load_fashion_mnist(class_names=True)
    >>> np.bincount(y_train).tolist() == [1000] * 10
    True
    >>> names[3]
    'Dress'
    """
    if full:
        from cnnlab._tf import import_keras

        (x_train, y_train), (x_test, y_test) = import_keras().datasets.fashion_mnist.load_data()
    else:
        with np.load(data_path(FASHION_MNIST_SUBSET)) as data:
            x_train, y_train = data["x_train"], data["y_train"]
            x_test, y_test = data["x_test"], data["y_test"]
    result = ((x_train, y_train), (x_test, y_test))
    return (*result, FASHION_MNIST_CLASSES) if class_names else result


# ------------------------------------------------------------------------ image folders

_IMAGE_SUFFIXES = (".bmp", ".gif", ".jpeg", ".jpg", ".png")   # what Keras' loader reads


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be loaded as an image, or None if it can."""
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() not in _IMAGE_SUFFIXES:
        return f"not an image file ({path.suffix or 'no extension'})"
    try:
        with Image.open(path) as image:
            image.load()           # decodes fully: truncated files fail here, not later
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        return f"unreadable image ({type(error).__name__})"
    return None


def image_folder(path, image_size, *, batch_size: int = 32, seed: int = 0,
                 shuffle: bool = True, color_mode: str = "rgb",
                 validation_split: float | None = None, subset: str | None = None):
    """A batched ``tf.data.Dataset`` of (images, labels) from one folder per class.

    Built on ``keras.utils.image_dataset_from_directory``: the class names are the
    sub-folder names in alphabetical order and the labels their indices (``int32``).
    Files that are not readable images (wrong extension, corrupt or truncated JPEGs, …)
    are skipped and counted in one ``UserWarning``; they never stop training. (Keras still
    lists a corrupt file that has an image extension; its element is dropped when decoding
    fails, and TensorFlow's JPEG decoder may print one line about it to the console.)

    Parameters
    ----------
    path : str or Path
        Folder whose sub-folders are the classes, e.g. ``hot-dog/train`` holding
        ``hot_dog/*.jpg`` and ``not_hot_dog/*.jpg``.
    image_size : int or (height, width)
        Every image is resized to this size (Keras' bilinear resize).
    batch_size : int
        Images per batch.
    seed : int
        Seed of the shuffling (and of the validation split).
    shuffle : bool
        Shuffle the files (default True; use False for evaluation in a fixed order).
    color_mode : {"rgb", "grayscale", "rgba"}
        Channels of the images (3, 1 or 4).
    validation_split, subset :
        Passed to Keras: e.g. ``validation_split=0.2, subset="training"`` (or
        ``"validation"``) with the same ``seed`` for the two halves.

    Returns
    -------
    tf.data.Dataset
        Batches ``(images, labels)``: float32 images of shape (batch, height, width,
        channels) with raw 0-255 values (:func:`cnnlab.models.simple_cnn` rescales
        them itself) and int32 labels. Attributes: ``class_names`` (list of str),
        ``file_paths`` (the images used) and
        ``skipped`` (list of (path, reason)).

    Examples
    --------
    >>> import tempfile
    >>> from PIL import Image
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("cat", "dog"):
    ...     (root / name).mkdir()
    ...     Image.new("RGB", (20, 10), "white").save(root / name / "a.png")
    >>> dataset = image_folder(root, 8, batch_size=2)
    >>> dataset.class_names
    ['cat', 'dog']
    >>> images, labels = next(iter(dataset))
    >>> tuple(images.shape), sorted(labels.numpy().tolist())
    ((2, 8, 8, 3), [0, 1])
    """
    from cnnlab._tf import import_keras, import_tensorflow

    root = Path(path)
    if not root.is_dir():
        raise ValueError(f"path must be an existing folder with one sub-folder per class, "
                         f"got {str(path)!r}")
    height, width = int_pair("image_size", image_size)
    batch_size = positive_int("batch_size", batch_size)
    seed = positive_int("seed", seed, minimum=0)
    choice("color_mode", color_mode, ("rgb", "grayscale", "rgba"))
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir())
    if not class_dirs:
        raise ValueError(f"path {str(path)!r} has no sub-folders; put each class's images "
                         "in a sub-folder named after the class (e.g. train/hot_dog)")
    skipped, usable = [], set()
    for file in sorted(f for d in class_dirs for f in d.rglob("*") if f.is_file()):
        reason = _unreadable(file)
        if reason:
            skipped.append((str(file), reason))
        else:
            usable.add(str(file))
    if not usable:
        raise ValueError(f"path {str(path)!r} holds no readable images "
                         f"({len(skipped)} files skipped)")
    if skipped:
        examples = "; ".join(f"{Path(p).name}: {why}" for p, why in skipped[:3])
        warnings.warn(f"image_folder skipped {len(skipped)} of {len(skipped) + len(usable)} "
                      f"files under {str(path)!r} that are not readable images (e.g. "
                      f"{examples})", UserWarning, stacklevel=2)

    keras = import_keras()
    dataset = keras.utils.image_dataset_from_directory(
        root, labels="inferred", label_mode="int", class_names=[d.name for d in class_dirs],
        color_mode=color_mode, batch_size=None, image_size=(height, width), shuffle=shuffle,
        seed=seed, validation_split=validation_split, subset=subset)
    file_paths = [p for p in dataset.file_paths if p in usable]
    if len(file_paths) < len(dataset.file_paths):
        # Keras lists every file with an image extension and decodes it lazily; the
        # corrupt ones found above would raise mid-epoch, so their elements are dropped,
        # and the known length keeps Keras from warning about an unknown epoch size.
        dataset = dataset.ignore_errors().apply(
            import_tensorflow().data.experimental.assert_cardinality(len(file_paths)))
    dataset = dataset.batch(batch_size)
    dataset.class_names = [d.name for d in class_dirs]
    dataset.file_paths = file_paths
    dataset.skipped = skipped
    return dataset
