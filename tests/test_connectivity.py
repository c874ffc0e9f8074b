"""cnnlab.diagrams.connectivity: what the pictures draw, read back from their artists and
compared with the weights Keras gives the same layers."""

import matplotlib.colors as mcolors
import numpy as np
import pytest
import tf_oracle

from cnnlab import figures
from cnnlab.diagrams import connectivity

keras = tf_oracle.tf.keras


def weights(layer, input_shape):
    """Keras' count of a layer's weights, biases left out."""
    layer.build(input_shape)
    return int(np.prod(layer.kernel.shape))


def coloured(ax):
    """The lines drawn in colour (the grey ones are the other outputs' connections)."""
    return [line for line in ax.lines if len(set(mcolors.to_rgb(line.get_color()))) > 1]


@pytest.mark.parametrize("size,kernel", [(5, 3), (4, 2), (6, 1)])
def test_dense_panel_has_one_line_per_keras_weight(size, kernel):
    out = size - kernel + 1
    fig = connectivity.dense_vs_local(size=size, kernel=kernel)
    dense_ax, conv_ax = fig.axes
    dense_weights = weights(keras.layers.Dense(out * out), (None, size * size))
    assert len(dense_ax.lines) == dense_weights
    assert f"{dense_weights} weights" in dense_ax.get_title()
    # one output in colour: one line per input, each weight its own colour
    own = coloured(dense_ax)
    assert len(own) == size * size
    assert len({line.get_color() for line in own}) == size * size


@pytest.mark.parametrize("size,kernel", [(5, 3), (4, 2)])
def test_conv_panel_shares_keras_kernel_weights_at_every_position(size, kernel):
    out = size - kernel + 1
    conv_ax = connectivity.dense_vs_local(size=size, kernel=kernel).axes[1]
    shared = weights(keras.layers.Conv2D(1, kernel), (None, size, size, 1))
    assert len(conv_ax.lines) == out * out * shared         # each output reads one window
    drawn = coloured(conv_ax)
    assert len(drawn) == 2 * shared                         # two outputs drawn in colour …
    colours = [mcolors.to_hex(line.get_color()) for line in drawn]
    assert colours[:shared] == colours[shared:]             # … with the same weights
    assert len(set(colours)) == shared
    assert f"the same {shared} weights" in conv_ax.get_title()


def test_channels_and_filters_title_is_the_keras_kernel_shape():
    fig = connectivity.channels_and_filters(filters=3)
    layer = keras.layers.Conv2D(3, 3)
    layer.build((None, 8, 8, 3))
    shape = tuple(layer.kernel.shape)
    assert fig.axes[0].get_title() == f"kernel shape (kh, kw, C_in, C_out) = {shape}"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert [t for t in texts if t.startswith("map")] == ["map 1", "map 2", "map 3"]
    assert "3 filter(s) give 3 map(s)" in figures.description_of(fig)


def test_diagrams_are_described_and_name_bad_arguments():
    assert "shared by all outputs" in figures.description_of(connectivity.dense_vs_local())
    with pytest.raises(ValueError, match="size must be at most 8"):
        connectivity.dense_vs_local(size=9)
    with pytest.raises(ValueError, match=r"kernel must be at most size \(4\), got 5"):
        connectivity.dense_vs_local(size=4, kernel=5)
    with pytest.raises(ValueError, match="filters must be 1–4"):
        connectivity.channels_and_filters(filters=5)
    with pytest.raises(ValueError, match="channels must be 1–3"):
        connectivity.channels_and_filters(channels=4)


def test_the_rgb_explorer_shows_tensorflows_numbers_slice_by_slice():
    """Notebook 02's explorer of a 3×3×3 kernel: each step's three channel sums are the
    per-channel maps of tf.nn.conv2d, and the output cell is their sum, as TF computes it."""
    from cnnlab import images, kernels
    from cnnlab.widgets import ConvolutionExplorer

    crop = images.resize(images.sample("coffee"), (100, 150))[26:34, 40:48]
    kernel = np.stack([kernels.get("sobel_x"), kernels.get("sobel_y"), kernels.get("laplacian")],
                      axis=-1)
    t = ConvolutionExplorer(crop, kernel).trace
    x = crop[None].astype(np.float32)
    whole = tf_oracle.conv2d(x, kernel[..., None], (1, 1), "valid", (1, 1))[0, ..., 0]
    per_channel = [tf_oracle.conv2d(x[..., c:c + 1], kernel[:, :, c:c + 1, None], (1, 1),
                                    "valid", (1, 1))[0, ..., 0] for c in range(3)]
    np.testing.assert_allclose(t.output, whole, rtol=1e-5, atol=1e-3)
    for c in range(3):
        np.testing.assert_allclose(t.channel_sums[:, c], per_channel[c].ravel(), atol=1e-3)
