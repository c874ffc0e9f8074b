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
    for (name, colour), count in zip(colours.items(), per_class, strict=True):
        folder = root / name
        folder.mkdir(parents=True)
        for i in range(count):
            pixels = np.clip(rng.normal(colour, 10, (*size, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / f"{i}.{'jpg' if i % 2 else 'png'}")
    return root


def _labels_and_images(dataset):
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset], strict=True)
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


@pytest.mark.slow
def test_image_folder_feeds_simple_cnn(tmp_path):
    root = _tree(tmp_path / "train", per_class=(6, 6), size=(12, 12))
    (root / "hot_dog" / "corrupt.png").write_bytes(b"\x89PNG broken")
    with pytest.warns(UserWarning, match="skipped 1 of 13"):
        dataset = datasets.image_folder(root, 12, batch_size=4)
    model = models.simple_cnn((12, 12, 3), 2, filters=(8, 8), learning_rate=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")     # e.g. Keras' "input ran out of data"
        history = models.train(model, dataset, epochs=10)
    assert history.history["accuracy"][-1] >= 0.9     # red vs blue is easy


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


# ------------------------------------------------------------------ Fashion-MNIST subset


def test_subset_has_keras_format_and_balanced_classes():
    (x_train, y_train), (x_test, y_test), names = datasets.load_fashion_mnist(
        class_names=True)
    assert x_train.shape == (10000, 28, 28) and x_test.shape == (2000, 28, 28)
    assert y_train.shape == (10000,) and y_test.shape == (2000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert np.bincount(y_train).tolist() == [1000] * 10
    assert np.bincount(y_test).tolist() == [200] * 10
    assert names == datasets.FASHION_MNIST_CLASSES and len(names) == 10
    assert datasets.load_fashion_mnist()[0][0].shape == (10000, 28, 28)   # two-tuple form
    # Not blank or duplicated images: the subset is real, distinct data.
    assert x_train.mean() > 50
    assert len({image.tobytes() for image in x_train}) > 9990


def test_subset_is_small():
    assert data_path(datasets.FASHION_MNIST_SUBSET).stat().st_size < 6_000_000
    assert "Zalando SE" in data_path("LICENSE-fashion-mnist.txt").read_text()


needs_originals = pytest.mark.skipif(
    not ORIGINALS.is_dir(),
    reason="Debian's dataset-fashion-mnist (the original files) is not installed")


@needs_originals
def test_subset_images_are_the_originals_at_the_stored_indices():
    """Oracle: Zalando's own reader (utils/mnist_reader.py logic) on the original files."""
    def zalando_load(kind):
        with gzip.open(ORIGINALS / f"{kind}-labels-idx1-ubyte.gz", "rb") as file:
            labels = np.frombuffer(file.read(), dtype=np.uint8, offset=8)
        with gzip.open(ORIGINALS / f"{kind}-images-idx3-ubyte.gz", "rb") as file:
            images = np.frombuffer(file.read(), dtype=np.uint8, offset=16)
        return images.reshape(len(labels), 28, 28), labels

    with np.load(data_path(datasets.FASHION_MNIST_SUBSET)) as shipped:
        for split, kind in (("train", "train"), ("test", "t10k")):
            images, labels = zalando_load(kind)
            index = shipped[f"{split}_index"].astype(int)
            assert np.all(np.diff(index) > 0)                 # original order, no repeats
            np.testing.assert_array_equal(shipped[f"x_{split}"], images[index])
            np.testing.assert_array_equal(shipped[f"y_{split}"], labels[index])


@pytest.mark.slow
@needs_originals
def test_rebuild_is_byte_identical():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_fashion_mnist_subset.py"), "--check"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    digest = hashlib.sha256(data_path(datasets.FASHION_MNIST_SUBSET).read_bytes()).hexdigest()
    assert digest in result.stdout


def test_full_set_comes_from_keras_download(monkeypatch):
    """``full=True`` delegates to keras.datasets (replaced here: tests never download)."""
    keras = pytest.importorskip("keras")
    full = ((np.zeros((60000, 28, 28), np.uint8), np.zeros(60000, np.uint8)),
            (np.ones((10000, 28, 28), np.uint8), np.ones(10000, np.uint8)))
    calls = []
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data",
                        lambda: calls.append(1) or full)
    (x_train, _), (x_test, y_test), names = datasets.load_fashion_mnist(
        full=True, class_names=True)
    assert calls == [1]
    assert x_train.shape == (60000, 28, 28) and x_test is full[1][0] and y_test is full[1][1]
    assert names[9] == "Ankle boot"
