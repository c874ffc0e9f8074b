"""cnnlab.ops against tf.nn on the CPU: median time ratio cnnlab / TensorFlow.

Target (issue 2): every ratio ≤ 3 on a 2-core CPU. Also prints the time of
`import cnnlab, cnnlab.ops, cnnlab.kernels, cnnlab.images` in a fresh interpreter
(target < 1 s). Run: .venv/bin/python benchmarks/ops.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import median_seconds  # noqa: E402

from cnnlab import ops  # noqa: E402
from cnnlab._tf import import_tensorflow  # noqa: E402

tf = import_tensorflow()
rng = np.random.default_rng(0)


def conv_case(x_shape, k_shape):
    x = rng.uniform(-1, 1, x_shape).astype(np.float32)
    k = rng.uniform(-1, 1, k_shape).astype(np.float32)
    tx, tk = tf.constant(x), tf.constant(k)
    ours = median_seconds(lambda: ops.conv2d(x, k, padding="same"))
    theirs = median_seconds(lambda: tf.nn.conv2d(tx, tk, 1, "SAME").numpy())
    return f"conv2d {x_shape} x {k_shape} same", ours, theirs


def pool_case(x_shape, mode):
    x = rng.uniform(-1, 1, x_shape).astype(np.float32)
    tx = tf.constant(x)
    tf_pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    ours = median_seconds(lambda: ops.pool2d(x, 2, mode=mode))
    theirs = median_seconds(lambda: tf_pool(tx, 2, 2, "VALID").numpy())
    return f"pool2d {x_shape} 2x2 {mode}", ours, theirs


def import_seconds() -> float:
    code = ("import time; t = time.perf_counter(); "
            "import cnnlab, cnnlab.ops, cnnlab.kernels, cnnlab.images; "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    return sorted(runs)[2]


def main():
    cases = [
        conv_case((1, 224, 224, 3), (3, 3, 3, 16)),
        conv_case((8, 64, 64, 16), (3, 3, 16, 32)),
        pool_case((8, 112, 112, 16), "max"),
        pool_case((8, 112, 112, 16), "avg"),
    ]
    print(f"{'case':48} {'cnnlab ms':>10} {'tf.nn ms':>10} {'ratio':>7}")
    for name, ours, theirs in cases:
        print(f"{name:48} {ours * 1e3:10.2f} {theirs * 1e3:10.2f} {ours / theirs:7.2f}")
    print(f"import cnnlab (+ops, kernels, images): median {import_seconds() * 1e3:.0f} ms")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
