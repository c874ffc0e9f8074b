"""Each named kernel responds to the pattern its docstring names (TensorFlow convolves)."""

import numpy as np
import pytest
import tf_oracle

from cnnlab import kernels


def tf_response(image, name):
    k = kernels.get(name)[:, :, None, None]
    return tf_oracle.conv2d(image[None, :, :, None], k, (1, 1), "valid", (1, 1))[0, :, :, 0]


def vertical_edge():  # dark left half, bright right half
    return np.repeat([[0.0] * 4 + [1.0] * 4], 8, axis=0)


def test_names_and_descriptions():
    assert kernels.names() == ["identity", "box_blur", "gaussian", "sharpen", "sobel_x",
                               "sobel_y", "laplacian", "emboss", "outline"]
    for name in kernels.names():
        assert kernels.get(name).ndim == 2
        assert len(kernels.describe(name)) > 20


def test_sobel_x_finds_vertical_edges_only():
    image = vertical_edge()
    assert tf_response(image, "sobel_x").max() == 4
    assert np.all(tf_response(image, "sobel_y") == 0)
    assert np.all(tf_response(image.T, "sobel_x") == 0)
    assert tf_response(image.T, "sobel_y").max() == 4


@pytest.mark.parametrize("name", ["laplacian", "outline", "sobel_x", "sobel_y"])
def test_edge_kernels_are_zero_on_flat_areas(name):
    np.testing.assert_allclose(tf_response(np.full((6, 6), 0.7), name), 0, atol=1e-5)


@pytest.mark.parametrize("name", ["identity", "box_blur", "gaussian", "sharpen"])
def test_brightness_preserving_kernels_keep_flat_areas(name):
    np.testing.assert_allclose(tf_response(np.full((6, 6), 0.7), name), 0.7, rtol=1e-6)


def test_identity_copies_and_blur_averages():
    image = np.random.default_rng(1).uniform(0, 1, (7, 7))
    np.testing.assert_allclose(tf_response(image, "identity"), image[1:-1, 1:-1], rtol=1e-6)
    np.testing.assert_allclose(tf_response(image, "box_blur")[0, 0], image[:3, :3].mean(),
                               rtol=1e-6)


def test_laplacian_is_zero_on_a_ramp_and_large_on_a_spot():
    ramp = np.tile(np.arange(6.0), (6, 1))
    assert np.all(np.abs(tf_response(ramp, "laplacian")) < 1e-5)
    spot = np.zeros((5, 5))
    spot[2, 2] = 1
    assert abs(tf_response(spot, "laplacian")[1, 1]) == 4


def test_gaussian_is_normalised_symmetric_and_peaked():
    g = kernels.get("gaussian", size=5, sigma=1.5)
    assert g.sum() == pytest.approx(1)
    np.testing.assert_allclose(g, g.T)
    np.testing.assert_allclose(g, g[::-1, ::-1])
    assert g.argmax() == 12


def test_emboss_lights_edges_rising_to_the_bottom_right():
    rising = np.tril(np.ones((6, 6)), k=-1)[:, ::-1]  # bright bottom-right triangle
    assert tf_response(rising, "emboss").max() > tf_response(rising[::-1, ::-1], "emboss").max()


@pytest.mark.parametrize("call,error", [
    (lambda: kernels.get("blur"), ValueError),
    (lambda: kernels.get("box_blur", size=0), ValueError),
    (lambda: kernels.get("gaussian", sigma=0), ValueError),
    (lambda: kernels.describe(3), ValueError),
])
def test_bad_names_and_options(call, error):
    with pytest.raises(error, match="must"):
        call()
