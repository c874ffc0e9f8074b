"""Exercises of notebook 02 — convolution.

Every number asked for here appears nowhere above the exercises in the notebook
(``tools/check_notebooks.py`` checks it).

>>> import numpy as np
>>> from cnnlab.exercises import convolution as ex
>>> ex.horizontal_kernel.check(None)
✎ Your turn: replace None with your answer, then run this cell.
>>> ex.horizontal_kernel.feedback(np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]))
(True, '')
>>> ex.horizontal_kernel.feedback(np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))[1][:32]
'That kernel finds vertical edges'
"""

import numpy as np

from .. import ops
from . import ChoiceQuestion, CodeQuestion, NumberQuestion

__all__ = ["PATCH", "KERNEL", "HORIZONTAL", "TEST_IMAGES", "one_step", "edge_direction",
           "horizontal_kernel", "flipped_kernel", "conv_parameters"]

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

#: A 6×6 image with a horizontal edge: dark rows above (20), bright rows below (50).
HORIZONTAL = np.array([[20] * 6] * 3 + [[50] * 6] * 3)

edge_direction = NumberQuestion(
    "Predict: sobel_x slides over HORIZONTAL (dark rows above, bright rows below). What is "
    "the largest value in its feature map?",
    float(ops.conv2d(HORIZONTAL, np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])).max()),
    mistakes={
        float(ops.conv2d(HORIZONTAL, np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])).max()):
            "That is what sobel_y gives. sobel_x compares the left column with the right one, "
            "and here every row is the same from left to right.",
        30: "30 is the jump in brightness, but sobel_x does not look across rows: it "
            "subtracts the left column from the right one, which are equal here.",
    },
    hints=["sobel_x = right column − left column. Do the columns of HORIZONTAL differ?"],
    solution="0: along every row of HORIZONTAL the values are equal, so right − left = 0 "
             "everywhere. sobel_y (rows below − rows above) gives 4·30 = 120 at the edge.",
    explanation="Every row of HORIZONTAL is constant, so right − left is 0 everywhere.",
    kind="predict",
    then="ConvolutionExplorer(ex.HORIZONTAL, 'sobel_x'): press Play, then pick sobel_y in "
         "the kernel menu.",
)

#: Test images for :data:`horizontal_kernel` (9×9, values 10 and 80).
TEST_IMAGES = {
    "flat": np.full((9, 9), 80.0),
    "horizontal edge": np.array([[10.0] * 9] * 4 + [[80.0] * 9] * 5),
    "vertical edge": np.array([[10.0] * 4 + [80.0] * 5] * 9),
}


def _responses(kernel) -> dict:
    """The largest |response| of ``kernel`` on each test image (ValueError for a bad one)."""
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2 or not 1 <= min(kernel.shape) <= max(kernel.shape) <= 7:
        raise ValueError(f"a kernel is a 2-D array of at most 7×7, got shape {kernel.shape}")
    return {name: float(np.abs(ops.conv2d(image, kernel)).max())
            for name, image in TEST_IMAGES.items()}


def _not_a_kernel(kernel) -> bool:
    try:
        _responses(kernel)
    except (TypeError, ValueError):
        return True
    return False


def _quiet(value, kernel) -> bool:
    """``value`` is 0 up to float noise (relative to the kernel's weights)."""
    return value <= 1e-9 * (1 + float(np.abs(np.asarray(kernel, float)).sum()) * 80)


def _finds_horizontal_edges(kernel) -> bool:
    r = _responses(kernel)
    return (_quiet(r["flat"], kernel) and _quiet(r["vertical edge"], kernel)
            and not _quiet(r["horizontal edge"], kernel))


horizontal_kernel = CodeQuestion(
    "Design a kernel that finds horizontal edges: a large output where dark rows meet bright "
    "rows, and 0 on flat areas and on vertical edges.",
    np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    accept=_finds_horizontal_edges,
    mistakes=[
        (_not_a_kernel,
         "A kernel is a 2-D array of numbers, at most 7×7, every row as long as the others: "
         "e.g. np.array([[a, b, c], [d, e, f], [g, h, i]]) (a kernel's name is not enough: "
         "write its numbers)."),
        (lambda k: not np.isfinite(np.asarray(k, float)).all(), "Use finite numbers only."),
        (lambda k: _quiet(max(_responses(k).values()), k),
         "Your kernel gives 0 on every test image, the horizontal edge too: it finds nothing. "
         "Give the rows below the centre other weights than the rows above."),
        (lambda k: _quiet(_responses(k)["horizontal edge"], k)
         and not _quiet(_responses(k)["vertical edge"], k) and _quiet(_responses(k)["flat"], k),
         "That kernel finds vertical edges (it compares left and right columns, like "
         "sobel_x). Swap its rows and columns (kernel.T)."),
        (lambda k: not _quiet(_responses(k)["flat"], k),
         "Your kernel responds to a flat grey area: its weights do not add up to 0, so it "
         "measures brightness, not edges."),
        (lambda k: not _quiet(_responses(k)["vertical edge"], k),
         "Your kernel responds to vertical edges too (like the Laplacian, which sees edges in "
         "every direction). Make each column's weights add up to 0, so that a change from "
         "left to right gives nothing."),
    ],
    hints=["An edge between rows: compare the row below the centre with the row above.",
           "Top row negative, middle row 0, bottom row positive — each column adding up to 0."],
    solution="np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]) (sobel_y), or "
             "[[-1, -1, -1], [0, 0, 0], [1, 1, 1]], or simply [[-1], [1]].",
    explanation="It gives 0 on flat areas and on vertical edges, and a large value where the "
                "rows change.",
    then="ConvolutionExplorer(ex.TEST_IMAGES['horizontal edge'], your_kernel) shows it "
         "step by step.",
)

flipped_kernel = ChoiceQuestion(
    "scipy.signal.convolve2d(image, k, mode='valid') and a Keras Conv2D layer with the same "
    "kernel k (bias 0) give different feature maps. Why?",
    "the kernel is flipped",
    options=["the kernel is flipped", "Keras adds a bias", "Keras pads the image",
             "float32 rounding"],
    mistakes={
        "Keras adds a bias": "The bias is 0 here; and a bias would shift every value by the "
                             "same amount, not mirror the map.",
        "Keras pads the image": "Both use 'valid' (no padding): the maps have the same size, "
                                "and padding would change only the border.",
        "float32 rounding": "Rounding errors are about a millionth; the maps differ by far "
                            "more (for sobel_x even the sign is reversed).",
    },
    hints=["Compute both with an asymmetric kernel such as sobel_x and compare."],
    solution="the kernel is flipped: the mathematicians' convolution (scipy) turns the kernel "
             "by 180° before sliding it; CNN layers (Keras, PyTorch) slide it as it is — "
             "cross-correlation. For learned kernels this does not matter: the network "
             "simply learns the flipped weights.",
    explanation="scipy turns the kernel by 180° first; Keras slides it as it is "
                "(cross-correlation). A network learns whichever weights it needs, so CNNs "
                "skip the flip.",
)

conv_parameters = NumberQuestion(
    "A Conv2D layer has 10 filters of size 5×5 over an RGB input. How many parameters "
    "(weights and biases)?",
    (5 * 5 * 3 + 1) * 10,
    mistakes={5 * 5 * 3 * 10: "Almost: each filter also has one bias.",
              (5 * 5 + 1) * 10: "Each filter spans all 3 input channels: 5·5·3 weights.",
              5 * 5 * 3 + 1: "That is one filter; the layer has 10.",
              (3 * 3 * 3 + 1) * 10: "The kernel is 5×5 here, not 3×3."},
    hints=["One filter: 5 · 5 · 3 weights + 1 bias. The image size does not matter."],
    solution="(5·5·3 + 1) · 10 = 760 — whatever the image size: weights are shared.",
)
