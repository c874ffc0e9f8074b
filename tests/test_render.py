"""render: pictures of arrays and of trace steps (sizes, colours, highlight positions)."""

import numpy as np
import pytest
from matplotlib import colormaps

from cnnlab import render


def test_array_image_size_and_nearest_neighbour_squares():
    array = np.arange(6.0).reshape(2, 3)
    image = render.array_image(array, scale=5)
    assert image.size == (15, 10) and image.mode == "RGB"
    pixels = np.asarray(image)
    # each value is one flat 5x5 square
    for i in range(2):
        for j in range(3):
            block = pixels[5 * i:5 * i + 5, 5 * j:5 * j + 5].reshape(-1, 3)
            assert (block == block[0]).all()


def test_array_image_colours_match_matplotlib_viridis():
    image = np.asarray(render.array_image(np.array([[0.0, 1.0]]), scale=1))
    expected = np.round(np.array(colormaps["viridis"]([0.0, 1.0]))[:, :3] * 255)
    np.testing.assert_array_equal(image[0], expected)


def test_array_image_auto_is_diverging_and_centred_for_signed_data():
    image = np.asarray(render.array_image(np.array([[-2.0, 0.0, 1.0]]), cmap="auto", scale=1))
    rdbu = colormaps["RdBu_r"]
    np.testing.assert_array_equal(image[0, 0], np.round(np.array(rdbu(0.0))[:3] * 255))
    # 0 maps to the middle of the map, 1 to three quarters (range is -2..2)
    np.testing.assert_array_equal(image[0, 1], np.round(np.array(rdbu(0.5))[:3] * 255))
    np.testing.assert_array_equal(image[0, 2], np.round(np.array(rdbu(0.75))[:3] * 255))


def test_array_image_default_scale_and_vmin_vmax():
    image = render.array_image(np.zeros((8, 4)))
    assert image.size == (4 * 32, 8 * 32)
    clipped = np.asarray(render.array_image(np.array([[5.0]]), vmin=0, vmax=1, scale=1))
    np.testing.assert_array_equal(clipped[0, 0], [253, 231, 37])   # clipped to the top


@pytest.mark.parametrize("bad, error", [
    (np.zeros((2, 2, 2)), ValueError), ("abc", TypeError), (np.zeros((0, 3)), ValueError),
])
def test_array_image_rejects_bad_arrays(bad, error):
    with pytest.raises(error, match="array2d"):
        render.array_image(bad)


def test_array_image_rejects_bad_cmap_and_scale():
    with pytest.raises(ValueError, match="cmap"):
        render.array_image(np.zeros((2, 2)), cmap="no-such-map")
    with pytest.raises(ValueError, match="scale"):
        render.array_image(np.zeros((2, 2)), scale=0)


def test_set_style_switches_and_rejects_unknown():
    try:
        render.set_style("lecture")
        assert render.get_style().font > render.STYLES["default"].font
    finally:
        render.set_style("default")
    with pytest.raises(ValueError, match="style"):
        render.set_style("huge")
