"""FeatureMapExplorer: shows the maps that Keras computes, for any Keras CNN (Sequential,
functional, a backbone nested in a transfer model) and any image it can take, reports bad
choices in its message area and keeps working, under ipywidgets 8 and 7.7.1 (Colab)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnnlab import import_keras, models, render
from cnnlab.widgets import FeatureMapExplorer

ROOT = Path(__file__).resolve().parent.parent


def feature_maps(model, image):
    """The maps straight from Keras: the model's own layers, no cnnlab code in between."""
    keras = import_keras()
    layers = [layer for layer in model.layers
              if isinstance(layer, (keras.layers.Conv2D, keras.layers.MaxPooling2D))]
    probe = keras.Model(model.inputs[0], [layer.output for layer in layers])
    batch = np.asarray(image, np.float32).reshape(1, *model.inputs[0].shape[1:])
    return {layer.name: np.asarray(out)[0]
            for layer, out in zip(layers, probe(batch), strict=True)}


@pytest.fixture(scope="module")
def model():
    """A small untrained simple_cnn with non-trivial weights (seeded)."""
    return models.simple_cnn((14, 14, 1), 3, filters=(4, 6), padding="valid", seed=3)


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(0).integers(0, 256, (14, 14), dtype=np.uint8)


def test_explorer_shows_the_chosen_map(model, image):
    explorer = FeatureMapExplorer(model, image)
    maps = feature_maps(model, image)
    assert (explorer.layer, explorer.channel, explorer.message) == ("conv1", 0, "")
    explorer._layer.value = "conv2"               # as a user picking from the dropdown
    explorer._channel.value = 5
    assert (explorer.layer, explorer.channel) == ("conv2", 5)
    np.testing.assert_array_equal(explorer.feature_map, maps["conv2"][..., 5])
    expected = render.array_image(maps["conv2"][..., 5], cmap="viridis", scale=224 // 4)
    assert explorer._picture.value == render.png_bytes(expected)
    assert "conv2: channel 5 of 6, 4×4" in explorer._info.value
    # conv1 has 4 channels: the channel is clamped and the slider's range follows
    explorer._layer.value = "conv1"
    assert (explorer.channel, explorer._channel.max) == (3, 3)
    assert explorer.message == ""


def test_explorer_reports_bad_choices_and_keeps_working(model, image):
    explorer = FeatureMapExplorer(model, image, layer="pool1", channel=2)
    explorer.show(channel=4)
    assert explorer.message == "channel must lie in 0–3 (layer pool1 has 4 channels), got 4"
    assert "channel must lie in 0–3" in explorer._message.value
    assert (explorer.layer, explorer.channel) == ("pool1", 2)
    explorer.show(layer="dense")
    assert explorer.message.startswith("layer must be one of 'conv1', 'pool1'")
    explorer.set_image(np.zeros((14, 14, 3)))             # colour for a gray model
    assert explorer.message.startswith("image must have 1 channel(s), like the model's "
                                       "input (14, 14, 1)")
    assert "got shape (14, 14, 3)" in explorer.message
    assert "still showing the previous image" in explorer.message
    explorer.set_image(np.zeros(14))
    assert "image must have 1 channel(s)" in explorer.message
    explorer.show(layer="pool2", channel=0)           # works again, message cleared
    assert (explorer.layer, explorer.message, explorer._message.value) == ("pool2", "", "")
    explorer.set_image(np.full((14, 14), 255, np.uint8))
    np.testing.assert_array_equal(
        explorer.feature_map,
        feature_maps(model, np.full((14, 14), 255))["pool2"][..., 0])


def test_explorer_displays_itself(model, image):
    import ipywidgets

    explorer = FeatureMapExplorer(model, image, channel=1)
    bundle, metadata = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == ("FeatureMapExplorer(layers conv1, pool1, conv2, pool2; "
                                    "showing conv1, channel 1)")
    alt = metadata["image/png"]["alt"]
    shown = explorer.feature_map
    assert alt.startswith(f"Feature map of layer conv1, channel 1: a {shown.shape[0]}×"
                          f"{shown.shape[1]} grid") and f"{shown.max():.3g}" in alt
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        explorer.widget.model_id
    assert isinstance(explorer.widget, ipywidgets.VBox)
    with pytest.raises(ValueError, match="layer must be one of"):
        FeatureMapExplorer(model, image, layer="output")


def test_explorer_on_colour_images():
    colour = models.simple_cnn((12, 12, 3), 2, filters=(2, 3))
    picture = np.random.default_rng(1).integers(0, 256, (12, 12, 3), dtype=np.uint8)
    picture[0, 0], picture[0, 1] = 0, 255                 # the full range, for the stretch
    explorer = FeatureMapExplorer(colour, picture, layer="conv2", channel=2)
    assert explorer.feature_map.shape == (6, 6)           # "same" padding
    shown = np.asarray(Image.open(io.BytesIO(explorer._input.value)))
    scale = 224 // 12                                     # each pixel a crisp square
    np.testing.assert_array_equal(shown, picture.repeat(scale, axis=0).repeat(scale, axis=1))
    explorer.set_image(picture / 255)                     # 0.0–1.0 floats: the same picture
    assert explorer.message == "" and explorer._input.value == render.png_bytes(
        Image.fromarray(shown))
    maps = feature_maps(colour, picture)
    explorer.set_image(picture.astype(float))             # 0–255 floats: what simple_cnn takes
    assert explorer.message == "" and explorer.note == ""
    assert explorer._input.value == render.png_bytes(Image.fromarray(shown))  # stretched
    np.testing.assert_allclose(explorer.feature_map, maps["conv2"][..., 2], rtol=1e-6)
    explorer.set_image(picture[..., 0])                   # gray for a colour model
    assert explorer.message.startswith("image must have 3 channel(s)")


def test_explorer_resizes_an_image_of_another_size_and_says_so(model, image):
    big = np.kron(image, np.ones((2, 2), np.uint8))        # each pixel → a 2×2 block
    big[::2, ::2] = np.clip(big[::2, ::2].astype(int) + 3, 0, 255)  # blocks not uniform
    explorer = FeatureMapExplorer(model, big, layer="conv2")
    assert explorer.note == "The image (28×28) was resized to 14×14, the size the model takes."
    assert explorer.note in explorer._note.value and explorer.message == ""
    # shrinking by 2 averages each 2×2 block (area resampling), rounded back to uint8
    expected = np.round(big.reshape(14, 2, 14, 2).mean(axis=(1, 3))).astype(np.uint8)
    assert explorer.image.dtype == np.uint8
    np.testing.assert_array_equal(explorer.image, expected)
    np.testing.assert_allclose(explorer.feature_map,
                               feature_maps(model, expected)["conv2"][..., 0], rtol=1e-6)
    explorer.set_image(image)                             # the right size: the note goes
    assert explorer.note == "" and explorer._note.value == ""


def test_explorer_on_functional_and_nested_models():
    """A transfer-style model: a functional backbone nested in a Sequential, float input."""
    keras = import_keras()
    layers = keras.layers
    inputs = keras.Input((10, 10, 3))
    x = layers.Conv2D(4, 3, activation="relu", name="conv_a")(inputs)
    x = layers.MaxPooling2D(name="pool_a")(x)
    backbone = keras.Model(inputs, layers.Conv2D(5, 3, name="conv_b")(x), name="backbone")
    transfer = keras.Sequential([keras.Input((10, 10, 3)), backbone,
                                 layers.GlobalAveragePooling2D(), layers.Dense(2)])
    picture = np.random.default_rng(2).uniform(-1, 1, (10, 10, 3)).astype(np.float32)
    expected = feature_maps(backbone, picture)             # Keras, on the backbone alone
    for model, prefix in ((backbone, ""), (transfer, "backbone/")):
        explorer = FeatureMapExplorer(model, picture, layer=f"{prefix}conv_b", channel=4)
        assert list(explorer.maps) == [f"{prefix}conv_a", f"{prefix}pool_a",
                                       f"{prefix}conv_b"]
        np.testing.assert_allclose(explorer.feature_map, expected["conv_b"][..., 4],
                                   rtol=1e-5, atol=1e-6)
        explorer.show(layer=f"{prefix}pool_a", channel=3)
        np.testing.assert_allclose(explorer.feature_map, expected["pool_a"][..., 3],
                                   rtol=1e-5, atol=1e-6)
        assert explorer.message == ""
    shown = np.asarray(Image.open(io.BytesIO(explorer._input.value)))
    scale = 224 // 10                                       # −1…1 drawn stretched
    stretched = np.round((picture - picture.min()) / (picture.max() - picture.min()) * 255)
    np.testing.assert_array_equal(
        shown, stretched.astype(np.uint8).repeat(scale, axis=0).repeat(scale, axis=1))


def test_explorer_refuses_what_is_not_a_cnn(image):
    with pytest.raises(TypeError, match="model must be a CNN"):
        FeatureMapExplorer(models.dense_classifier((14, 14), 2), image)
    with pytest.raises(TypeError, match="model must be a Keras model"):
        FeatureMapExplorer("model.keras", image)


@pytest.mark.slow   # a pip install, then these tests again with TensorFlow
def test_explorer_tests_pass_under_ipywidgets_7_7_1():
    """Colab runs ipywidgets 7.7.1: the explorer tests again in a subprocess with it."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_widgets_ipywidgets7 import TARGET, _install

    _install()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(TARGET), *filter(None, [os.environ.get("PYTHONPATH")])]))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-W", "ignore::DeprecationWarning", "-k", "not 7_7_1",
         str(ROOT / "tests" / "test_feature_map_explorer.py")],
        env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "7 passed" in result.stdout
    check = subprocess.run([sys.executable, "-c", "import ipywidgets; print(ipywidgets."
                            "__version__)"], env=env, capture_output=True, text=True)
    assert check.stdout.strip() == "7.7.1"
