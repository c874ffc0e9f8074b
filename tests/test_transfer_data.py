"""cnnlab.transfer_data: the offline faces task, per-class subsets, and the hot dog loader
with its safe extraction, on archives built here (never a download)."""

import io
import sys
import tarfile
import types
import zipfile

import numpy as np
import pytest
import skimage.data
from PIL import Image

from cnnlab import transfer_data
from cnnlab.transfer_data import DataUnavailable, faces_vs_not, safe_extract, take_per_class

# ------------------------------------------------------------------------------- faces


def test_faces_are_scikit_images_lfw_subset_with_its_labels():
    (x_train, y_train), (x_test, y_test), names = faces_vs_not()
    original = np.round(skimage.data.lfw_subset() * 255).astype(np.uint8)
    flat = original.reshape(200, -1)
    for x, y in ((x_train, y_train), (x_test, y_test)):
        assert x.dtype == np.uint8 and x.shape[1:] == (25, 25)
        indices = [int(np.flatnonzero((flat == image.ravel()).all(axis=1))[0]) for image in x]
        # scikit-image: the first 100 images are faces, the next 100 are not.
        assert [names[label] for label in y] == ["face" if i < 100 else "not face"
                                                 for i in indices]
    assert np.bincount(y_train).tolist() == [50, 50] and np.bincount(y_test).tolist() == [50, 50]
    train_set = {image.tobytes() for image in x_train}
    assert not train_set & {image.tobytes() for image in x_test}


def test_faces_split_is_seeded():
    (a, _), _, _ = faces_vs_not(seed=1)
    (b, _), _, _ = faces_vs_not(seed=1)
    (c, _), _, _ = faces_vs_not(seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    (x, y), (x_test, _), _ = faces_vs_not(test_per_class=20)
    assert len(x) == 160 and len(x_test) == 40


@pytest.mark.parametrize("value, error", [(0, ValueError), (100, ValueError), (2.5, TypeError)])
def test_faces_rejects_bad_test_size(value, error):
    with pytest.raises(error, match="test_per_class"):
        faces_vs_not(test_per_class=value)


def test_take_per_class_keeps_order_and_balance():
    x = np.arange(10) * 10
    y = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 0])
    xs, ys = take_per_class(x, y, 2)
    assert xs.tolist() == [0, 10, 20, 30] and ys.tolist() == [0, 1, 1, 0]
    xr, yr = take_per_class(x, y, 3, seed=0)
    assert np.bincount(yr).tolist() == [3, 3] and set(xr) <= set(x)
    with pytest.raises(ValueError, match="class 0 has only 5"):
        take_per_class(x, y, 6)
    with pytest.raises(ValueError, match="same length"):
        take_per_class(x, y[:-1], 2)


# ------------------------------------------------------------------------------ hot dogs

COLOURS = {"hot_dog": (200, 60, 40), "not_hot_dog": (40, 160, 60)}


def _jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def _layout():
    """The Kaggle archive's layout: seefood/{train,test}/{hot_dog,not_hot_dog}/*.jpg."""
    counts = {"train": 3, "test": 2}
    return {f"seefood/{split}/{name}/{i}.jpg": _jpeg(colour)
            for split, n in counts.items() for name, colour in COLOURS.items()
            for i in range(n)}


@pytest.fixture
def hotdog_zip(tmp_path):
    path = tmp_path / "hot-dog-not-hot-dog.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in _layout().items():
            archive.writestr(name, data)
    return path


def test_hotdog_loads_a_local_archive(hotdog_zip):
    train, test = transfer_data.hotdog(hotdog_zip, image_size=16, batch_size=4)
    assert train.class_names == list(transfer_data.HOTDOG_CLASSES) == test.class_names
    x, y = transfer_data.as_arrays(train)
    x_test, y_test = transfer_data.as_arrays(test)
    assert x.shape == (6, 16, 16, 3) and x.dtype == np.uint8
    assert sorted(y.tolist()) == [0, 0, 0, 1, 1, 1] and y_test.tolist() == [0, 0, 1, 1]
    # Each image keeps its class colour (JPEG blurs it by a few levels only).
    for image, label in zip(x, y, strict=True):
        expected = COLOURS[transfer_data.HOTDOG_CLASSES[label]]
        assert np.abs(image.reshape(-1, 3).mean(axis=0) - expected).max() < 8
    assert (hotdog_zip.parent / "hot-dog-not-hot-dog" / "seefood" / "train").is_dir()


def test_hotdog_accepts_the_extracted_folder_and_checks_sha256(hotdog_zip, tmp_path):
    import hashlib

    digest = hashlib.sha256(hotdog_zip.read_bytes()).hexdigest()
    transfer_data.hotdog(hotdog_zip, image_size=8, sha256=digest, target=tmp_path / "x")
    train, _ = transfer_data.hotdog(tmp_path / "x", image_size=8)
    assert len(transfer_data.as_arrays(train)[0]) == 6
    with pytest.raises(ValueError, match="sha256"):
        transfer_data.hotdog(hotdog_zip, image_size=8, sha256="0" * 64)


def test_hotdog_refuses_a_folder_without_both_classes(tmp_path):
    (tmp_path / "train" / "hot_dog").mkdir(parents=True)
    (tmp_path / "test" / "hot_dog").mkdir(parents=True)
    with pytest.raises(ValueError, match="does not look like the hot dog dataset"):
        transfer_data.hotdog(tmp_path)


def test_hotdog_names_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="kaggle.com"):
        transfer_data.hotdog(tmp_path / "nothing.zip")


def test_hotdog_without_kagglehub_is_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "kagglehub", None)  # import kagglehub → ImportError
    with pytest.raises(DataUnavailable, match="not available offline"):
        transfer_data.hotdog()


def test_hotdog_uses_kagglehub_and_reports_its_failure(monkeypatch, hotdog_zip, tmp_path):
    folder = safe_extract(hotdog_zip, tmp_path / "cache")
    asked = []
    fake = types.SimpleNamespace(dataset_download=lambda handle: asked.append(handle) or folder)
    monkeypatch.setitem(sys.modules, "kagglehub", fake)
    train, _ = transfer_data.hotdog(image_size=8)
    assert asked == ["dansbecker/hot-dog-not-hot-dog"] and len(train.file_paths) == 6

    def offline(handle):
        raise ConnectionError("Failed to resolve 'www.kaggle.com'")

    monkeypatch.setitem(sys.modules, "kagglehub", types.SimpleNamespace(dataset_download=offline))
    with pytest.raises(DataUnavailable, match="ConnectionError: Failed to resolve"):
        transfer_data.hotdog()


# ------------------------------------------------------------------------ safe extraction

def _zip_with(tmp_path, name, *, symlink_to=None):
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ok/first.txt", b"harmless")
        info = zipfile.ZipInfo(name)
        if symlink_to is not None:
            info.external_attr = 0o120777 << 16  # a symbolic link, as `zip --symlinks` writes
        archive.writestr(info, symlink_to or b"evil")
    return path


def _tar_with(tmp_path, name, *, symlink_to=None):
    path = tmp_path / "bad.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        ok = tarfile.TarInfo("ok/first.txt")
        ok.size = 8
        archive.addfile(ok, io.BytesIO(b"harmless"))
        member = tarfile.TarInfo(name)
        if symlink_to is not None:
            member.type, member.linkname = tarfile.SYMTYPE, symlink_to
            archive.addfile(member)
        else:
            member.size = 4
            archive.addfile(member, io.BytesIO(b"evil"))
    return path


@pytest.mark.parametrize("build", [_zip_with, _tar_with])
@pytest.mark.parametrize("name, symlink_to, reason", [
    ("../escaped.txt", None, "climbs out"),
    ("ok/../../escaped.txt", None, "climbs out"),
    ("/tmp/escaped.txt", None, "absolute path"),
    ("ok/link", "/etc/passwd", "link or special file"),
])
def test_safe_extract_refuses_escaping_entries(tmp_path, build, name, symlink_to, reason):
    archive = build(tmp_path, name, symlink_to=symlink_to)
    target = tmp_path / "target"
    with pytest.raises(ValueError, match=f"refused: entry .* {reason}"):
        safe_extract(archive, target)
    assert not target.exists()  # checked before anything is written
    assert not (tmp_path / "escaped.txt").exists()


def test_safe_extract_refuses_windows_drive_paths(tmp_path):
    with pytest.raises(ValueError, match="absolute path"):
        safe_extract(_zip_with(tmp_path, "C:/Windows/evil.txt"), tmp_path / "target")


def test_hotdog_refuses_a_malicious_archive(tmp_path):
    archive = _zip_with(tmp_path, "../../escaped.jpg")
    with pytest.raises(ValueError, match="refused"):
        transfer_data.hotdog(archive)


def test_safe_extract_writes_regular_files_inside_target(tmp_path, hotdog_zip):
    target = safe_extract(hotdog_zip, tmp_path / "out")
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.jpg"))
    assert written == sorted(_layout())
    with pytest.raises(ValueError, match="neither a zip nor a tar"):
        safe_extract(tmp_path / "out" / "seefood" / "train" / "hot_dog" / "0.jpg", tmp_path / "y")
