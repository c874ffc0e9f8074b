"""Exercises of notebook 02 — convolution.

>>> from cnnlab.exercises import convolution as ex
>>> ex.valid_size.check(28)
✓ Correct!
"""

import numpy as np

from .. import kernels, ops
from . import ChoiceQuestion, NumberQuestion

#: The 3×3 image patch and kernel of :data:`one_step`.
PATCH = np.array([[3, 0, 1], [2, 6, 2], [0, 1, 4]])
KERNEL = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])

one_step = NumberQuestion(
    "Slide KERNEL onto PATCH (one position). What number lands in the feature map?",
    int(ops.conv2d(PATCH, KERNEL)[0, 0]),
    mistakes={
        int(ops.conv2d(PATCH, KERNEL[::-1, ::-1])[0, 0]):
            "You flipped the kernel (the mathematician's convolution). CNNs do not flip: "
            "multiply each cell by the kernel value on top of it.",
        int(PATCH.sum()): "That is the sum of the patch; multiply by the kernel first.",
    },
    hints=["Multiply cell by cell: 3·1 + 0·0 + 1·(−1) + …", "Then add the nine products."],
    solution="3·1 + 0·0 + 1·(−1) + 2·1 + 6·0 + 2·(−1) + 0·1 + 1·0 + 4·(−1) = −2",
)

vertical_edges = ChoiceQuestion(
    "Which kernel responds to vertical edges (dark left, bright right)?",
    "sobel_x",
    options=kernels.names(),
    mistakes={
        "sobel_y": "sobel_y compares rows above and below: it finds horizontal edges.",
        "laplacian": "The Laplacian finds edges in every direction, not just vertical ones.",
        "outline": "outline lights up any pixel unlike its neighbours, in every direction.",
        "box_blur": "A blur smooths edges away.",
        "gaussian": "A blur smooths edges away.",
    },
    hints=["Look for a kernel whose left column is negative and right column positive."],
    solution="sobel_x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]: left minus right.",
)

valid_size = NumberQuestion(
    "A 5×5 kernel slides over a 32×32 image without padding. How wide is the feature map?",
    ops.output_size(32, 5),
    mistakes={27: "Off by one: M = N − k + 1 = 32 − 5 + 1.",
              29: "Off by one: M = N − k + 1 = 32 − 5 + 1.",
              32: "That needs padding ('same'); without padding the map shrinks."},
    hints=["M = N − k + 1"],
    solution="M = 32 − 5 + 1 = 28",
)

conv_parameters = NumberQuestion(
    "A Conv2D layer has 16 filters of size 3×3 over an RGB input. How many parameters?",
    3 * 3 * 3 * 16 + 16,
    mistakes={3 * 3 * 3 * 16: "Almost: each filter also has one bias.",
              3 * 3 * 16 + 16: "Each filter spans all 3 input channels: 3·3·3 weights.",
              3 * 3 * 3 + 1: "That is one filter; the layer has 16."},
    hints=["One filter: 3 · 3 · 3 weights + 1 bias."],
    solution="(3·3·3 + 1) · 16 = 448 — whatever the image size: weights are shared.",
)
