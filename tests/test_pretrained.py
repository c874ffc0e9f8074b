"""cnnlab.pretrained: the shipped ImageNet network, its preprocessing and Keras' backbones.

Oracles: PyTorch's logits of the same weights (stored by tools/convert_efficientnet_lite0.py),
the ImageNet class list (known indices and what a cat or an espresso is), the unsplit
model, and Keras' own models and weight files. Nothing here downloads.
"""

import urllib.error
from pathlib import Path

import numpy as np
import pytest

from cnnlab import figures, images, import_keras, models, pretrained

ROOT = Path(__file__).resolve().parents[1]
from convert_efficientnet_lite0 import reference_noise  # noqa: E402

DOMESTIC_CATS = {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"}


@pytest.fixture(scope="module")
def classifier():
    return pretrained.load_backbone(include_top=True)


@pytest.fixture(scope="module")
def keras():
    return import_keras()


@pytest.mark.slow
def test_logits_equal_pytorch_on_the_same_inputs(classifier):
    expected = np.load(ROOT / "tests" / "data" / "efficientnet_lite0_torch_logits.npz")
    logits = np.asarray(classifier(reference_noise(), training=False))
    np.testing.assert_allclose(logits, expected["noise_logits"], atol=1e-3, rtol=0)


def test_class_names_are_imagenets_in_classifier_order():
    names = pretrained.imagenet_classes()
    assert len(names) == 1000
    # Well-known indices of the ImageNet-1k label list.
    assert (names[0], names[1], names[281], names[285]) == (
        "tench", "goldfish", "tabby", "Egyptian cat")
    assert (names[504], names[967], names[968], names[999]) == (
        "coffee mug", "espresso", "cup", "toilet tissue")


@pytest.mark.slow
def test_cat_photo_is_a_cat():
    top = pretrained.predict_imagenet(images.sample("cat"), top=5)
    name, probability = top[0]
    assert name in DOMESTIC_CATS
    # The network splits its belief between cat breeds (Egyptian cat 0.40, tiger cat 0.33,
    # tabby 0.17): together the cat classes hold well over half.
    cats = sum(p for n, p in pretrained.predict_imagenet(images.sample("cat"), top=1000)
               if n in DOMESTIC_CATS)
    assert cats >= 0.5
    assert probability >= 0.3


@pytest.mark.slow
def test_coffee_photo_is_espresso_or_cup():
    (name, probability), *_ = pretrained.predict_imagenet(images.sample("coffee"))
    assert name in {"espresso", "cup"}
    assert probability >= 0.5


@pytest.mark.slow
def test_predictions_are_sorted_probabilities_for_each_image_of_a_batch():
    batch = pretrained.predict_imagenet([images.sample("cat"), images.sample("coffee")], top=3)
    assert len(batch) == 2
    for ranking in batch:
        probabilities = [p for _, p in ranking]
        assert len(ranking) == 3 and probabilities == sorted(probabilities, reverse=True)
    everything = pretrained.predict_imagenet(images.sample("coffee"), top=1000)
    assert sum(p for _, p in everything) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("top, error", [(0, ValueError), (1001, ValueError), (2.0, TypeError)])
def test_predict_imagenet_rejects_bad_top(top, error):
    with pytest.raises(error, match="top"):
        pretrained.predict_imagenet(images.sample("coffee"), top=top)


@pytest.mark.slow
def test_backbone_without_top_gives_the_feature_map(classifier):
    backbone = pretrained.load_backbone()
    x = reference_noise()[:1]
    features = np.asarray(backbone(x, training=False))
    assert features.shape == (1, 7, 7, 1280)
    # The classifier is global average pooling + Dense on exactly these features.
    dense = classifier.get_layer("predictions")
    kernel, bias = (np.asarray(w) for w in dense.weights)
    logits = features.mean(axis=(1, 2)) @ kernel + bias
    np.testing.assert_allclose(logits, np.asarray(classifier(x, training=False)), atol=1e-4)


def test_architecture_has_lite0s_size():
    backbone = pretrained.load_backbone(include_top=True, weights=None)
    # EfficientNet-Lite0: 4.65 M trainable weights (+ BatchNorm statistics), 16 MBConv blocks.
    trainable = sum(int(np.prod(w.shape)) for w in backbone.trainable_weights)
    assert trainable == 4_652_008
    assert len([layer for layer in backbone.layers if layer.name.endswith("_dwconv")]) == 16


def test_preprocess_scales_like_the_tensorflow_original_and_crops_the_centre():
    left, middle, right = 0, 127, 255
    image = np.zeros((10, 30, 3), dtype=np.uint8)
    image[:, :10], image[:, 10:20], image[:, 20:] = left, middle, right
    batch = pretrained.preprocess(image, size=10)
    assert batch.shape == (1, 10, 10, 3) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch, np.zeros((1, 10, 10, 3)))  # only (127-127)/128 left
    whole = pretrained.preprocess(image, size=10, crop=False)
    assert whole.min() == (0 - 127) / 128 and whole.max() == (255 - 127) / 128


def test_preprocess_accepts_gray_batches_and_lists():
    gray = np.zeros((4, 25, 25), dtype=np.uint8)
    assert pretrained.preprocess(gray[:, :, :, None], size=32).shape == (4, 32, 32, 3)
    assert pretrained.preprocess(list(gray), size=32).shape == (4, 32, 32, 3)
    assert pretrained.preprocess(gray, size=32).shape == (4, 32, 32, 3)


@pytest.mark.parametrize("images_, match", [
    ([], "empty"), ("cat.png", "images must be"), (np.zeros(5), "images must be"),
])
def test_preprocess_rejects_bad_images(images_, match):
    with pytest.raises((ValueError, TypeError), match=match):
        pretrained.preprocess(images_)


def test_preprocess_for_keras_models_uses_their_preprocess_input(keras):
    image = images.sample("coffee")
    expected = keras.applications.vgg16.preprocess_input(
        pretrained.preprocess(image, size=50) * 128 + 127)
    np.testing.assert_allclose(pretrained.preprocess(image, "vgg16", size=50), expected,
                               atol=1e-4)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "resnet"}, ValueError, "name must be one of"),
    ({"include_top": "yes"}, TypeError, "include_top"),
    ({"weights": "missing.npz"}, FileNotFoundError, "missing.npz"),
    ({"alpha": 0.5}, TypeError, "efficientnet_lite0 takes no extra arguments"),
])
def test_load_backbone_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pretrained.load_backbone(**kwargs)


def test_load_weights_refuses_files_that_do_not_fit(tmp_path):
    model = pretrained.load_backbone(weights=None)
    wrong_shape = tmp_path / "wrong.npz"
    np.savez(wrong_shape, **{"stem_conv/0": np.zeros((3, 3, 3, 8))})
    with pytest.raises(ValueError, match=r"stem_conv/0 has shape \(3, 3, 3, 8\)"):
        pretrained.load_weights(model, wrong_shape)
    unrelated = tmp_path / "unrelated.npz"
    np.savez(unrelated, **{"dense_7/0": np.zeros(3)})
    with pytest.raises(ValueError, match="matches no layer"):
        pretrained.load_weights(model, unrelated)


def _small_mobilenet(keras):
    return keras.applications.MobileNetV2(weights=None, alpha=0.35, input_shape=(32, 32, 3),
                                          include_top=False)


@pytest.mark.slow
def test_keras_backbone_loads_a_local_weights_file(keras, tmp_path):
    original = _small_mobilenet(keras)
    rng = np.random.default_rng(0)
    original.set_weights([rng.normal(size=w.shape).astype("float32") * 0.1
                          for w in original.get_weights()])
    path = tmp_path / "mobilenet.weights.h5"
    original.save_weights(path)
    loaded = pretrained.load_backbone("mobilenet_v2", weights=str(path), alpha=0.35,
                                      input_shape=(32, 32, 3))
    x = rng.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(original(x)), atol=1e-5)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """Keras' downloader with an empty cache and no network."""
    from keras.src.utils import file_utils

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(file_utils, "urlretrieve", no_network)
    monkeypatch.setattr(file_utils.config, "keras_home", lambda: str(tmp_path))


def test_keras_backbone_offline_names_the_model_that_works(offline):
    with pytest.raises(ConnectionError) as caught:
        pretrained.load_backbone("mobilenet_v2", alpha=0.35, input_shape=(96, 96, 3))
    message = str(caught.value)
    assert "'mobilenet_v2'" in message and "load_backbone('efficientnet_lite0')" in message
    assert "URL fetch failure" in message  # Keras' own reason stays visible


def test_keras_backbone_errors_other_than_downloads_pass_through(offline):
    with pytest.raises(ValueError, match="alpha"):
        pretrained.load_backbone("mobilenet_v2", alpha=0.3)


@pytest.mark.slow
def test_split_pieces_of_the_backbone_compose_to_the_whole_model(classifier):
    frozen, rest = models.split(classifier, "block7a_expand_conv")
    x = reference_noise()[:1]
    np.testing.assert_allclose(np.asarray(rest(frozen(x))), np.asarray(classifier(x)),
                               atol=1e-5)
    assert frozen.output.shape[-1] == 192
    with pytest.raises(ValueError, match="first_trainable must name a layer"):
        models.split(classifier, "block9a")
    with pytest.raises(ValueError, match="a shortcut connection crosses that point"):
        models.split(classifier, "block6b_dwconv")
    with pytest.raises(ValueError, match="after the input layer"):
        models.split(classifier, "image")


@pytest.mark.slow
def test_feature_maps_of_the_stem_equal_cnnlabs_own_convolution():
    """The stem is a 3×3 convolution, stride 2, TensorFlow 'same' padding (cnnlab.ops = TF)."""
    from cnnlab import ops

    backbone = pretrained.load_backbone()
    cat = pretrained.preprocess(images.sample("cat"))[0]
    maps = models.feature_maps(backbone, cat, ["stem_conv", "stem_activation"])
    kernel = np.asarray(backbone.get_layer("stem_conv").kernel)
    expected = ops.conv2d(cat, kernel, stride=2, padding="same")
    assert maps["stem_conv"].shape == (112, 112, 32)
    np.testing.assert_allclose(maps["stem_conv"], expected, atol=1e-4)
    assert maps["stem_activation"].min() >= 0 and maps["stem_activation"].max() <= 6  # ReLU6
    with pytest.raises(ValueError, match="unknown: \\['conv9'\\]"):
        models.feature_maps(backbone, cat, ["conv9"])
    fig = figures.plot_feature_maps(backbone, cat, ["stem_activation", "top_activation"],
                                    channels=3, strongest=True)
    assert len([ax for ax in fig.axes if ax.images]) == 6
    # strongest: the channels with the highest mean activation, most active first
    means = maps["stem_activation"].mean(axis=(0, 1)).tolist()
    top = sorted(range(len(means)), key=lambda c: -means[c])[:3]
    assert fig.axes[0].get_title() == f"stem_activation (112×112) #{top[0]}"
    assert [ax.get_title() for ax in fig.axes[1:3]] == [f"#{c}" for c in top[1:]]


# ------------------------------------------------------------------ the seed's networks

#: What Keras documents for each model's preprocess_input: "caffe" (RGB → BGR, ImageNet
#: mean subtracted, not scaled) or "tf" (scaled to −1…1).
KERAS_MODES = {"resnet50": "caffe", "vgg16": "caffe", "inception_v3": "tf",
               "mobilenet_v2": "tf"}


@pytest.mark.parametrize("name, mode", KERAS_MODES.items())
def test_describe_preprocessing_tells_caffe_from_tf(keras, name, mode):
    """Oracle: Keras' generic imagenet_utils.preprocess_input in the documented mode."""
    text, (low, high) = pretrained.describe_preprocessing(name)
    pixels = np.array([[[0, 0, 0], [255, 255, 255]]], np.float32)
    expected = keras.applications.imagenet_utils.preprocess_input(pixels, mode=mode)
    assert (low, high) == pytest.approx((expected.min(), expected.max()), abs=1e-3)
    if mode == "caffe":
        assert text == ("BGR, ImageNet mean subtracted per channel (B 103.9, G 116.8, "
                        "R 123.7), not scaled: 0…255 → -124…151")
    else:
        assert text == "RGB, scaled: 0…255 → -1…1"


def test_describe_preprocessing_of_the_shipped_network():
    # (x − 127) / 128, as the TensorFlow original of EfficientNet-Lite0 prepares images
    assert pretrained.describe_preprocessing() == ("RGB, scaled: 0…255 → -0.992…1",
                                                   (round(-127 / 128, 4), 1.0))
    with pytest.raises(ValueError, match="name must be one of"):
        pretrained.describe_preprocessing("ResNet50")


def _independent_row(keras, function, size):
    """Parameters and last feature map of a keras.applications model built here and run
    on a batch of one."""
    model = getattr(keras.applications, function)(weights=None, include_top=False,
                                                  input_shape=(size, size, 3))
    features = model(np.zeros((1, size, size, 3), np.float32), training=False)
    result = model.count_params(), tuple(features.shape[1:])
    del model
    keras.backend.clear_session()
    return result


@pytest.mark.slow   # builds MobileNetV2 and EfficientNet-Lite0 twice
def test_seed_networks_table_for_one_network(keras):
    table = pretrained.seed_networks(["MobileNetV2"])
    mobilenet, lite0 = table.rows
    assert (mobilenet.name, lite0.name) == ("MobileNetV2", "EfficientNet-Lite0")
    assert (mobilenet.parameters, mobilenet.feature_map) == _independent_row(
        keras, "MobileNetV2", 224)
    # MobileNetV2 (Sandler et al. 2018): stem conv, 17 bottlenecks (the first without its
    # expansion: 2 convolutions, the others 3), a final 1×1 conv: 1 + 2 + 16·3 + 1 = 52.
    # EfficientNet-Lite0: stem, 16 MBConv blocks (the first 2 convolutions, the others 3),
    # head: 1 + 2 + 15·3 + 1 = 49.
    assert (mobilenet.depth, lite0.depth) == (52, 49)
    assert mobilenet.input_shape == lite0.input_shape == (224, 224, 3)
    backbone = pretrained.load_backbone(weights=None)
    assert lite0.parameters == backbone.count_params()
    assert lite0.feature_map == tuple(backbone(np.zeros((1, 224, 224, 3)),
                                               training=False).shape[1:])
    text = str(table)
    assert text.splitlines()[0].split() == ["network", "depth", "Keras", "layers",
                                            "parameters", "input", "last", "feature", "map",
                                            "preprocess_input"]
    assert "MobileNetV2" in text and "2,257,984" in text and "7×7×1280" in text
    assert text.splitlines()[-1].startswith("depth: convolution and dense layers")
    page = table._repr_html_()
    assert page.count("<tr>") == 3 and "<th>last feature map</th>" in page
    assert pretrained.seed_networks([], include_shipped=False).rows == []


@pytest.mark.parametrize("names, error, match", [
    ("VGG16", TypeError, "names must be a list of network names"),
    (["VGG19"], ValueError, "names entries must be one of 'ResNet50', 'VGG16'"),
    (["vgg16"], ValueError, "got 'vgg16'"),
])
def test_seed_networks_rejects_unknown_names(names, error, match):
    with pytest.raises(error, match=match):
        pretrained.seed_networks(names)


@pytest.mark.slow   # builds the four networks twice (~1 min on 2 cores)
def test_seed_networks_match_independently_built_keras_models(keras):
    table = pretrained.seed_networks(include_shipped=False)
    assert [row.name for row in table.rows] == list(pretrained.SEED_NETWORKS)
    sizes = {"ResNet50": 224, "VGG16": 224, "InceptionV3": 299, "MobileNetV2": 224}
    for row in table.rows:
        assert (row.parameters, row.feature_map) == _independent_row(
            keras, row.name, sizes[row.name]), row.name
        assert row.input_shape == (sizes[row.name], sizes[row.name], 3)
    depth = {row.name: row.depth for row in table.rows}
    # VGG16 without its 3 dense layers: 13 convolutions. ResNet50: 1 + 3·3 + 4·3 + 6·3
    # + 3·3 = 49 convolutions on the main path and 4 projection shortcuts.
    assert (depth["VGG16"], depth["ResNet50"]) == (13, 53)


def test_as_seen_is_the_central_square_preprocess_scales():
    image = np.zeros((10, 30, 3), dtype=np.uint8)
    image[:, 10:20] = 200
    seen = pretrained.as_seen(image, size=10)
    np.testing.assert_array_equal(seen, np.full((10, 10, 3), 200, np.uint8))
    np.testing.assert_allclose(pretrained.preprocess(image, size=10)[0],
                               (seen.astype(np.float32) - 127) / 128)
    assert pretrained.as_seen(image, size=10, crop=False).shape == (10, 10, 3)
