"""Exercises of notebook 04 — pooling, ReLU, equivariance and invariance.

>>> from cnnlab.exercises import pooling as ex
>>> ex.max_pool.check([[6, 8], [3, 4]])
✓ Correct!
>>> [q.kind for q in (ex.max_pool, ex.padded_average, ex.conv_relu_pool, ex.bigger_pool,
...                   ex.why_relu)]
['compute', 'compute', 'code', 'predict', 'explain']

The code question takes Keras layers and builds them with Keras (imported only when the
student's answer is checked, from the notebook that already uses it).
"""

import numpy as np

from .. import ops
from . import ArrayQuestion, ChoiceQuestion, CodeQuestion, NumberQuestion

#: The 4×4 feature map of :data:`max_pool`.
FEATURE_MAP = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])
#: The 3×3 feature map of :data:`padded_average`.
SMALL_MAP = np.array([[5, 1, 7], [3, 9, 2], [8, 3, 6]])

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
    "Average-pool SMALL_MAP with a 2×2 window, stride 2, padding='same', the way Keras "
    "does it. What is the bottom-left output value?",
    float(ops.pool2d(SMALL_MAP, 2, padding="same", mode="avg")[1, 0]),
    tolerance=1e-9,
    mistakes={2.75: "You divided by 4, counting the two padding cells as zeros — PyTorch's "
                    "default (count_include_pad=True). Keras divides by the real cells only.",
              11.0: "That is the sum of the window; divide by the number of real cells.",
              8.0: "That is the maximum; average pooling takes the mean."},
    hints=["'same' pads one row at the bottom and one column at the right: the bottom-left "
           "window holds 8, 3 and two padding cells.",
           "Keras divides by the number of real cells."],
    solution="(8 + 3) / 2 = 5.5 — Keras ignores the padding cells (PyTorch's default would "
             "give 11 / 4 = 2.75).",
)


def _stack_output(layers, input_shape=(32, 32, 3)) -> tuple:
    """The output shape (without batch) of Keras ``layers`` on a 32×32×3 image."""
    from .._tf import import_keras

    keras = import_keras()
    layers = list(layers)
    if not layers or not all(isinstance(layer, keras.layers.Layer) for layer in layers):
        raise TypeError("expected a list of Keras layers, e.g. [keras.layers.Conv2D(...), …]")
    model = keras.Sequential([keras.Input(input_shape), *layers])
    return tuple(model.output_shape[1:])


def _has_relu(layers) -> bool:
    def relu(layer):
        activation = getattr(getattr(layer, "activation", None), "__name__", "")
        return type(layer).__name__ == "ReLU" or activation == "relu" or (
            type(layer).__name__ == "Activation" and activation == "relu")
    return any(relu(layer) for layer in layers)


def _has_pooling(layers) -> bool:
    return any("Pooling2D" in type(layer).__name__ for layer in layers)


conv_relu_pool = CodeQuestion(
    "Build one conv → ReLU → pool unit as a list of Keras layers that turns a 32×32×3 image "
    "into 16×16×8 feature maps: a 3×3 Conv2D, a ReLU and a 2×2 max pooling.",
    '[keras.layers.Conv2D(8, 3, padding="same"), keras.layers.ReLU(), '
    "keras.layers.MaxPooling2D(2)]",
    accept=lambda layers: (_stack_output(layers) == (16, 16, 8) and _has_relu(layers)
                           and _has_pooling(layers)),
    mistakes=[(lambda layers: not isinstance(layers, (list, tuple)) or not layers,
               "Answer with a list of Keras layers, e.g. [keras.layers.Conv2D(8, 3, "
               "padding='same'), keras.layers.ReLU(), keras.layers.MaxPooling2D(2)]."),
              (lambda layers: not _has_relu(layers),
               "There is no ReLU: without a non-linearity, stacked units collapse into one "
               "linear map. Add keras.layers.ReLU() (or activation='relu')."),
              (lambda layers: not _has_pooling(layers),
               "There is no pooling layer: add keras.layers.MaxPooling2D(2)."),
              (lambda layers: _stack_output(layers)[:2] == (15, 15),
               "'valid' padding shrinks 32 to 30 before the pooling halves it to 15: use "
               "padding='same' in the Conv2D."),
              (lambda layers: _stack_output(layers)[:2] == (32, 32),
               "The pooling did not shrink the map: MaxPooling2D(2) has stride 2 by default "
               "— did you set strides=1?"),
              (lambda layers: _stack_output(layers)[:2] == (16, 16),
               "Right size, wrong number of maps: the Conv2D's filters (its first argument) "
               "sets the channels — 8.")],
    hints=["Conv2D(filters, kernel_size, padding=...): filters is the number of output maps.",
           "A 2×2 pool halves 32 to 16 only if the convolution kept 32: padding='same'."],
    solution='[keras.layers.Conv2D(8, 3, padding="same"), keras.layers.ReLU(), '
             "keras.layers.MaxPooling2D(2)] — 32×32 → 32×32×8 → ReLU → 16×16×8.",
)
bigger_pool = ChoiceQuestion(
    "Predict: with a 4×4 max pool instead of 2×2 on the cat's edge map, will the fraction "
    "of pooled outputs that stay the same after a 1-pixel shift be 'higher', 'the same' or "
    "'lower'?",
    "higher",
    options=["higher", "the same", "lower"],
    kind="predict",
    then="run the measurement cell again with unchanged_fraction(4).",
    mistakes={"the same": "Window size matters: a 1-pixel shift replaces half of a 2×2 "
                          "window but only a quarter of a 4×4 one.",
              "lower": "A bigger window forgives more: a 1-pixel shift moves the maximum out "
                       "of a 4-wide window less often than out of a 2-wide one."},
    hints=["After a 1-pixel shift, which cells of a window can lose their maximum?"],
    solution="higher — a 1-pixel shift replaces one column of each window: half of a 2×2 "
             "window, a quarter of a 4×4 one, so the largest value stays inside (and the "
             "output unchanged) more often.",
)

why_relu = ChoiceQuestion(
    "Ten 3×3 convolution layers are stacked with no activation between them. What can the "
    "stack compute? Answer with a letter.\n"
    "  a) Anything ten layers with ReLU can.\n"
    "  b) Exactly what one 21×21 convolution can.\n"
    "  c) Nothing: without activations the output is zero.\n"
    "  d) Only edges, because 3×3 kernels are edge detectors.",
    "b",
    options=["a", "b", "c", "d"],
    mistakes={"a": "Without a non-linearity the layers collapse: a convolution of a "
                   "convolution is one convolution (ops.stacked_kernel builds it).",
              "c": "The output is not zero: it is a perfectly good linear map — one "
                   "convolution.",
              "d": "A 3×3 kernel can blur, sharpen or find edges; the point is that ten "
                   "linear layers are no more than one linear layer."},
    hints=["Two stacked 3×3 convolutions equal one 5×5 convolution. Ten of them?"],
    solution="b) Each layer adds 2 to the kernel's width: 3 + 9·2 = 21. Only a "
             "non-linearity such as ReLU between the layers lets depth add power.",
)
