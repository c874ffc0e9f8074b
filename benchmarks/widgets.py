"""Time of one explorer step update: trace lookup + draw + widget value set.

Cases: a 32×32 RGB image with a 3×3×3 kernel, and a 224×224 photo (as the explorer shows
it, downscaled, and at full size with max_side=None). Target: median ≤ 15 ms and
p95 ≤ 40 ms on a 2-core CPU. The baseline redraws a whole matplotlib figure per step
(the naive approach), printed as a ratio.

Run: ``.venv/bin/python benchmarks/widgets.py``
"""

import time

import numpy as np

from cnnlab import images, kernels, trace
from cnnlab.widgets import ConvolutionExplorer


def _timings(update, steps, repeat=1):
    times = []
    for _ in range(repeat):
        for step in steps:
            start = time.perf_counter()
            update(step)
            times.append(time.perf_counter() - start)
    times = np.array(times) * 1000
    return float(np.median(times)), float(np.percentile(times, 95))


def _explorer_update(explorer):
    def update(step):
        explorer.step = step          # trace lookup + draw + PNG + Image widget value
    return update


def _matplotlib_baseline(t):
    """Naive: build and render a whole figure (input, kernel, products, output) per step."""
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt

    def update(step):
        record = t.record(step)
        figure, axes = plt.subplots(1, 4, figsize=(10, 3.5))
        axes[0].imshow(t.padded[..., 0], cmap="viridis")
        axes[0].add_patch(plt.Rectangle((record.cols[0] - 0.5, record.rows[0] - 0.5),
                                        len(record.cols), len(record.rows), fill=False,
                                        edgecolor="orange", linewidth=2))
        axes[1].imshow(t.kernel[..., 0], cmap="RdBu_r")
        axes[2].imshow(record.products.sum(axis=-1), cmap="RdBu_r")
        axes[3].imshow(t.partial_output(step), cmap="viridis")
        figure.suptitle(f"output{record.cell} = {record.value:.2f}")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
    return update


def main():
    rng = np.random.default_rng(0)
    photo = images.resize(images.sample("cat"), (224, 224))
    small = rng.integers(0, 256, (32, 32, 3)).astype(np.uint8)
    kernel = np.stack([kernels.sobel_x()] * 3, axis=-1)
    cases = [
        ("32×32 RGB, 3×3×3 kernel", ConvolutionExplorer(small, kernel, padding="same")),
        ("224×224 photo (shown downscaled to 32)", ConvolutionExplorer(photo, kernel,
                                                                       padding="same")),
        ("224×224 photo, full size (max_side=None)",
         ConvolutionExplorer(photo, kernel, padding="same", max_side=None)),
    ]
    print(f"{'case':44s} {'median ms':>10s} {'p95 ms':>8s}  (target: median ≤ 15, p95 ≤ 40)")
    medians = {}
    for name, explorer in cases:
        steps = np.random.default_rng(1).integers(0, explorer.n_steps, 200).tolist()
        explorer.step = 0     # warm: the static parts are drawn once per trace
        median, p95 = _timings(_explorer_update(explorer), steps)
        medians[name] = median
        print(f"{name:44s} {median:10.2f} {p95:8.2f}")
    t = trace.conv2d(small, kernel, padding="same")
    base_median, base_p95 = _timings(_matplotlib_baseline(t), range(0, t.n_steps, 51))
    print(f"{'baseline: matplotlib figure per step (32×32)':44s} {base_median:10.2f} "
          f"{base_p95:8.2f}")
    ratio = base_median / medians[cases[0][0]]
    print(f"speed-up of the cached Pillow renderer over the baseline: {ratio:.1f}×")


if __name__ == "__main__":
    main()
