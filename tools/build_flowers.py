"""Build data/flower_photos/: 200 flower photos (5 classes × 40) and their attributions.

Source: the team's ``shared/datasets/flower_photos_small_set/`` (a class-balanced subset
of TensorFlow's ``flower_photos``, CC BY 2.0, one attribution line per photo in its
``LICENSE.txt``), found as ``shared/`` beside the repository's folder — in a developer's
checkout and in CI alike. ``--source`` points elsewhere.

The photos are copied unchanged, byte for byte: they are small already (11.7 MB, shortest
side 159-442 px, enough for EfficientNet-Lite0's 224 × 224 input), and re-encoding JPEGs
would make the shipped bytes depend on the Pillow/libjpeg version of whoever rebuilds
them. ``cnnlab.transfer_data.flowers`` crops and resizes them when it loads them.
``LICENSE.txt`` is a short header (what this folder is, that the photos are unchanged,
that cnnlab's MIT licence does not cover them) followed by the original notice verbatim.

    python tools/build_flowers.py            # writes data/flower_photos/
    python tools/build_flowers.py --check    # compares the shipped files with a rebuild
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "datasets" / "flower_photos_small_set"
TARGET = ROOT / "data" / "flower_photos"
CLASSES = ("daisy", "dandelion", "roses", "sunflowers", "tulips")
PER_CLASS = 40
HEADER = """\
Flower photos shipped with cnnlab (data/flower_photos/, installed as cnnlab/data/flower_photos/)
=================================================================================================

200 photographs of five flowers (daisy, dandelion, roses, sunflowers, tulips; 40 each):
a class-balanced subset of TensorFlow's `flower_photos` data set, as kept in the ML.NET
samples repository (dotnet/machinelearning-samples, folder samples/csharp/getting-started/
DeepLearning_ImageClassification_Training/ImageClassification.Train/assets/inputs/images/
flower_photos_small_set).

Licence: Creative Commons Attribution 2.0 (CC BY 2.0),
https://creativecommons.org/licenses/by/2.0/ — each photo by the Flickr author named
below. The photos are unchanged copies of the originals (not resized, not re-encoded);
cnnlab crops and resizes them in memory when it loads them. cnnlab's own MIT licence does
NOT cover these images.

The original notice and its attribution line for every photo follow, verbatim.
--------------------------------------------------------------------------------------------

"""


def photos(source: Path) -> list[str]:
    """The photos' paths relative to ``source`` (class/file.jpg), checked for balance."""
    if not source.is_dir():
        raise FileNotFoundError(f"source folder {source} does not exist; pass --source")
    names = []
    for name in CLASSES:
        files = sorted(p.name for p in (source / name).glob("*.jpg"))
        if len(files) != PER_CLASS:
            raise ValueError(f"{source / name} holds {len(files)} JPEG files, expected "
                             f"{PER_CLASS}")
        names += [f"{name}/{file}" for file in files]
    return names


def attributed(licence: str) -> set[str]:
    """The photo paths that have an attribution line (each line starts with one)."""
    return set(re.findall(r"^([a-z]+/\S+\.jpg) ", licence, flags=re.MULTILINE))


def build(source: Path = SOURCE) -> dict[str, bytes]:
    """Every file of data/flower_photos/ (relative path → bytes)."""
    names = photos(source)
    licence = (source / "LICENSE.txt").read_text(encoding="utf-8")
    missing = sorted(set(names) - attributed(licence))
    if missing:
        raise ValueError(f"no attribution line in {source / 'LICENSE.txt'} for {missing}")
    files = {name: (source / name).read_bytes() for name in names}
    files["LICENSE.txt"] = (HEADER + licence).encode("utf-8")
    return files


def shipped(target: Path) -> dict[str, bytes]:
    return {p.relative_to(target).as_posix(): p.read_bytes()
            for p in sorted(target.rglob("*")) if p.is_file()}


def digest(files: dict[str, bytes]) -> str:
    """One SHA-256 over all paths and contents, in sorted order."""
    total = hashlib.sha256()
    for name in sorted(files):
        total.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return total.hexdigest()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and compare with the shipped files")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    files = build(args.source)
    if args.check:
        present = shipped(args.output) if args.output.is_dir() else {}
        differ = sorted(n for n in files.keys() | present.keys()
                        if files.get(n) != present.get(n))
        print(f"{args.output}: {'identical to' if not differ else 'DIFFERS from'} the "
              f"rebuild (sha256 {digest(files)})" + (f"; differing: {differ}" if differ else ""))
        return 0 if not differ else 1
    if args.output.exists():
        shutil.rmtree(args.output)  # a clean folder: no stale photo survives a rebuild
    for name, content in files.items():
        path = args.output / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    size = sum(len(c) for c in files.values())
    print(f"wrote {len(files)} files to {args.output} ({size / 1e6:.1f} MB, "
          f"sha256 {digest(files)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
