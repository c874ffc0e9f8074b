"""Exercises of notebook 04 — pooling.

>>> from cnnlab.exercises import pooling as ex
>>> ex.max_pool.check([[6, 8], [3, 4]])
✓ Correct!
"""

import numpy as np

from .. import ops
from . import ArrayQuestion, NumberQuestion

#: The 4×4 feature map of :data:`max_pool`.
FEATURE_MAP = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
#: The 3×3 feature map of :data:`padded_average`.
SMALL_MAP = np.array([[4, 2, 6], [2, 4, 2], [6, 2, 8]])

max_pool = ArrayQuestion(
    "Max-pool FEATURE_MAP with a 2×2 window and stride 2.",
    ops.pool2d(FEATURE_MAP, 2),
    mistakes=[(ops.pool2d(FEATURE_MAP, 2, mode="avg"),
               "Those are averages; max pooling keeps the largest value of each window."),
              (FEATURE_MAP[::2, ::2],
               "That is the top-left cell of each window; keep the largest one instead."),
              (ops.pool2d(FEATURE_MAP, 2, stride=1),
               "Stride 2 means the windows do not overlap: the output is 2×2.")],
    hints=["Cut the 4×4 map into four 2×2 blocks; keep the largest number of each."],
    solution="[[6, 8], [3, 4]]",
)

padded_average = NumberQuestion(
    "Average-pool SMALL_MAP with a 2×2 window, stride 2, padding='same' (TensorFlow). "
    "What is the bottom-right output value?",
    float(ops.pool2d(SMALL_MAP, 2, padding="same", mode="avg")[1, 1]),
    tolerance=1e-9,
    mistakes={2.0: "You counted the three padding cells: TensorFlow averages only the real "
                   "cells, so the window holding just 8 gives 8.",
              0.0: "The padding is not part of the average."},
    hints=["The last window holds the real cell 8 and three padding cells.",
           "TensorFlow divides by the number of real cells."],
    solution="8 / 1 = 8.0 — padding cells are ignored by TensorFlow's average pooling.",
)

pooled_size = NumberQuestion(
    "A 2×2 max pool with stride 2 on a 28×28×32 feature map: how many numbers come out?",
    14 * 14 * 32,
    mistakes={14 * 14: "Pooling works on each of the 32 channels separately.",
              28 * 28 * 32 // 2: "Both height and width halve: four times fewer numbers."},
    hints=["Each channel: 28×28 → 14×14. Channels stay 32."],
    solution="14 · 14 · 32 = 6272",
)
