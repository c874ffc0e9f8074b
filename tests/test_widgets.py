"""Explorers: driven step by step from Python, checked against cnnlab.ops.

These tests also run under ipywidgets 7.7.1 (Google Colab's version): see
tests/test_widgets_ipywidgets7.py.
"""

import re

import numpy as np
import pytest
from PIL import Image

from cnnlab import kernels, ops
from cnnlab.widgets import ChannelExplorer, ConvolutionExplorer, PoolingExplorer

RNG = np.random.default_rng(7)
GRAY = RNG.integers(0, 256, (7, 6)).astype(np.uint8)
RGB = RNG.integers(0, 256, (6, 5, 3)).astype(np.uint8)


def _picture(explorer) -> Image.Image:
    return explorer._shown_frame()


def _drive(explorer, expected):
    """Every step: the shown output holds exactly the cells computed so far."""
    flat = expected.reshape(explorer.n_steps)
    seen = set()
    for step in range(explorer.n_steps):
        explorer.step = step
        assert explorer.step == step
        shown = explorer.shown_output.reshape(-1)
        np.testing.assert_array_equal(shown[: step + 1], flat[: step + 1])
        assert np.isnan(shown[step + 1:]).all()
        seen.add(explorer._picture.value)
    assert len(seen) == explorer.n_steps, "every step shows a different picture"


@pytest.mark.parametrize("image, kernel, kwargs", [
    (GRAY, "sobel_x", dict(padding=1)),
    (GRAY, "box_blur", dict(stride=2, padding="same")),
    (GRAY, np.arange(9.0).reshape(3, 3) - 4, dict(dilation=2)),
    (RGB, RNG.integers(-2, 3, (3, 3, 3)).astype(float), dict(padding="same")),
])
def test_convolution_explorer_shows_ops_conv2d_at_every_step(image, kernel, kwargs):
    explorer = ConvolutionExplorer(image, kernel, **kwargs)
    weights = kernels.get(kernel) if isinstance(kernel, str) else kernel
    if image.ndim == 3 and weights.ndim == 2:
        weights = np.stack([weights] * 3, axis=-1)
    expected = ops.conv2d(image, weights, **kwargs)
    assert explorer.n_steps == expected.size
    _drive(explorer, expected)
    assert explorer.message == ""


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize("kwargs", [dict(size=2), dict(size=3, stride=1, padding="same")])
def test_pooling_explorer_shows_ops_pool2d_at_every_step(mode, kwargs):
    explorer = PoolingExplorer(GRAY, mode=mode, **kwargs)
    _drive(explorer, ops.pool2d(GRAY, mode=mode, **kwargs))


def test_pooling_explorer_pools_the_chosen_channel_of_rgb():
    explorer = PoolingExplorer(RGB, 2, mode="max", channel=2)
    _drive(explorer, ops.pool2d(RGB, 2)[..., 2])
    explorer._channel_menu.value = 0
    _drive(explorer, ops.pool2d(RGB, 2)[..., 0])


def test_controls_rebuild_the_animation():
    explorer = ConvolutionExplorer(GRAY, "sobel_x")
    explorer.step = 10
    explorer._padding.value = "same"
    explorer._stride.value = 2
    assert explorer.n_steps == ops.output_size(7, 3, stride=2, padding="same") * \
        ops.output_size(6, 3, stride=2, padding="same")
    assert explorer._slider.max == explorer.n_steps - 1
    assert explorer.step <= explorer.n_steps - 1
    _drive(explorer, ops.conv2d(GRAY, kernels.sobel_x(), stride=2, padding="same"))
    explorer._kernel_menu.value = "laplacian"
    np.testing.assert_array_equal(explorer.trace.kernel[..., 0], kernels.laplacian())
    assert "Edges" in explorer._kernel_info.value
    explorer._kernel_edit.value = "1 2\n3 4"
    assert explorer._kernel_menu.value == "custom"
    np.testing.assert_array_equal(explorer.trace.kernel[..., 0], [[1, 2], [3, 4]])
    assert "floor((7 + 0 + 1 − 2) / 2) + 1 = 4" in explorer._formula.value


def test_invalid_settings_show_a_message_and_keep_the_last_valid_state():
    explorer = ConvolutionExplorer(np.arange(16).reshape(4, 4), "sobel_x")
    explorer.step = 2
    before = explorer.trace
    explorer._dilation.value = 3          # 7-wide footprint on a 4×4 image
    assert "does not fit" in explorer.message and "last valid" in explorer.message
    assert explorer.trace is before and explorer.n_steps == 4
    explorer.step = 3                     # still works
    assert "⚠" in explorer._message.value
    explorer._dilation.value = 1          # back to valid: message cleared
    assert explorer.message == ""
    explorer._kernel_edit.value = "1 2\n3 x"
    assert "numbers only" in explorer.message
    explorer._kernel_edit.value = "1 2 3\n4 5"
    assert "same number of values" in explorer.message
    assert explorer.trace.window == (3, 3)
    rgb = ConvolutionExplorer(RGB, "identity")
    rgb._kernel_edit.value = "1 0\n0 1\n\n1 1\n1 1"       # 2 channels for a 3-channel image
    assert "channel" in rgb.message and rgb.trace.window == (3, 3)
    pool = PoolingExplorer(np.zeros((3, 3)), 2)
    pool._size.value = 4
    assert "does not fit" in pool.message and pool.n_steps == 1


def test_step_setter_validates():
    explorer = PoolingExplorer(GRAY, 2)
    with pytest.raises(ValueError, match="step must lie in 0–8"):
        explorer.step = 9
    with pytest.raises(TypeError, match="step"):
        explorer.step = 1.5


def test_large_photos_are_downscaled_with_a_note():
    photo = RNG.integers(0, 256, (120, 90, 3)).astype(np.uint8)
    explorer = ConvolutionExplorer(photo, "gaussian")
    assert explorer.image.shape == (32, 24, 3)
    assert "downscaled to 32×24" in explorer._note.value
    full = ConvolutionExplorer(photo[:40, :40], "gaussian", max_side=None)
    assert full.image.shape == (40, 40, 3) and full._note.value == ""
    # the still's caption and text/plain say so too, not only the live note (issue 14)
    for small, kept in ((explorer, full), (ChannelExplorer(photo), ChannelExplorer(photo[:9, :9]))):
        assert "downscaled from 120×90" in small._repr_mimebundle_()["text/plain"]
        assert "downscaled from 120×90" in small.static_html()
        assert "downscaled" not in repr(kept)


def test_channel_explorer_starts_from_the_given_scales():
    explorer = ChannelExplorer(RGB, scales=(1, 0.5, 0))
    assert [s.value for s in explorer._scale_sliders] == [1.0, 0.5, 0.0]
    expected = np.round(RGB * np.array([1.0, 0.5, 0.0])).astype(np.uint8)
    np.testing.assert_array_equal(explorer.mixed, expected)
    assert "mix R·1.00 + G·0.50 + B·0.00" in repr(explorer)
    explorer._scale_sliders[2].value = 1.0         # the slider still drives the mix
    assert explorer.scales == (1.0, 0.5, 1.0)
    with pytest.raises(ValueError, match=r"scales must be three numbers in 0–1.*\(1, 2\)"):
        ChannelExplorer(RGB, scales=(1, 2))


def test_channel_explorer_picks_pixels_and_mixes_channels():
    explorer = ChannelExplorer(RGB)
    assert explorer.n_steps == 30
    sizes = set()
    for step in range(explorer.n_steps):
        explorer.step = step
        assert explorer.pixel == divmod(step, 5)
        sizes.add(_picture(explorer).size)
    assert len(sizes) == 1
    explorer._scale_sliders[1].value = 0.5
    np.testing.assert_array_equal(explorer.mixed[..., 1], np.round(RGB[..., 1] * 0.5))
    np.testing.assert_array_equal(explorer.mixed[..., 0], RGB[..., 0])


def test_html_export_is_self_contained(tmp_path):
    explorer = ConvolutionExplorer(GRAY[:4, :4], "sobel_x", padding=1)
    page = explorer.to_html(tmp_path / "explorer.html")
    assert (tmp_path / "explorer.html").read_text(encoding="utf-8") == page
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)
    assert "http://" not in page and "https://" not in page
    assert page.count("data:image/png;base64,") == explorer.n_steps + 1   # + the first <img>
    static = explorer.static_html()
    assert "data:image/gif;base64," in static and "http" not in static


def test_gif_has_one_frame_per_step(tmp_path):
    explorer = PoolingExplorer(GRAY, 2, padding="same")
    path = explorer.to_gif(tmp_path / "pool.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == explorer.n_steps
        gif.seek(explorer.n_steps - 1)
        last = np.asarray(gif.convert("RGB")).astype(int)
    expected = np.asarray(explorer.frame(explorer.n_steps - 1)).astype(int)
    assert last.shape == expected.shape
    assert np.abs(last - expected).mean() < 3      # 255-colour palette, no dithering


def test_display_bundle_and_static_view_are_deterministic():
    first = ConvolutionExplorer(GRAY, "sharpen", stride=2)._repr_mimebundle_()
    second = ConvolutionExplorer(GRAY, "sharpen", stride=2)._repr_mimebundle_()
    view = first["application/vnd.jupyter.widget-view+json"]
    assert view["version_major"] == 2 and view["model_id"]
    assert first["text/html"] == second["text/html"]
    assert first["text/plain"] == second["text/plain"]
    assert "ConvolutionExplorer(image 7×6" in first["text/plain"]
