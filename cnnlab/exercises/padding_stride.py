"""Exercises of notebook 03 — padding and stride.

>>> from cnnlab.exercises import padding_stride as ex
>>> ex.strided_size.check(29)
✓ Correct!
>>> ex.strided_size.kind, ex.same_pair.kind, ex.halving_layer.kind, ex.why_strided.kind
('compute', 'predict', 'code', 'explain')

The code question takes a Keras layer; it is judged by Keras' own output shape, so this
module imports no TensorFlow (the student's notebook already has it).
"""

from .. import ops
from . import ChoiceQuestion, CodeQuestion, NumberQuestion, Question

strided_size = NumberQuestion(
    "A 7×7 kernel, padding 3, stride 2, on a 58-pixel-wide image: output width?",
    ops.output_size(58, 7, stride=2, padding=3),
    mistakes={28: "Forgot the + 1: out = floor((I + 2·pad − k) / stride) + 1.",
              26: "That leaves out the padding: I + 2·pad = 58 + 6 = 64 cells are padded input.",
              30: "Round down (floor), not up: floor(57 / 2) = 28, then + 1.",
              58: "That is stride 1 (7×7 with padding 3 keeps the size); stride 2 halves it."},
    hints=["out = floor((I + 2·pad − k) / stride) + 1",
           "58 + 2·3 − 7 = 57 padded positions past the first one."],
    solution="floor((58 + 6 − 7) / 2) + 1 = floor(28.5) + 1 = 29",
)


class _PaddingPair(Question):
    """An answer that is a (before, after) pair of padding cells."""

    def _shape_problem(self, answer):
        if not (isinstance(answer, tuple) and len(answer) == 2):
            return "answer with a pair (before, after), e.g. (1, 1)."
        return ""

    def _same(self, answer, reference):
        return tuple(answer) == tuple(reference)


same_pair = _PaddingPair(
    "Predict TensorFlow's 'same' padding (cells before, cells after) for a 3-wide kernel "
    "with stride 2 on a 12-pixel row.",
    ops.same_padding(12, 3, stride=2),
    kind="predict",
    then="run ops.same_padding(12, 3, stride=2), or tick 'same' in the calculator above "
         "with I = 12, k = 3, stride = 2 and read the pads in its formula.",
    mistakes=[((1, 1), "That is stride 1's k − 1 = 2 cells. With stride 2 the output has "
                       "ceil(12 / 2) = 6 cells and the last window starts at 10, so it needs "
                       "(6 − 1)·2 + 3 − 12 = 1 cell."),
              ((1, 0), "Right total, wrong side: TensorFlow puts an odd extra cell at the end "
                       "(bottom/right)."),
              ((0, 0), "The last of the 6 windows starts at column 10 and needs columns "
                       "10, 11 and 12 — one more than the 12 columns 0–11.")],
    hints=["The output has ceil(12 / 2) = 6 cells; where does the last window start?",
           "total = max((ceil(n / s) − 1)·s + k − n, 0); an odd total puts the extra at "
           "the end."],
    solution="(0, 1): total = (6 − 1)·2 + 3 − 12 = 1, and the single cell goes at the end.",
)

skipped_pixels = NumberQuestion(
    "Predict: a 3×3 kernel with stride 4, 'valid' padding, on a 9×9 image. How many of the "
    "81 pixels does no window ever read?",
    81 - len({row for start in range(0, 9 - 3 + 1, 4) for row in range(start, start + 3)}) ** 2,
    kind="predict",
    then="ConvolutionExplorer(np.arange(81).reshape(9, 9), np.ones((3, 3)), stride=4) — "
         "press Play and watch which rows and columns the window never touches.",
    mistakes={0: "The windows are 3 wide but 4 apart: one row (and column) between them is "
                 "never read, and the last two rows do not fit a third window.",
              27: "That counts the 3 unread rows only; the 3 unread columns hold unread pixels "
                  "too.",
              54: "You counted the 9 pixels where an unread row crosses an unread column "
                  "twice."},
    hints=["Windows start at rows 0 and 4 (a third would start at 8 and not fit): which rows "
           "do they cover?",
           "Rows 0–2 and 4–6 are read; the same for the columns. Count the pixels whose row "
           "or column is unread."],
    solution="Read rows and columns: 0–2 and 4–6 (6 of 9). Read pixels 6·6 = 36, so "
             "81 − 36 = 45 are never read.",
)


def _output_hw(layer, input_shape=(1, 64, 64, 3)) -> tuple:
    """(H, W) that a Keras convolution layer makes of a 64×64×3 image."""
    if not (hasattr(layer, "compute_output_shape") and hasattr(layer, "kernel_size")):
        raise TypeError(f"expected a Keras convolution layer, got {type(layer).__name__}")
    return tuple(layer.compute_output_shape(input_shape)[1:3])


def _is_5x5_conv(layer) -> bool:
    return _output_hw(layer) is not None and tuple(layer.kernel_size) == (5, 5)


halving_layer = CodeQuestion(
    "Set strides and padding of a 5×5 Conv2D so that it turns a 64×64 image into a 32×32 "
    "feature map: layer = keras.layers.Conv2D(8, 5, strides=..., padding=...).",
    'keras.layers.Conv2D(8, 5, strides=2, padding="same")',
    accept=lambda layer: _is_5x5_conv(layer) and _output_hw(layer) == (32, 32),
    mistakes=[(lambda layer: not hasattr(layer, "kernel_size"),
               "That is not a Keras convolution layer: write "
               "keras.layers.Conv2D(8, 5, strides=..., padding=...)."),
              (lambda layer: tuple(layer.kernel_size) != (5, 5),
               "Keep the 5×5 kernel (the second argument, 5); change strides and padding."),
              (lambda layer: _output_hw(layer) == (64, 64),
               "Stride 1 with 'same' padding keeps the size: 64×64. Halve it with strides=2."),
              (lambda layer: _output_hw(layer) == (30, 30),
               "With 'valid' padding the 5×5 kernel loses 4 pixels first: floor((64 − 5) / 2)"
               " + 1 = 30. Use padding='same'."),
              (lambda layer: _output_hw(layer) == (60, 60),
               "'valid' padding, stride 1: 64 − 5 + 1 = 60. You need stride 2 and 'same'.")],
    hints=["Halving the size is a stride of 2.",
           "With padding='same' the output is ceil(64 / stride)."],
    solution='keras.layers.Conv2D(8, 5, strides=2, padding="same"): ceil(64 / 2) = 32. '
             "(padding='valid' gives floor((64 − 5) / 2) + 1 = 30.)",
)

why_strided = ChoiceQuestion(
    "Why do ResNet and MobileNet downsample with a stride-2 convolution where VGG uses a "
    "stride-1 convolution followed by 2×2 max pooling? Answer with a letter.\n"
    "  a) Same output size for about a quarter of the multiply-adds.\n"
    "  b) A stride-2 convolution sees more of the image than a stride-1 one.\n"
    "  c) Pooling layers cannot shrink a feature map by 2.\n"
    "  d) A strided convolution computes exactly the same numbers as convolution + max "
    "pooling.",
    "a",
    options=["a", "b", "c", "d"],
    mistakes={"b": "It sees less: with stride 2 the windows overlap less and, with a kernel "
                   "smaller than the stride, pixels are skipped.",
              "c": "A 2×2 max pool with stride 2 halves height and width — that is what VGG "
                   "uses it for.",
              "d": "Different numbers: pooling keeps the largest of 4 stride-1 responses, the "
                   "strided convolution computes only one of the 4 (and learns weights for "
                   "that)."},
    hints=["Compare the multiply-adds printed in 'Why stride' for the three designs."],
    solution="a) The stride-2 convolution computes only the outputs it keeps: 112×112×64 "
             "instead of 224×224×64, a quarter of the work, for the same output size.",
)
