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


# ----------------------------------------------------------------------------- steps

from cnnlab import trace  # noqa: E402


def _highlighted(frame, renderer, panel):
    """Bounding box (rows, cols in cells) of highlight-coloured pixels inside a panel."""
    pixels = np.asarray(frame)
    ox, oy = renderer.origin[panel]
    cell = renderer.in_cell if panel == "input" else renderer.out_cell
    hit = np.all(pixels == renderer.style.highlight, axis=-1)
    ys, xs = np.nonzero(hit)
    keep = (xs >= ox - 10) & (ys >= oy - 10)
    if panel == "input":
        keep &= xs < renderer.origin["kernel" if "kernel" in renderer.origin else "window"][0]
    else:
        keep &= xs >= ox - 10
    ys, xs = ys[keep], xs[keep]
    centre = ((ys.min() + ys.max()) / 2 - oy) / cell, ((xs.min() + xs.max()) / 2 - ox) / cell
    return centre


@pytest.mark.parametrize("stride, padding, dilation", [(1, 1, 1), (2, "same", 1), (1, 0, 2)])
def test_window_and_output_highlights_sit_on_the_traced_cells(stride, padding, dilation):
    t = trace.conv2d(np.arange(64).reshape(8, 8), np.ones((3, 3)), stride=stride,
                          padding=padding, dilation=dilation)
    renderer = render.Renderer(t, render.STYLES["default"])
    for step in (0, t.n_steps // 2, t.n_steps - 1):
        frame = renderer.draw(step)
        assert frame.size == renderer.size
        record = t.record(step)
        in_centre = _highlighted(frame, renderer, "input")
        expected = ((record.rows[0] + record.rows[-1] + 1) / 2,
                    (record.cols[0] + record.cols[-1] + 1) / 2)
        np.testing.assert_allclose(in_centre, expected, atol=0.2)
        out_centre = _highlighted(frame, renderer, "output")
        np.testing.assert_allclose(out_centre, np.add(record.cell, 0.5), atol=0.2)


def test_output_fills_up_cell_by_cell_and_padding_is_grey():
    t = trace.conv2d(np.arange(16).reshape(4, 4), np.ones((2, 2)), padding=1)
    renderer = render.Renderer(t, render.STYLES["default"])
    style, cell = renderer.style, renderer.out_cell
    ox, oy = renderer.origin["output"]
    empty = np.array(style.empty_fill)
    frame = np.asarray(renderer.draw(6))
    for step in range(t.n_steps):
        i, j = divmod(step, t.out_shape[1])
        corner = frame[oy + i * cell + 3, ox + j * cell + 3]   # inside the cell, off the text
        assert (corner == empty).all() == (step > 6), step
    ix, iy = renderer.origin["input"]
    padding_pixel = np.asarray(renderer.draw(0))[iy + 3, ix + renderer.in_cell * 3 + 3]
    np.testing.assert_array_equal(padding_pixel, style.padding_fill)


def test_large_grids_use_colour_and_lecture_style_is_larger():
    big = trace.conv2d(np.zeros((40, 40, 3)), np.ones((3, 3, 3)))
    renderer = render.Renderer(big, render.STYLES["default"])
    assert not renderer.numbers and renderer.in_cell * 40 <= render.STYLES["default"].max_grid
    small = trace.conv2d(np.zeros((5, 5)), np.ones((3, 3)))
    assert render.Renderer(small, render.STYLES["default"]).numbers
    lecture = render.Renderer(small, render.STYLES["lecture"]).size
    default = render.Renderer(small, render.STYLES["default"]).size
    assert lecture[0] > default[0] and lecture[1] > default[1]


def test_frames_are_reproducible_png_bytes():
    t = trace.pool2d(np.arange(36).reshape(6, 6), 3, mode="avg")
    first = render.png_bytes(render.Renderer(t, render.STYLES["default"]).draw(2))
    again = render.png_bytes(render.Renderer(t, render.STYLES["default"]).draw(2))
    assert first == again and first.startswith(b"\x89PNG")


def test_pooling_of_several_channels_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="one channel at a time"):
        render.Renderer(trace.pool2d(np.zeros((4, 4, 3)), 2))


@pytest.mark.parametrize("image,colour", [
    (np.full((4, 4, 3), 1, np.uint8), (1, 1, 1)),          # uint8 1 is nearly black, not 255
    (np.full((4, 4, 3), 0.5), (128, 128, 128)),            # 0.0–1.0 floats: 0.5 → 128
    (np.full((4, 4, 3), (200, 0, 30), np.uint8), (200, 0, 30)),
])
def test_rgb_input_cells_take_the_image_colours(image, colour):
    renderer = render.Renderer(trace.conv2d(image, np.ones((1, 1, 3))))
    cell = renderer.in_cell
    panel = np.asarray(renderer._input_panel())
    assert tuple(panel[cell // 2, cell // 2]) == colour


def test_rgb_input_outside_the_pixel_ranges_is_refused_with_the_rule():
    with pytest.raises(ValueError, match=r"float image values must lie in 0\.0–1\.0"):
        render.Renderer(trace.conv2d(np.full((4, 4, 3), 200.0), np.ones((1, 1, 3))))
