"""Training time, test accuracy and the shift test of notebook 06's networks.

Target (issue 5): >= 0.88 test accuracy on the Fashion-MNIST subset shipped in data/
(10 000 training, 2 000 test images) with <= 60 s of training on a 2-core CPU.

The shift test (issue 15): accuracy on the test images moved 0-3 pixels to the right, for
the CNN of notebook 06 (flatten + dense), the same CNN with global average pooling instead
of flatten, the same CNN trained with augmentation (random shifts and flips), and the
dense-only network. With ``--seeds 0 1 2`` it prints each seed's table and the mean and range
of the accuracy lost at the largest shift: the margins that notebook 06's prose and
assertions rely on.

Usage: .venv/bin/python benchmarks/classification.py [--epochs 10] [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from cnnlab import datasets, evaluation, models

TARGET_ACCURACY = 0.88
TARGET_SECONDS = 60.0
SHIFTS = (0, 1, 2, 3)

NETWORKS = {
    "CNN": lambda seed: models.simple_cnn((28, 28, 1), 10, seed=seed),
    "CNN, average": lambda seed: models.simple_cnn((28, 28, 1), 10, head="global_average",
                                                   seed=seed),
    "CNN, augmented": lambda seed: models.simple_cnn((28, 28, 1), 10, augmentation=True,
                                                     seed=seed),
    "dense": lambda seed: models.dense_classifier((28, 28, 1), 10, seed=seed),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    (x, y), (x_test, y_test) = datasets.load_fashion_mnist()
    x, x_test = x[..., None], x_test[..., None]
    print(f"CPU cores visible: {os.cpu_count()}; training images: {len(x)}, "
          f"test images: {len(x_test)}, epochs: {args.epochs}, batch size 64")
    tables = []
    for seed in args.seeds:
        trained = {}
        for name, build in NETWORKS.items():
            model = build(seed)
            start = time.perf_counter()
            models.train(model, x, y, epochs=args.epochs, batch_size=64, seed=seed)
            seconds = time.perf_counter() - start
            trained[name] = model
            print(f"seed {seed}  {name:15s} params {model.count_params():>7,}  "
                  f"training {seconds:5.1f} s", flush=True)
        table = evaluation.shift_test(trained, x_test, y_test, shifts=SHIFTS)
        print(evaluation.shift_table(table, SHIFTS), flush=True)
        met = "met" if table["CNN"][0] >= TARGET_ACCURACY else "NOT met"
        print(f"  CNN accuracy target >= {TARGET_ACCURACY}: {met} (training time above; "
              f"target <= {TARGET_SECONDS:.0f} s on 2 idle cores)")
        tables.append(table)
    print(f"over seeds {args.seeds}: unmoved accuracy, and accuracy lost at {SHIFTS[-1]} px "
          "(mean, min-max)")
    for name in NETWORKS:
        unmoved = np.array([t[name][0] for t in tables])
        lost = np.array([t[name][0] - t[name][-1] for t in tables])
        print(f"  {name:15s} {unmoved.mean():.3f} ({unmoved.min():.3f}-{unmoved.max():.3f})"
              f"   lost {lost.mean():.3f} ({lost.min():.3f}-{lost.max():.3f})")


if __name__ == "__main__":
    main()
