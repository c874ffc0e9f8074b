"""Sample photos and conversions; Pillow and TensorFlow serve as oracles."""

import numpy as np
import pytest
import tf_oracle
from PIL import Image

from cnnlab import images

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("name", images.sample_names())
def test_samples_are_uint8_rgb(name):
    photo = images.sample(name)
    assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3
    assert photo.shape[0] >= 256 and photo.std() > 10


def test_grayscale_matches_tensorflow_and_pillow():
    rgb = RNG.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    tf_gray = tf_oracle.tf.image.rgb_to_grayscale(rgb.astype(np.float32)).numpy()[..., 0]
    pil_gray = np.asarray(Image.fromarray(rgb).convert("L"))
    ours = images.to_grayscale(rgb).astype(int)
    assert np.abs(ours - tf_gray).max() <= 1  # TF weighs 0.2989 R where we weigh 0.299
    assert np.abs(ours - pil_gray.astype(int)).max() <= 1


def test_resize_box_equals_tensorflow_area_downscale():
    rgb = RNG.integers(0, 256, (16, 24, 3), dtype=np.uint8)
    tf_small = tf_oracle.tf.image.resize(rgb.astype(np.float32), (8, 12), method="area").numpy()
    assert np.abs(images.resize(rgb, (8, 12)).astype(float) - tf_small).max() <= 1  # rounding



@pytest.mark.parametrize("shape,max_side,small", [
    ((16, 24), 12, (8, 12)), ((12, 36, 2), 9, (3, 9)), ((30, 10, 3), 15, (15, 5)),
])
def test_downscale_keeps_any_values_and_equals_tensorflow_area(shape, max_side, small):
    signed = RNG.normal(0, 300, shape)                 # not pixels: negative, above 255
    expected = tf_oracle.tf.image.resize(signed.reshape(*shape[:2], -1), small,
                                         method="area").numpy().reshape(*small, *shape[2:])
    np.testing.assert_allclose(images.downscale(signed, max_side), expected, atol=1e-3)
    integers = RNG.integers(-500, 500, shape)
    rounded = images.downscale(integers, max_side)
    assert rounded.dtype == integers.dtype
    area = tf_oracle.tf.image.resize(integers.reshape(*shape[:2], -1).astype(np.float64),
                                     small, method="area").numpy().reshape(rounded.shape)
    assert np.abs(rounded - area).max() <= 0.5 + 1e-6


def test_downscale_leaves_a_small_array_alone_and_names_bad_arguments():
    array = np.arange(6).reshape(2, 3)
    assert images.downscale(array, 3) is array
    with pytest.raises(ValueError, match="max_side must be an integer >= 1, got 0"):
        images.downscale(array, 0)
    with pytest.raises(ValueError, match=r"array must be \(H, W\) or \(H, W, C\)"):
        images.downscale(np.zeros(4), 2)

@pytest.mark.parametrize("array,expected_shape", [
    (np.zeros((4, 5), np.uint8), (4, 5, 3)),
    (np.zeros((4, 5, 1), np.uint8), (4, 5, 3)),
    (np.zeros((4, 5, 3), np.uint8), (4, 5, 3)),
    (np.zeros((4, 5, 4), np.uint8), (4, 5, 3)),
    (np.zeros((4, 5), bool), (4, 5, 3)),
    (np.ones((4, 5, 3), np.float32), (4, 5, 3)),
])
def test_as_rgb_accepts_every_layout(array, expected_shape):
    assert images.as_rgb(array).shape == expected_shape


def test_as_rgb_reads_paths_and_pil_images(tmp_path):
    rgba = RNG.integers(0, 256, (6, 7, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    path = tmp_path / "photo.png"
    Image.fromarray(rgba).save(path)
    np.testing.assert_array_equal(images.as_rgb(path), rgba[..., :3])
    np.testing.assert_array_equal(images.as_rgb(str(path)), rgba[..., :3])
    np.testing.assert_array_equal(images.as_rgb(Image.fromarray(rgba[..., :3])), rgba[..., :3])


def test_alpha_is_composited_on_white_like_pillow():
    rgba = RNG.integers(0, 256, (5, 5, 4), dtype=np.uint8)
    white = Image.new("RGBA", (5, 5), (255, 255, 255, 255))
    expected = np.asarray(Image.alpha_composite(white, Image.fromarray(rgba)).convert("RGB"))
    assert np.abs(images.as_rgb(rgba).astype(int) - expected).max() <= 1


def test_channels_and_float():
    rgb = RNG.integers(0, 256, (3, 4, 3), dtype=np.uint8)
    r, g, b = images.split_channels(rgb)
    np.testing.assert_array_equal(np.stack([r, g, b], -1), rgb)
    np.testing.assert_allclose(images.to_float(rgb), rgb / 255, rtol=1e-6)


@pytest.mark.parametrize("bad,error,words", [
    (np.zeros((4, 5, 2), np.uint8), ValueError, ["(H, W, 3)", "(4, 5, 2)"]),
    (np.zeros((2, 4, 5, 3), np.uint8), ValueError, ["shape"]),
    (np.full((2, 2), 300), ValueError, ["0–255", "300"]),
    (np.full((2, 2), -1.0), ValueError, ["0.0–1.0"]),
    (np.full((2, 2), 2.0), ValueError, ["0.0–1.0", "astype(np.uint8)"]),
    (np.array([["a"]]), TypeError, ["numbers"]),
    ([[1, 2], [3, 4]], TypeError, ["numpy array", "list"]),
    (42, TypeError, ["int"]),
    ("/no/such/photo.png", FileNotFoundError, ["not a file"]),
    (np.zeros((0, 3)), ValueError, ["empty"]),
])
def test_bad_images_are_refused_with_a_reason(bad, error, words):
    with pytest.raises(error) as caught:
        images.as_rgb(bad)
    for word in words:
        assert word in str(caught.value)


def test_bad_sample_and_resize_arguments():
    with pytest.raises(ValueError, match="'cat'"):
        images.sample("dog")
    with pytest.raises(ValueError, match="size"):
        images.resize(np.zeros((4, 4)), (0, 2))
    with pytest.raises(ValueError, match="resample"):
        images.resize(np.zeros((4, 4)), (2, 2), resample="cubic")
