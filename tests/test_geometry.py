"""cnnlab.diagrams.geometry: footprints and receptive fields against TensorFlow's gradient."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

from cnnlab import ops
from cnnlab.diagrams import geometry
from cnnlab.figures import description_of

# (stack as ops/geometry write it, the same stack as Keras layers)
STACKS = [
    ([3, 3], lambda L: [L.Conv2D(2, 3), L.Conv2D(1, 3)]),
    ([(3, 1, 2)] * 3, lambda L: [L.Conv2D(1, 3, dilation_rate=2) for _ in range(3)]),
    ([(3, 1, 1), (3, 1, 2), (3, 1, 4)],
     lambda L: [L.Conv2D(1, 3, dilation_rate=d) for d in (1, 2, 4)]),
    ([3, (2, 2), 3], lambda L: [L.Conv2D(3, 3, activation="relu"), L.MaxPooling2D(2),
                                L.Conv2D(1, 3)]),
    ([(5, 2), (3, 2), (2, 2)], lambda L: [L.Conv2D(1, 5, strides=2), L.Conv2D(1, 3, strides=2),
                                          L.AveragePooling2D(2)]),
]


@pytest.fixture(scope="module")
def layers():
    from cnnlab import import_keras

    return import_keras().layers


@pytest.mark.parametrize("stack, build", STACKS)
def test_footprint_is_what_tensorflow_gradient_reaches(layers, stack, build):
    measured = geometry.measured_footprint(build(layers))
    assert measured.shape[0] == ops.receptive_field(stack)
    np.testing.assert_array_equal(geometry.footprint(stack), measured)


def test_measured_footprint_refuses_a_field_wider_than_the_input(layers):
    with pytest.raises(ValueError, match="reaches the border of the 9×9 input"):
        geometry.measured_footprint([layers.Conv2D(1, 3, dilation_rate=4)], size=9)
    with pytest.raises(ValueError, match="at least one layer"):
        geometry.measured_footprint([])


def test_footprint_rejects_a_bad_layer():
    with pytest.raises(ValueError, match=r"layers\[0\]"):
        geometry.footprint([(3, 1, 1, 1)])
    with pytest.raises(TypeError, match="layers must be a list"):
        geometry.footprint("3x3")


def _panel_colours(ax):
    image = ax.images[0]
    values = np.unique(image.get_array())
    return {mcolors.to_hex(image.cmap(image.norm(v))) for v in values}


def test_footprints_share_colours_and_a_legend():
    fig = geometry.plot_footprints({"2, 2, 2": [(3, 1, 2)] * 3,
                                    "1, 2, 4": [(3, 1, 1), (3, 1, 2), (3, 1, 4)]})
    gridded, mixed = fig.axes
    read, unread = geometry.READ_COLOUR.lower(), geometry.UNREAD_COLOUR.lower()
    assert {read, unread} <= _panel_colours(gridded)
    # full coverage is drawn in the "read" colour, never in the "never read" one
    assert read in _panel_colours(mixed) and unread not in _panel_colours(mixed)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["read by the output", "inside the field, never read"]
    assert "49 of 169 pixels read" in description_of(fig)
    assert "225 of 225 pixels read" in description_of(fig)


def test_receptive_field_picture_rows_grow_like_the_rule():
    stack = [3, 3, (2, 2), 3]
    fig = geometry.plot_receptive_field(stack, ["conv", "conv", "pool", "conv"])
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    fields = [ops.receptive_field(stack[:n]) for n in range(1, len(stack) + 1)]
    assert labels == ["input"] + [f"{name} (field {f})"
                                  for name, f in zip(["conv", "conv", "pool", "conv"], fields,
                                                     strict=True)]
    blue = [p for p in ax.patches
            if mcolors.to_hex(p.get_facecolor()) == geometry.READ_COLOUR.lower()]
    top = max(p.get_y() for p in blue)
    assert sum(p.get_y() == top for p in blue) == 1          # one output on top
    assert "reads 10 input pixels" in description_of(fig)
    with pytest.raises(ValueError, match="one entry per layer"):
        geometry.plot_receptive_field(stack, ["conv"])
