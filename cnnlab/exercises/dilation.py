"""Exercises of notebook 05 — dilation and receptive fields.

>>> from cnnlab.exercises import dilation as ex
>>> ex.effective_size.check(17)
✓ Correct!
>>> [q.kind for q in (ex.effective_size, ex.pooled_field, ex.lattice_count, ex.field_stack,
...                   ex.why_gridding)]
['compute', 'compute', 'predict', 'code', 'explain']

The code question takes Keras layers and measures their receptive field with TensorFlow's
gradient (:func:`cnnlab.diagrams.geometry.measured_footprint`), imported only when checked.
"""

from .. import ops
from . import ChoiceQuestion, CodeQuestion, NumberQuestion

effective_size = NumberQuestion(
    "A 5×5 kernel with dilation 4: how wide is its footprint (k′)?",
    ops.effective_kernel_size(5, dilation=4),
    mistakes={20: "k · dilation counts one gap too many at the end: k′ = k + (k − 1)(d − 1).",
              13: "That is dilation 3: each of the 4 gaps between taps is dilation − 1 = 3 "
                  "pixels wide.",
              5: "Dilation spreads the taps apart; the weights stay 5 per row, the footprint "
                 "grows."},
    hints=["k′ = k + (k − 1)(dilation − 1)", "5 taps, 4 gaps of 3 pixels each."],
    solution="k′ = 5 + 4·3 = 17",
)

#: The stack of :data:`pooled_field`: conv 3×3, pool 2×2, conv 3×3, conv 3×3, pool 2×2,
#: conv 3×3.
POOLED_STACK = [(3, 1), (2, 2), (3, 1), (3, 1), (2, 2), (3, 1)]

pooled_field = NumberQuestion(
    "conv 3×3 → max pool 2×2 (stride 2) → conv 3×3 → conv 3×3 → max pool 2×2 (stride 2) → "
    "conv 3×3, all convolutions stride 1: how many input pixels wide is one output's "
    "receptive field?",
    ops.receptive_field(POOLED_STACK),
    mistakes={11: "You added k − 1 for every layer, but after each pooling one step of the "
                 "next layer spans 2 (then 4) input pixels: multiply by the jump.",
              9: "The pooling windows read pixels too: each adds (2 − 1) · jump.",
              25: "The jump multiplies only the layers after a stride, not the strided layer "
                  "itself."},
    hints=["field += (k − 1) · jump, then jump *= stride — layer by layer, from the input.",
           "Jumps: 1, 1, 2, 2, 2, 4 for the six layers."],
    solution="1 + 2·1 + 1·1 + 2·2 + 2·2 + 1·2 + 2·4 = 22",
)

lattice_count = NumberQuestion(
    "Predict: two stacked 3×3 convolutions, both with dilation 3. Their field is 13×13 — "
    "how many of those 169 pixels does one output actually read?",
    # along one axis: the offsets a tap of layer 1 plus a tap of layer 2 can reach
    len({a + b for a in (0, 3, 6) for b in (0, 3, 6)}) ** 2,
    kind="predict",
    then="geometry.plot_footprints({'dilation 3, 3': [(3, 1, 3)] * 2}) draws it.",
    mistakes={169: "The field is 13 wide, but every tap moves in steps of 3: only offsets "
                   "0, 3, 6, 9, 12 are reachable along each axis.",
              81: "9 taps × 9 taps = 81 combinations, but many land on the same pixel: "
                  "0, 3, 6 plus 0, 3, 6 gives only 5 distinct offsets per axis.",
              18: "The two layers' taps combine (add), they do not just add up in number."},
    hints=["Along one axis the first layer reads offsets 0, 3, 6 and so does the second. "
           "Which sums are possible?"],
    solution="Offsets 0, 3, 6, 9, 12 per axis: 5 · 5 = 25 pixels of 169.",
)


def _conv_specs(layers) -> list:
    """(kernel, stride, dilation) of each Keras Conv2D in ``layers`` (TypeError otherwise)."""
    layers = list(layers)
    if not layers or not all(type(layer).__name__ == "Conv2D" for layer in layers):
        raise TypeError("expected a list of keras.layers.Conv2D layers")
    return [(tuple(layer.kernel_size), tuple(layer.strides), tuple(layer.dilation_rate))
            for layer in layers]


def _measured(layers):
    from ..diagrams import geometry

    return geometry.measured_footprint(layers, size=41)


def _accept_field_stack(layers) -> bool:
    specs = _conv_specs(layers)
    if len(specs) != 3 or any(k != (3, 3) or s != (1, 1) for k, s, _ in specs):
        return False
    reach = _measured(layers)
    return reach.shape == (17, 17) and bool(reach.all())


field_stack = CodeQuestion(
    "Write three 3×3 Conv2D layers (stride 1) whose receptive field is 17 pixels wide and "
    "has no holes: layers = [keras.layers.Conv2D(4, 3, dilation_rate=...), …].",
    "[keras.layers.Conv2D(4, 3, dilation_rate=d) for d in (1, 2, 5)]",
    accept=_accept_field_stack,
    mistakes=[(lambda layers: not all(type(layer).__name__ == "Conv2D" for layer in layers),
               "Answer with a list of keras.layers.Conv2D layers."),
              (lambda layers: len(_conv_specs(layers)) != 3,
               "Use exactly three keras.layers.Conv2D layers."),
              (lambda layers: any(k != (3, 3) or s != (1, 1) for k, s, _ in _conv_specs(layers)),
               "Keep each kernel 3×3 with stride 1: only dilation_rate changes."),
              (lambda layers: _measured(layers).shape[0] == 7,
               "Three plain 3×3 layers reach only 7 pixels: 1 + 2 + 2 + 2. Dilate them."),
              (lambda layers: _measured(layers).shape[0] != 17,
               "The field is 1 + 2·(d1 + d2 + d3) wide: choose dilations that sum to 8."),
              (lambda layers: not _measured(layers).all(),
               "17 wide, but with holes (the gridding effect): when all dilations share a "
               "factor, the taps never reach the pixels in between. Start with dilation 1.")],
    hints=["Each 3×3 layer with dilation d adds 2·d to the field: 1 + 2·(d1 + d2 + d3) = 17.",
           "Dilations that sum to 8 and leave no holes: start with 1, then 2."],
    solution="[keras.layers.Conv2D(4, 3, dilation_rate=d) for d in (1, 2, 5)]: field "
             "1 + 2·(1 + 2 + 5) = 17; 1 and 2 fill 0–6, then steps of 5 fill 0–16. "
             "(1, 3, 4) works too; (2, 2, 4) is 17 wide but reads only even offsets.",
)

why_gridding = ChoiceQuestion(
    "Why does a stack of three 3×3 layers with dilation 2, 2, 2 leave holes in its "
    "receptive field? Answer with a letter.\n"
    "  a) Every tap moves in steps of 2, so sums of steps of 2 are even: odd offsets are "
    "never reached.\n"
    "  b) There is no padding, so the border pixels are lost.\n"
    "  c) A 3×3 kernel is too small to cover a 13-pixel field.\n"
    "  d) Dilation removes weights from the kernel.",
    "a",
    options=["a", "b", "c", "d"],
    mistakes={"b": "Padding decides the output size, not which input pixels one output reads: "
                   "the holes are inside the field.",
              "c": "Dilations 1, 2, 4 cover a 15-pixel field with the same 3×3 kernels and no "
                   "holes.",
              "d": "A dilated kernel keeps all its weights; it spreads them apart."},
    hints=["Along one axis, which offsets can 0, 2, 4 + 0, 2, 4 + 0, 2, 4 reach?"],
    solution="a) Offsets 0, 2, …, 12 only: one pixel in two along each axis, one in four in 2-D.",
)
