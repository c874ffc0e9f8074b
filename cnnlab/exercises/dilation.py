"""Exercises of notebook 05 — dilation.

>>> from cnnlab.exercises import dilation as ex
>>> ex.effective_size.check(7)
✓ Correct!
"""

from .. import ops
from . import NumberQuestion

effective_size = NumberQuestion(
    "A 3×3 kernel with dilation 3: how wide is its footprint (k′)?",
    ops.effective_kernel_size(3, dilation=3),
    mistakes={9: "k · dilation counts one gap too many at the end: k′ = k + (k − 1)(d − 1).",
              5: "That is dilation 2.", 3: "Dilation spreads the taps apart."},
    hints=["k′ = k + (k − 1)(dilation − 1)"],
    solution="3 + 2·2 = 7",
)

dilated_size = NumberQuestion(
    "A 3×3 kernel with dilation 2, no padding, stride 1, on a 32-pixel-wide image: output width?",
    ops.output_size(32, 3, dilation=2),
    mistakes={30: "That ignores the dilation: use k′ = 5 in the formula.",
              27: "Off by one: floor((32 − 5) / 1) + 1."},
    hints=["First k′ = 3 + 2·1 = 5, then out = I − k′ + 1."],
    solution="k′ = 5; 32 − 5 + 1 = 28",
)

stacked_field = NumberQuestion(
    "Three stacked 3×3 convolutions (stride 1) with dilations 1, 2 and 4: how many input "
    "pixels wide is one output cell's receptive field?",
    ops.receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]),
    mistakes={7: "That is three plain 3×3 layers; dilation widens each step.",
              9: "Add the footprints' growth, not the kernel sizes: 1 + 2 + 4 + 8.",
              13: "The footprints are 3, 5 and 9: each adds k′ − 1 to the field."},
    hints=["Each layer adds k′ − 1 pixels: 2, 4 and 8.", "Start from 1 pixel."],
    solution="1 + 2 + 4 + 8 = 15",
)
