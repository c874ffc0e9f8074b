"""FeatureMapExplorer: shows the maps that Keras computes, reports bad choices in its
message area and keeps working, under ipywidgets 8 and 7.7.1 (Colab)."""

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
    explorer.set_image(np.zeros((5, 5)))
    assert "image must have the model's input shape" in explorer.message
    assert "still showing the previous image" in explorer.message
    explorer.show(layer="pool2", channel=0)           # works again, message cleared
    assert (explorer.layer, explorer.message, explorer._message.value) == ("pool2", "", "")
    explorer.set_image(np.full((14, 14), 255, np.uint8))
    np.testing.assert_array_equal(
        explorer.feature_map,
        feature_maps(model, np.full((14, 14), 255))["pool2"][..., 0])


def test_explorer_displays_itself(model, image):
    import ipywidgets

    explorer = FeatureMapExplorer(model, image, channel=1)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"] == ("FeatureMapExplorer(layers conv1, pool1, conv2, pool2; "
                                    "showing conv1, channel 1)")
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        explorer.widget.model_id
    assert isinstance(explorer.widget, ipywidgets.VBox)
    with pytest.raises(ValueError, match="layer must be one of"):
        FeatureMapExplorer(model, image, layer="output")


def test_explorer_on_colour_images():
    colour = models.simple_cnn((12, 12, 3), 2, filters=(2, 3))
    picture = np.random.default_rng(1).integers(0, 256, (12, 12, 3), dtype=np.uint8)
    explorer = FeatureMapExplorer(colour, picture, layer="conv2", channel=2)
    assert explorer.feature_map.shape == (6, 6)           # "same" padding
    shown = np.asarray(Image.open(io.BytesIO(explorer._input.value)))
    scale = 224 // 12                                     # each pixel a crisp square
    np.testing.assert_array_equal(shown, picture.repeat(scale, axis=0).repeat(scale, axis=1))
    explorer.set_image(picture / 255)                     # 0.0–1.0 floats: the same picture
    assert explorer.message == "" and explorer._input.value == render.png_bytes(
        Image.fromarray(shown))
    explorer.set_image(picture.astype(float))             # 0–255 floats are not a picture
    assert "0.0–1.0" in explorer.message and "still showing the previous image" in \
        explorer.message


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
    assert "4 passed" in result.stdout
    check = subprocess.run([sys.executable, "-c", "import ipywidgets; print(ipywidgets."
                            "__version__)"], env=env, capture_output=True, text=True)
    assert check.stdout.strip() == "7.7.1"
