"""Training time and test accuracy of cnnlab.models.simple_cnn on the bundled data.

Target (issue 5): >= 0.88 test accuracy on the Fashion-MNIST subset shipped in data/
(10 000 training, 2 000 test images) with <= 60 s of training on a 2-core CPU.

Usage: .venv/bin/python benchmarks/classification.py [--epochs 10] [--repeats 1]
Prints the median training time over the repeats, the test accuracy (identical across
repeats when training is deterministic) and the dense-only network for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from cnnlab import datasets, models

TARGET_ACCURACY = 0.88
TARGET_SECONDS = 60.0


def run(build, epochs: int, x, y, x_test, y_test) -> tuple[float, float]:
    model = build()
    start = time.perf_counter()
    models.train(model, x, y, epochs=epochs, batch_size=64, seed=0)
    seconds = time.perf_counter() - start
    return seconds, float(model.evaluate(x_test, y_test, verbose=0)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    (x, y), (x_test, y_test) = datasets.load_fashion_mnist()
    x, x_test = x[..., None], x_test[..., None]
    print(f"CPU cores visible: {os.cpu_count()}; training images: {len(x)}, "
          f"test images: {len(x_test)}, epochs: {args.epochs}, batch size 64")
    for name, build in (("simple_cnn", lambda: models.simple_cnn((28, 28, 1), 10)),
                        ("dense_classifier",
                         lambda: models.dense_classifier((28, 28, 1), 10))):
        results = [run(build, args.epochs, x, y, x_test, y_test)
                   for _ in range(args.repeats)]
        seconds = statistics.median(r[0] for r in results)
        accuracies = sorted({round(r[1], 4) for r in results})
        params = build().count_params()
        print(f"{name:17s} params {params:>7,}  training {seconds:5.1f} s (median of "
              f"{args.repeats})  test accuracy {', '.join(map(str, accuracies))}")
        if name == "simple_cnn":
            ok = accuracies[0] >= TARGET_ACCURACY and seconds <= TARGET_SECONDS
            print(f"  target >= {TARGET_ACCURACY} in <= {TARGET_SECONDS:.0f} s: "
                  f"{'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
