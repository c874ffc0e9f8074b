"""Small "X / not X" photo tasks for transfer learning (notebook 07).

- :func:`faces_vs_not` — offline: scikit-image's bundled subset of Labeled Faces in the
  Wild, 100 faces and 100 background patches (25×25 gray), split into a training pool and
  a test set of 50 + 50 each.
- :func:`hotdog` — online: Kaggle's "hot dog / not hot dog" photos (via ``kagglehub`` when
  it is installed, or an archive you downloaded), checked, extracted safely and loaded with
  :func:`cnnlab.datasets.image_folder`.
- :func:`take_per_class` — the first ``n`` examples of each class, for data-efficiency
  curves.

Examples
--------
>>> (x_train, y_train), (x_test, y_test), names = faces_vs_not()
>>> x_train.shape, x_train.dtype, names
((100, 25, 25), dtype('uint8'), ('face', 'not face'))
>>> x, y = take_per_class(x_train, y_train, 5)
>>> np.bincount(y).tolist()
[5, 5]
"""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from ._validate import positive_int
from .images import round_to_uint8

__all__ = ["FACES_CLASSES", "HOTDOG_CLASSES", "HOTDOG_KAGGLE", "DataUnavailable",
           "faces_vs_not", "take_per_class", "as_arrays", "hotdog", "safe_extract"]

FACES_CLASSES = ("face", "not face")
#: The sub-folder names of the Kaggle archive, i.e. image_folder's class names (sorted).
HOTDOG_CLASSES = ("hot_dog", "not_hot_dog")
HOTDOG_KAGGLE = "dansbecker/hot-dog-not-hot-dog"
HOTDOG_PAGE = "https://www.kaggle.com/datasets/dansbecker/hot-dog-not-hot-dog"


class DataUnavailable(RuntimeError):
    """A dataset that needs a download (or a file) this machine does not have."""


def faces_vs_not(*, test_per_class: int = 50, seed: int = 0):
    """Faces and non-faces from scikit-image: ``(x_train, y_train), (x_test, y_test), names``.

    Parameters
    ----------
    test_per_class : int
        Images of each class held out for testing (1–99); the rest form the training pool.
    seed : int
        Seed of the shuffle that decides which images are held out.

    Returns
    -------
    (x_train, y_train), (x_test, y_test), class_names
        ``x``: uint8 (N, 25, 25) gray patches, 0–255; ``y``: int labels, 0 = face,
        1 = not face (``class_names[y]``). Both sets are balanced and shuffled.
    """
    import skimage.data  # imported here: scikit-image is slow to import

    test_per_class = positive_int("test_per_class", test_per_class)
    if test_per_class > 99:
        raise ValueError(f"test_per_class must be at most 99 (100 images per class), "
                         f"got {test_per_class}")
    pixels = np.round(skimage.data.lfw_subset() * 255).astype(np.uint8)
    labels = np.repeat([0, 1], 100)  # the first 100 are faces
    rng = np.random.default_rng(positive_int("seed", seed, minimum=0))
    test = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:test_per_class]
                           for c in (0, 1)])
    train = np.setdiff1d(np.arange(200), test)
    train, test = rng.permutation(train), rng.permutation(test)
    return (pixels[train], labels[train]), (pixels[test], labels[test]), FACES_CLASSES


def take_per_class(x, y, n: int, *, seed: int | None = None):
    """The first ``n`` examples of each class (in order, or after a seeded shuffle).

    Parameters
    ----------
    x, y : arrays
        Examples and integer labels of the same length.
    n : int
        Examples per class; every class must have that many.
    seed : int, optional
        If given, draw a random ``n`` per class instead of the first ones.

    Returns
    -------
    x, y
        The chosen examples, in their original order.
    """
    n = positive_int("n", n)
    y = np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    order = np.arange(len(y))
    if seed is not None:
        order = np.random.default_rng(positive_int("seed", seed, minimum=0)).permutation(order)
    chosen = []
    for label in np.unique(y):
        members = order[y[order] == label]
        if len(members) < n:
            raise ValueError(f"n={n} examples per class asked, but class {label} has only "
                             f"{len(members)}")
        chosen.append(members[:n])
    keep = np.sort(np.concatenate(chosen))
    return np.asarray(x)[keep], y[keep]


def as_arrays(dataset):
    """All batches of an (images, labels) dataset as numpy arrays ``(x, y)``.

    ``x`` becomes uint8 0–255 again (what :func:`cnnlab.pretrained.preprocess` and
    :func:`cnnlab.models.simple_cnn` take), ``y`` int labels.
    """
    xs, ys = [], []
    for images, labels in dataset:
        xs.append(round_to_uint8(images))
        ys.append(np.asarray(labels))
    if not xs:
        raise ValueError("dataset is empty")
    return np.concatenate(xs), np.concatenate(ys)


# ----------------------------------------------------------------------------- hot dogs

def hotdog(path=None, *, image_size=224, batch_size: int = 32, seed: int = 0,
           target=None, sha256: str | None = None):
    """Kaggle's hot dog / not hot dog photos as (train, test) datasets.

    Parameters
    ----------
    path : str or Path, optional
        The downloaded archive (``.zip`` or ``.tar[.gz]``) or its extracted folder. By
        default ``kagglehub.dataset_download(HOTDOG_KAGGLE)`` fetches it (needs
        ``pip install kagglehub``, network and a Kaggle account).
    image_size : int or (height, width)
        Size every photo is resized to.
    batch_size, seed :
        Passed to :func:`cnnlab.datasets.image_folder` (the test set is not shuffled).
    target : str or Path, optional
        Where an archive is extracted; default: next to it, named after it.
    sha256 : str, optional
        Expected SHA-256 of the archive; a mismatch is an error.

    Returns
    -------
    (train, test)
        Two ``tf.data.Dataset`` of (images, labels), class names :data:`HOTDOG_CLASSES`.

    Raises
    ------
    DataUnavailable
        No path was given and the download is impossible (kagglehub missing, no network).
    ValueError
        The archive does not match ``sha256``, holds an unsafe entry, or lacks the
        ``train``/``test`` folders of both classes.
    """
    from .datasets import image_folder

    folder = _download_hotdog() if path is None else Path(os.fspath(path))
    if not folder.exists():
        raise FileNotFoundError(f"path {str(folder)!r} does not exist; download the archive "
                                f"from {HOTDOG_PAGE}")
    if folder.is_file():
        if sha256 is not None:
            _check_sha256(folder, sha256)
        destination = Path(target) if target is not None else folder.parent / _stem(folder)
        safe_extract(folder, destination)
        folder = destination
    root = _find_split_root(folder)
    train = image_folder(root / "train", image_size, batch_size=batch_size, seed=seed)
    test = image_folder(root / "test", image_size, batch_size=batch_size, seed=seed,
                        shuffle=False)
    return train, test


def _download_hotdog() -> Path:
    try:
        import kagglehub
    except ImportError:
        raise DataUnavailable(
            "the hot dog photos are not available offline: install kagglehub "
            f"(`pip install kagglehub`) or download the archive from {HOTDOG_PAGE} and "
            "call hotdog(path='hot-dog-not-hot-dog.zip')"
        ) from None
    try:
        return Path(kagglehub.dataset_download(HOTDOG_KAGGLE))
    except Exception as error:  # kagglehub raises many kinds (network, auth, HTTP)
        raise DataUnavailable(
            f"kagglehub could not download {HOTDOG_KAGGLE!r} ({type(error).__name__}: "
            f"{error}); without network, download the archive from {HOTDOG_PAGE} "
            "elsewhere and call hotdog(path=...)"
        ) from error


def _check_sha256(archive: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with open(archive, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != expected.lower():
        raise ValueError(f"archive {archive.name} has sha256 {digest.hexdigest()}, expected "
                         f"{expected}: the download is incomplete or not the right file")


def _stem(archive: Path) -> str:
    name = archive.name
    for suffix in (".tar.gz", ".tgz", ".tar", ".zip"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return archive.stem


def _find_split_root(folder: Path) -> Path:
    """The shallowest folder holding train/ and test/, each with both class folders."""
    candidates = sorted((p.parent for p in folder.rglob("train") if p.is_dir()),
                        key=lambda p: (len(p.parts), str(p)))
    for root in candidates:
        if all((root / split / name).is_dir() for split in ("train", "test")
               for name in HOTDOG_CLASSES):
            return root
    raise ValueError(
        f"{folder} does not look like the hot dog dataset: expected train/ and test/ "
        f"folders, each holding {' and '.join(HOTDOG_CLASSES)}/"
    )


def _entries(archive: Path):
    """(name, kind, open-function) for every entry; kind is 'file', 'dir' or 'other'."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            broken = zipped.testzip()
            if broken is not None:
                raise ValueError(f"archive {archive.name} is corrupt: bad CRC for {broken!r}")
            for info in zipped.infolist():
                file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when not recorded
                if info.is_dir() or file_type == stat.S_IFDIR:
                    kind = "dir"
                elif file_type in (0, stat.S_IFREG):
                    kind = "file"
                else:
                    kind = "other"  # symlink, device, …
                yield info.filename, kind, lambda info=info: zipped.open(info)
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tarred:
            for member in tarred:
                kind = "dir" if member.isdir() else "file" if member.isfile() else "other"
                yield member.name, kind, lambda member=member: tarred.extractfile(member)
    else:
        raise ValueError(f"archive {archive.name} is neither a zip nor a tar file")


def _unsafe(name: str, kind: str) -> str | None:
    """Why an entry may not be extracted, or None."""
    if kind == "other":
        return "is a link or special file"
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        return "is an absolute path"
    if ".." in path.parts:
        return "climbs out with '..'"
    return None


def safe_extract(archive, target) -> Path:
    """Extract a zip or tar archive into ``target``, refusing entries that could escape it.

    Every entry is checked before anything is written: absolute paths, ``..``
    components, symbolic/hard links and special files make the whole archive refused.
    Only regular files and folders are written, each inside ``target``.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    ValueError
        Naming the first unsafe entry.
    """
    archive, target = Path(os.fspath(archive)), Path(os.fspath(target))
    for name, kind, _ in _entries(archive):
        reason = _unsafe(name, kind)
        if reason:
            raise ValueError(f"archive {archive.name} refused: entry {name!r} {reason}")
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    for name, kind, open_entry in _entries(archive):
        destination = (root / name.replace("\\", "/")).resolve()
        if destination != root and root not in destination.parents:
            raise ValueError(f"archive {archive.name} refused: entry {name!r} leaves {root}")
        if kind == "dir":
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        with open_entry() as source, open(destination, "wb") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
    return target


# ----------------------------------------------------------------------------- flowers

#: The five flowers of :func:`flowers`, in label order (the sub-folders of
#: ``data/flower_photos/``).
FLOWER_CLASSES = ("daisy", "dandelion", "roses", "sunflowers", "tulips")
FLOWERS_PER_CLASS = 40
__all__ += ["FLOWER_CLASSES", "FLOWERS_PER_CLASS", "flowers"]


def flowers(*, image_size: int = 224, test_per_class: int = 20, seed: int = 0):
    """Real flower photos, offline: ``(x_train, y_train), (x_test, y_test), names``.

    200 photographs from TensorFlow's ``flower_photos`` set, 40 of each of five flowers
    (:data:`FLOWER_CLASSES`), shipped with cnnlab (CC BY 2.0; the photographers are named
    in ``data/flower_photos/LICENSE.txt``). Each photo is cut to its central square and
    resized to ``image_size`` × ``image_size`` — what :func:`cnnlab.pretrained.preprocess`
    does, so 224 gives EfficientNet-Lite0 the photos at its own size.

    Parameters
    ----------
    image_size : int
        Side of the square images, in pixels (8–512). The originals' shortest sides are
        159–442 px, so sizes above 159 enlarge some photos.
    test_per_class : int
        Photos of each class held out for testing (1–39); the other
        ``40 - test_per_class`` of each class form the training pool.
    seed : int
        Seed of the shuffle that decides which photos are held out; the same seed gives
        the same split on every machine.

    Returns
    -------
    (x_train, y_train), (x_test, y_test), class_names
        ``x``: uint8 (N, image_size, image_size, 3) RGB, 0–255; ``y``: int labels 0–4
        (``class_names[y]``). Both sets are balanced, disjoint and shuffled.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test), names = flowers(image_size=32, test_per_class=10)
    >>> x_train.shape, x_train.dtype, x_test.shape
    ((150, 32, 32, 3), dtype('uint8'), (50, 32, 32, 3))
    >>> names
    ('daisy', 'dandelion', 'roses', 'sunflowers', 'tulips')
    >>> np.bincount(y_test).tolist()
    [10, 10, 10, 10, 10]
    """
    image_size = positive_int("image_size", image_size, minimum=8)
    if image_size > 512:
        raise ValueError(f"image_size must be at most 512 (the photos' longest side is "
                         f"500 px), got {image_size}")
    test_per_class = positive_int("test_per_class", test_per_class)
    if test_per_class >= FLOWERS_PER_CLASS:
        raise ValueError(f"test_per_class must be at most {FLOWERS_PER_CLASS - 1} "
                         f"({FLOWERS_PER_CLASS} photos per class, at least one left for "
                         f"training), got {test_per_class}")
    rng = np.random.default_rng(positive_int("seed", seed, minimum=0))
    paths = _flower_paths()
    pixels = np.stack([_square_photo(path, image_size) for path in paths])
    labels = np.repeat(np.arange(len(FLOWER_CLASSES)), FLOWERS_PER_CLASS)
    test = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:test_per_class]
                           for c in range(len(FLOWER_CLASSES))])
    train = np.setdiff1d(np.arange(len(labels)), test)
    train, test = rng.permutation(train), rng.permutation(test)
    return (pixels[train], labels[train]), (pixels[test], labels[test]), FLOWER_CLASSES


def _flower_paths() -> list[Path]:
    """The shipped photos, class by class, each class sorted by file name (so the order,
    and with it the seeded split, does not depend on the file system)."""
    from ._data import data_path

    folder = data_path("flower_photos")
    paths = []
    for name in FLOWER_CLASSES:
        photos = sorted((folder / name).glob("*.jpg"))
        if len(photos) != FLOWERS_PER_CLASS:
            raise FileNotFoundError(
                f"{folder / name} holds {len(photos)} photos, expected {FLOWERS_PER_CLASS}; "
                "reinstall cnnlab or, in a source checkout, run tools/build_flowers.py")
        paths += photos
    return paths


def _square_photo(path: Path, size: int) -> np.ndarray:
    """The photo's central square, resized to size × size (uint8 RGB)."""
    from PIL import Image

    from .images import resize

    with Image.open(path) as photo:
        rgb = np.asarray(photo.convert("RGB"))
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    # bilinear: Pillow widens its filter when shrinking (no aliasing) and interpolates
    # smoothly when enlarging the few photos smaller than ``size``.
    return resize(rgb[top:top + side, left:left + side], (size, size), resample="bilinear")


# ------------------------------------------------------- the measured data-efficiency curve

FLOWER_CURVES_FILE = "flowers_learning_curves.npz"
__all__ += ["FLOWER_CURVES_FILE", "flower_curves", "write_flower_curves"]


def flower_curves():
    """The flowers' data-efficiency curves as ``benchmarks/transfer.py`` measured them.

    Training a CNN from scratch for every size and draw takes longer than notebook 07 may
    run, so the benchmark stores its measurement (``CNNLAB_WRITE=1``) and the notebook
    plots it and re-runs one draw.

    Returns
    -------
    sizes : tuple of int
        Training photos per class.
    curves : dict
        ``"transfer"`` and ``"scratch"`` → test accuracy, shape (len(sizes), draws); draw
        ``j`` is ``learning_curve``'s seed ``j``, the same photos for both.
    settings : str
        How they were measured.

    Examples
    --------
    >>> sizes, curves, settings = flower_curves()
    >>> 5 in sizes, sorted(curves), curves["transfer"].shape[0] == len(sizes)
    (True, ['scratch', 'transfer'], True)
    """
    from ._data import data_path

    with np.load(data_path(FLOWER_CURVES_FILE)) as stored:
        return (tuple(int(n) for n in stored["sizes"]),
                {name: stored[name].copy() for name in ("transfer", "scratch")},
                str(stored["settings"]))


def write_flower_curves(sizes, transfer, scratch, *, settings: str) -> Path:
    """Store curves for :func:`flower_curves` (used by ``benchmarks/transfer.py``)."""
    from ._data import data_dir

    sizes = np.asarray(sizes, dtype=np.int64)
    curves = {"transfer": np.asarray(transfer, dtype=np.float64),
              "scratch": np.asarray(scratch, dtype=np.float64)}
    for name, curve in curves.items():
        if curve.ndim != 2 or len(curve) != len(sizes):
            raise ValueError(f"{name} must have one row per size ({len(sizes)}), got shape "
                             f"{curve.shape}")
    path = data_dir() / FLOWER_CURVES_FILE
    np.savez(path, sizes=sizes, settings=np.array(settings), **curves)
    return path
