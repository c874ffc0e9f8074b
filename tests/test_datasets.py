"""cnnlab.datasets: the shipped Fashion-MNIST subset and class-per-folder image datasets."""

import gzip
import hashlib
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnlab import datasets, models
from cnnlab._data import data_path

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = Path("/usr/share/datasets/fashion-mnist")


# ------------------------------------------------------------------------ image_folder


def _tree(root: Path, per_class=(5, 3), size=(20, 30)):
    """train/hot_dog (red-ish) and train/not_hot_dog (blue-ish) images, plus junk files."""
    rng = np.random.default_rng(0)
    colours = {"hot_dog": (200, 40, 40), "not_hot_dog": (40, 40, 200)}
    for (name, colour), count in zip(colours.items(), per_class):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(count):
            pixels = np.clip(rng.normal(colour, 10, (*size, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / f"{i}.{'jpg' if i % 2 else 'png'}")
    return root


def _labels_and_images(dataset):
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(images), np.concatenate(labels)


def test_image_folder_reads_classes_labels_and_sizes(tmp_path):
    root = _tree(tmp_path / "train")
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # a clean tree gives no warning
        dataset = datasets.image_folder(root, (16, 24), batch_size=3, shuffle=False)
    assert dataset.class_names == ["hot_dog", "not_hot_dog"]
    assert dataset.skipped == []
    images, labels = _labels_and_images(dataset)
    assert images.shape == (8, 16, 24, 3) and images.dtype == np.float32
    assert labels.tolist() == [0] * 5 + [1] * 3
    assert images.max() > 150                 # raw 0-255 pixels, not rescaled
    # Red images in class 0, blue in class 1.
    red_minus_blue = images[..., 0].mean(axis=(1, 2)) - images[..., 2].mean(axis=(1, 2))
    assert (red_minus_blue[labels == 0] > 100).all()
    assert (red_minus_blue[labels == 1] < -100).all()


def test_image_folder_skips_corrupt_and_non_image_files_with_one_warning(tmp_path):
    root = _tree(tmp_path / "train")
    (root / "hot_dog" / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is no JPEG")
    (root / "not_hot_dog" / "README.txt").write_text("not an image")
    good = (root / "hot_dog" / "1.jpg").read_bytes()
    (root / "not_hot_dog" / "truncated.jpg").write_bytes(good[: len(good) // 3])
    with pytest.warns(UserWarning, match=r"skipped 3 of 11 files") as record:
        dataset = datasets.image_folder(root, 8, batch_size=4, seed=1)
    assert len(record) == 1
    assert sorted(Path(p).name for p, _ in dataset.skipped) == [
        "README.txt", "corrupt.jpg", "truncated.jpg"]
    images, labels = _labels_and_images(dataset)      # iterating does not crash
    assert images.shape == (8, 8, 8, 3)
    assert sorted(labels.tolist()) == [0] * 5 + [1] * 3
    assert len(dataset.file_paths) == 8


def test_image_folder_shuffles_reproducibly_by_seed(tmp_path):
    root = _tree(tmp_path / "train", per_class=(10, 10), size=(6, 6))
    orders = [_labels_and_images(datasets.image_folder(root, 6, seed=s))[1].tolist()
              for s in (0, 0, 1)]
    assert orders[0] == orders[1]
    assert orders[0] != orders[2]


def test_image_folder_validation_split_and_grayscale(tmp_path):
    root = _tree(tmp_path / "train", per_class=(10, 10), size=(6, 6))
    kwargs = dict(validation_split=0.2, seed=4, color_mode="grayscale")
    train = datasets.image_folder(root, 6, subset="training", **kwargs)
    val = datasets.image_folder(root, 6, subset="validation", **kwargs)
    assert len(train.file_paths) == 16 and len(val.file_paths) == 4
    assert not set(train.file_paths) & set(val.file_paths)
    assert _labels_and_images(val)[0].shape == (4, 6, 6, 1)


def test_image_folder_feeds_simple_cnn(tmp_path):
    root = _tree(tmp_path / "train", per_class=(6, 6), size=(12, 12))
    (root / "hot_dog" / "corrupt.png").write_bytes(b"\x89PNG broken")
    with pytest.warns(UserWarning, match="skipped 1 of 13"):
        dataset = datasets.image_folder(root, 12, batch_size=4)
    model = models.simple_cnn((12, 12, 3), 2, filters=(2, 2), learning_rate=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")     # e.g. Keras' "input ran out of data"
        history = models.train(model, dataset, epochs=6)
    assert history.history["accuracy"][-1] == 1.0     # red vs blue is trivial


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(path="missing-folder", image_size=8), ValueError, "path must be an existing folder"),
    (dict(image_size=0), ValueError, "image_size must be an integer >= 1, got 0"),
    (dict(image_size=(8, 8, 3)), ValueError, "image_size must be an integer or a pair"),
    (dict(image_size=8, batch_size=0), ValueError, "batch_size must be"),
    (dict(image_size=8, color_mode="rgbx"), ValueError, "color_mode must be one of"),
])
def test_image_folder_bad_arguments(tmp_path, kwargs, error, message):
    root = _tree(tmp_path / "train", per_class=(1, 1), size=(4, 4))
    kwargs.setdefault("path", root)
    with pytest.raises(error, match=message):
        datasets.image_folder(**kwargs)


def test_image_folder_without_class_folders_or_images(tmp_path):
    with pytest.raises(ValueError, match="has no sub-folders"):
        datasets.image_folder(tmp_path, 8)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("no")
    with pytest.raises(ValueError, match=r"no readable images \(1 files skipped\)"):
        datasets.image_folder(tmp_path, 8)
