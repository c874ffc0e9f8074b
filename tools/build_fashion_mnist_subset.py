"""Build data/fashion_mnist_subset.npz: a class-balanced, seeded subset of Fashion-MNIST.

Source: the original idx files of Zalando's Fashion-MNIST (MIT licence), as installed by
Debian's package ``dataset-fashion-mnist`` under /usr/share/datasets/fashion-mnist/.

Selection: for each class 0-9, ``numpy.random.default_rng(SEED)`` draws 1 000 of its
6 000 training images and 200 of its 1 000 test images without replacement (classes in
order 0-9, training set first); the chosen images keep their original order. The
original indices are stored beside the images (``train_index``, ``test_index``).

The archive is written deterministically (fixed zip timestamps, sorted members), so a
rebuild is byte-identical:

    python tools/build_fashion_mnist_subset.py           # writes data/fashion_mnist_subset.npz
    python tools/build_fashion_mnist_subset.py --check   # rebuilds in memory, compares bytes
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np
from project import ROOT

SOURCE = Path("/usr/share/datasets/fashion-mnist")
TARGET = ROOT / "data" / "fashion_mnist_subset.npz"
SEED = 0                  # any fixed integer; another one selects another subset
TRAIN_PER_CLASS = 1000
TEST_PER_CLASS = 200


def read_idx(path: Path) -> np.ndarray:
    """An idx-ubyte(.gz) file (MNIST's format) as a uint8 array."""
    with gzip.open(path, "rb") as file:
        data = file.read()
    zero, dtype, ndim = data[0] << 8 | data[1], data[2], data[3]
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte idx file")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def select(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of ``per_class`` images of each class, drawn without replacement."""
    chosen = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
              for c in range(10)]
    return np.sort(np.concatenate(chosen))


def build(source: Path = SOURCE) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    arrays = {}
    for split, prefix, per_class in (("train", "train", TRAIN_PER_CLASS),
                                     ("test", "t10k", TEST_PER_CLASS)):
        images = read_idx(source / f"{prefix}-images-idx3-ubyte.gz")
        labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
        index = select(labels, per_class, rng)
        arrays[f"x_{split}"] = np.ascontiguousarray(images[index])
        arrays[f"y_{split}"] = labels[index].copy()
        arrays[f"{split}_index"] = index.astype(np.uint16)
    return arrays


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz (readable by numpy.load) with fixed timestamps: same arrays, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=9)
    return buffer.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild and compare with the shipped file instead of writing")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    data = npz_bytes(build(args.source))
    digest = hashlib.sha256(data).hexdigest()
    if args.check:
        same = args.output.read_bytes() == data
        print(f"{args.output}: {'identical to' if same else 'DIFFERS from'} the rebuild "
              f"(sha256 {digest})")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data) / 1e6:.1f} MB, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
