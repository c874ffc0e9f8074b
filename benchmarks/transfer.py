"""Transfer learning (notebook 07): backbone throughput on the CPU and the data efficiency.

Prints
- feature-extraction throughput of EfficientNet-Lite0 (images/s, median of repeated
  batches of 32 at 224×224 and at 96×96, preprocessing excluded);
- the accuracy of a head on frozen features and of the from-scratch ``simple_cnn`` at
  2, 5 and 10 examples per class on the faces task (mean over 20 random draws; the
  environment variable CNNLAB_DRAWS changes their number), and the gap transfer − scratch
  at 5 per class. Target (issue 6): gap >= 10 points.

Run: .venv/bin/python benchmarks/transfer.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import median_seconds  # noqa: E402

from cnnlab import models, pretrained, transfer, transfer_data  # noqa: E402

SEEDS = tuple(range(int(os.environ.get("CNNLAB_DRAWS", "20"))))
SIZES = (2, 5, 10)


def throughput(backbone, size: int, batch: int = 32) -> float:
    images = pretrained.preprocess(
        np.random.default_rng(0).integers(0, 256, (batch, size, size, 3), dtype=np.uint8),
        size=size)
    seconds = median_seconds(lambda: backbone.predict(images, batch_size=batch, verbose=0),
                             repeats=7, warmup=1)
    return batch / seconds


def data_efficiency(backbone):
    (x_train, y_train), (x_test, y_test), _ = transfer_data.faces_vs_not()
    features_train = transfer.extract_features(x_train, backbone)
    features_test = transfer.extract_features(x_test, backbone)

    def transfer_score(features, labels, seed):
        return transfer.accuracy(transfer.fit_head(features, labels, seed=seed),
                                 features_test, y_test)

    def scratch_score(pixels, labels, seed):
        cnn = models.simple_cnn((25, 25, 1), 2, seed=seed)
        models.train(cnn, pixels[..., None], labels, epochs=60, batch_size=16, seed=seed)
        return transfer.accuracy(cnn, x_test[..., None], y_test)

    with_transfer = transfer.learning_curve(transfer_score, features_train, y_train, SIZES,
                                            seeds=SEEDS)
    from_scratch = transfer.learning_curve(scratch_score, x_train, y_train, SIZES, seeds=SEEDS)
    return with_transfer, from_scratch


def main() -> None:
    backbone = pretrained.load_backbone()
    print(f"CPU cores visible: {os.cpu_count()}")
    for size in (224, 96):
        print(f"feature extraction {size}x{size}, batch 32: "
              f"{throughput(backbone, size):7.1f} images/s (median of 7)")
    with_transfer, from_scratch = data_efficiency(backbone)
    print(f"faces vs not faces, test accuracy (mean and min-max over {len(SEEDS)} draws):")
    for n, t, s in zip(SIZES, with_transfer, from_scratch, strict=True):
        print(f"  {n:>2} per class: transfer {t.mean():.3f} ({t.min():.2f}-{t.max():.2f})   "
              f"scratch {s.mean():.3f} ({s.min():.2f}-{s.max():.2f})")
    at_five = SIZES.index(5)
    gaps = 100 * (with_transfer[at_five] - from_scratch[at_five])  # same draw, paired
    gap, error = gaps.mean(), gaps.std(ddof=1) / np.sqrt(len(gaps))
    print(f"gap transfer - scratch at 5 per class: {gap:.1f} points "
          f"(standard error {error:.1f}; target >= 10: {'met' if gap >= 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
