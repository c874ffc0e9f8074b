"""Exercises of notebook 03 — padding and stride.

>>> from cnnlab.exercises import padding_stride as ex
>>> ex.strided_size.check(14)
✓ Correct!
"""

from .. import ops
from . import NumberQuestion, Question

strided_size = NumberQuestion(
    "A 3×3 kernel, padding 1, stride 2, on a 28-pixel-wide image: output width?",
    ops.output_size(28, 3, stride=2, padding=1),
    mistakes={13: "Forgot the + 1: out = floor((I + 2·pad − k) / stride) + 1.",
              28: "That is stride 1 with 'same' padding; stride 2 halves the size.",
              27: "Divide by the stride before adding 1: floor((28 + 2 − 3) / 2) + 1.",
              15: "Round down (floor), not up: floor(27 / 2) = 13."},
    hints=["out = floor((I + 2·pad − k) / stride) + 1"],
    solution="floor((28 + 2 − 3) / 2) + 1 = floor(13.5) + 1 = 14",
)


class _PaddingPair(Question):
    def _shape_problem(self, answer):
        if not (isinstance(answer, tuple) and len(answer) == 2):
            return "answer with a pair (before, after), e.g. (1, 1)."
        return ""

    def _same(self, answer, reference):
        return tuple(answer) == tuple(reference)


same_split = _PaddingPair(
    "TensorFlow's 'same' padding for a 4-wide kernel on a 10-pixel row, stride 1: "
    "(cells before, cells after)?",
    ops.same_padding(10, 4),
    mistakes=[((2, 1), "Right total, wrong side: TensorFlow puts the odd extra cell at the "
                       "end (bottom/right), not the start."),
              ((1.5, 1.5), "Half cells do not exist: the 3 cells split as 1 before, 2 after."),
              ((2, 2), "That adds 4 cells: the output would grow to 11."),
              ((3, 3), "'same' needs k − 1 = 3 cells in total, not 3 on each side.")],
    hints=["'same' keeps 10 outputs, so the padded row needs 10 + 4 − 1 = 13 cells.",
           "3 cells of padding in total; which side gets the odd one in TensorFlow?"],
    solution="(1, 2): total k − 1 = 3, with the extra cell at the end.",
)

same_strided_size = NumberQuestion(
    "'same' padding, stride 3, on a 10-pixel-wide image (any kernel): output width?",
    ops.output_size(10, 3, stride=3, padding="same"),
    mistakes={3: "'same' rounds up: ceil(10 / 3).",
              10: "With stride 3 only every third position is kept."},
    hints=["With 'same', out = ceil(I / stride)."],
    solution="ceil(10 / 3) = 4",
)
