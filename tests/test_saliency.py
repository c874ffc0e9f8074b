"""cnnlab.saliency: Grad-CAM and gradient saliency.

Oracles: (1) a CNN trained on images whose *only* evidence for class 1 is a bright patch
must put its heat on the patch; (2) Keras' own Grad-CAM recipe (the "Grad-CAM class
activation visualization" example: a probe model, ``tf.GradientTape``, channel weights
averaged over positions), written out here with no cnnlab code, gives the same map for
the same model built flat, functional, and with its convolutions nested in a backbone.
"""

import numpy as np
import pytest

from cnnlab import import_keras, models, saliency
from cnnlab._tf import import_tensorflow

SIDE, PATCH, NOISE = 24, 6, 120          # the patch covers 36 / 576 = 6.25 % of the image


def patch_images(count, rng):
    """Dim noise (0–119); every odd image has a white PATCH×PATCH square somewhere."""
    x = rng.integers(0, NOISE, (count, SIDE, SIDE, 1)).astype(np.uint8)
    y = np.arange(count) % 2
    for i in np.flatnonzero(y):
        top, left = rng.integers(0, SIDE - PATCH + 1, 2)
        x[i, top:top + PATCH, left:left + PATCH] = 255
    return x, y


def image_with_patch(top, left, seed=0):
    image = np.random.default_rng(seed).integers(0, NOISE, (SIDE, SIDE, 1)).astype(np.uint8)
    image[top:top + PATCH, left:left + PATCH] = 255
    return image


@pytest.fixture(scope="module")
def keras():
    return import_keras()


@pytest.fixture(scope="module")
def trained(keras):
    """A tiny CNN (conv → pool → conv → global average pooling → softmax), trained to
    tell patch from no patch (100 % on new images; ~10 s on 2 cores)."""
    layers = keras.layers
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((SIDE, SIDE, 1)), layers.Rescaling(1 / 255, name="rescale"),
        layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        layers.MaxPooling2D(name="pool1"),
        layers.Conv2D(16, 3, padding="same", activation="relu", name="conv2"),
        layers.GlobalAveragePooling2D(name="gap"),
        layers.Dense(2, activation="softmax", name="output")], name="patch_finder")
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x, y = patch_images(384, np.random.default_rng(0))
    model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    x_test, y_test = patch_images(100, np.random.default_rng(1))
    assert model.evaluate(x_test, y_test, verbose=0)[1] == 1.0
    return model


def keras_grad_cam(model, image, class_index):
    """Keras' Grad-CAM example on the flat ``trained`` model, logit computed by hand."""
    tf, keras = import_tensorflow(), import_keras()
    probe = keras.Model(model.inputs[0], [model.get_layer("conv2").output,
                                       model.get_layer("gap").output])
    kernel, bias = model.get_layer("output").get_weights()
    with tf.GradientTape() as tape:
        conv, pooled = probe(image[None].astype("float32"))
        logit = pooled @ kernel[:, class_index:class_index + 1] + bias[class_index]
    weights = tf.reduce_mean(tape.gradient(logit, conv), axis=(0, 1, 2))
    heat = tf.nn.relu(conv[0] @ weights[..., None])
    heat = keras.ops.image.resize(heat, (SIDE, SIDE), interpolation="bilinear")[..., 0]
    return np.asarray(heat / tf.reduce_max(heat))


def keras_gradient_saliency(model, image, class_index):
    tf, keras = import_tensorflow(), import_keras()
    probe = keras.Model(model.inputs[0], model.get_layer("gap").output)
    kernel, bias = model.get_layer("output").get_weights()
    x = tf.constant(image[None].astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        logit = probe(x) @ kernel[:, class_index:class_index + 1] + bias[class_index]
    gradient = np.abs(np.asarray(tape.gradient(logit, x))[0]).max(axis=-1)
    return gradient / gradient.max()


def variants(keras, model):
    """The same trained layers as a flat functional model and as a transfer-style model
    whose convolutions sit in a nested backbone."""
    layers = {layer.name: layer for layer in model.layers}
    inputs = keras.Input((SIDE, SIDE, 1))
    x = inputs
    for name in ("rescale", "conv1", "pool1", "conv2", "gap", "output"):
        x = layers[name](x)
    functional = keras.Model(inputs, x, name="functional")
    backbone_in = keras.Input((SIDE, SIDE, 1))
    features = backbone_in
    for name in ("rescale", "conv1", "pool1", "conv2"):
        features = layers[name](features)
    backbone = keras.Model(backbone_in, features, name="backbone")
    nested = keras.Sequential([keras.Input((SIDE, SIDE, 1)), backbone, layers["gap"],
                               layers["output"]], name="transfer")
    return {"functional": functional, "nested": nested}


@pytest.mark.slow   # trains a small CNN (~10 s)
@pytest.mark.parametrize("top, left", [(0, 0), (9, 15), (18, 4)])
def test_the_heat_lies_on_the_only_evidence(trained, top, left):
    """Measured (3 positions here, 10 random ones while choosing the bounds): Grad-CAM
    puts 0.50–0.60 of its mass on the patch, gradient saliency 0.39–0.55; a map that
    ignored the patch would put 0.0625 there."""
    image = image_with_patch(top, left)
    box = (top, top + PATCH, left, left + PATCH)
    cam = saliency.grad_cam(trained, image, class_index=1)
    grad = saliency.gradient_saliency(trained, image)          # the top class: patch
    assert cam.shape == grad.shape == (SIDE, SIDE)
    assert cam.dtype == grad.dtype == np.float32
    for heat in (cam, grad):
        assert heat.min() >= 0 and heat.max() == pytest.approx(1.0)
    assert saliency.heat_share(cam, box) >= 0.4
    assert saliency.heat_share(grad, box) >= 0.3


@pytest.mark.slow
def test_maps_equal_keras_grad_cam_recipe_for_sequential_functional_and_nested(trained,
                                                                              keras):
    image = image_with_patch(5, 11, seed=3)
    expected_cam = keras_grad_cam(trained, image, 1)
    expected_grad = keras_gradient_saliency(trained, image, 1)
    for name, model in {"sequential": trained, **variants(keras, trained)}.items():
        np.testing.assert_allclose(saliency.grad_cam(model, image), expected_cam,
                                   atol=1e-5, err_msg=name)
        np.testing.assert_allclose(saliency.gradient_saliency(model, image, class_index=1),
                                   expected_grad, atol=1e-5, err_msg=name)
    nested = variants(keras, trained)["nested"]
    assert saliency.last_feature_layer(nested) == "backbone/conv2"
    np.testing.assert_allclose(
        saliency.grad_cam(nested, image, class_index=1, layer="conv2"), expected_cam,
        atol=1e-5)
    # the model is left as it was: softmax probabilities, no recording wrapper
    assert np.asarray(trained(image[None].astype("float32"))).sum() == pytest.approx(1.0)
    assert all("call" not in vars(layer) for layer in trained.layers)


def test_preprocess_and_class_zero(keras):
    """``preprocess`` runs first; a batch of one is accepted, as pretrained.preprocess
    returns; every class has a map."""
    model = models.simple_cnn((10, 10, 1), 3, filters=(2, 3), seed=1)
    image = np.random.default_rng(0).integers(0, 256, (10, 10), dtype=np.uint8)
    direct = saliency.grad_cam(model, image, class_index=0, layer="conv2")
    prepared = saliency.grad_cam(model, image.T, class_index=0, layer="conv2",
                                 preprocess=lambda picture: picture.T[None, ..., None])
    np.testing.assert_array_equal(prepared, direct)
    assert saliency.gradient_saliency(model, image, class_index=2).shape == (10, 10)


@pytest.mark.parametrize("call, error, match", [
    (lambda m, i: saliency.grad_cam("model.keras", i), TypeError,
     "model must be a Keras model, got str"),
    (lambda m, i: saliency.grad_cam(models.dense_classifier((8, 8), 2), i), TypeError,
     "model must be a CNN"),
    (lambda m, i: saliency.gradient_saliency(m, np.zeros((9, 8))), ValueError,
     r"image must have the model's input shape \(8, 8, 1\).*got shape \(9, 8\)"),
    (lambda m, i: saliency.grad_cam(m, np.zeros((8, 8, 3))), ValueError,
     "image must have the model's input shape"),
    (lambda m, i: saliency.grad_cam(m, i, class_index=2), ValueError,
     r"class_index must lie in 0–1 \('simple_cnn' has 2 outputs\), got 2"),
    (lambda m, i: saliency.gradient_saliency(m, i, class_index=-1), ValueError,
     "class_index must lie in 0–1"),
    (lambda m, i: saliency.grad_cam(m, i, class_index=1.0), TypeError,
     "class_index must be an integer"),
    (lambda m, i: saliency.grad_cam(m, i, layer="conv7"), ValueError,
     "layer must name a layer of 'simple_cnn', got 'conv7'"),
    (lambda m, i: saliency.grad_cam(m, i, layer="flatten"), ValueError,
     r"layer must have a 4-D output .* got 'flatten' with output shape \(None, 8\)"),
    (lambda m, i: saliency.grad_cam(m, i, preprocess="scale"), TypeError,
     "preprocess must be a function"),
])
def test_bad_input_is_named(call, error, match):
    model = models.simple_cnn((8, 8, 1), 2, filters=(2, 2))
    with pytest.raises(error, match=match):
        call(model, np.zeros((8, 8)))


def test_heat_share_of_a_box_and_a_mask():
    heat = np.zeros((4, 6))
    heat[0, 0], heat[3, 5] = 3.0, 1.0
    assert saliency.heat_share(heat, (0, 1, 0, 1)) == 0.75
    assert saliency.heat_share(heat, heat == 1) == 0.25
    assert saliency.heat_share(np.zeros((2, 2)), (0, 1, 0, 1)) == 0.0
    with pytest.raises(ValueError, match="region must be a boolean mask of shape"):
        saliency.heat_share(heat, np.ones((2, 2), bool))
    with pytest.raises(ValueError, match="heatmap must be a 2-D array"):
        saliency.heat_share(-heat, (0, 1, 0, 1))


@pytest.mark.parametrize("rows, cols, expected", [
    (slice(0, 10), slice(0, 10), "all of the heat (100%) lies in the upper-left ninth"),
    (slice(12, 18), slice(12, 18), "all of the heat (100%) lies in the central ninth"),
    (slice(22, 30), slice(10, 20), "all of the heat (100%) lies in the lower-centre ninth"),
    (slice(15, 30), slice(15, 30), "all of the heat (100%) lies in the lower-right quarter"),
    (slice(7, 23), slice(7, 23), "all of the heat (100%) lies in the centre"),
    (slice(0, 15), slice(0, 30), "all of the heat (100%) lies in the upper half"),
])
def test_where_heat_lies_names_the_smallest_part_holding_most_heat(rows, cols, expected):
    heat = np.zeros((30, 30))
    heat[rows, cols] = 1.0
    assert saliency.where_heat_lies(heat).startswith(expected)


def test_where_heat_lies_when_spread_or_empty():
    heat = np.ones((30, 30))
    heat[:10, :10] = 10.0          # 1000 of 1800: 56 % in the upper-left ninth
    assert saliency.where_heat_lies(heat) == \
        "most of the heat (56%) lies in the upper-left ninth of the image"
    assert "spread over the whole image" in saliency.where_heat_lies(np.ones((6, 6)))
    assert "zero everywhere" in saliency.where_heat_lies(np.zeros((6, 6)))


def test_plot_saliency_draws_the_heat_over_the_image_and_says_where():
    from cnnlab import figures

    photo = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    heat = np.zeros((20, 30))                       # half the photo's resolution
    heat[14:, 20:] = 1.0                           # the lower-right ninth
    fig = figures.plot_saliency(photo, heat, title="sunflower")
    left, right, bar = fig.axes
    np.testing.assert_array_equal(left.get_images()[0].get_array(), photo)
    base, overlay = right.get_images()
    np.testing.assert_array_equal(base.get_array(), photo)
    assert overlay.get_cmap().name == "magma" and overlay.get_alpha() == 0.6
    assert overlay.get_extent() == [-0.5, 59.5, 39.5, -0.5]   # stretched over the photo
    assert overlay.get_clim() == (0, 1)
    assert bar.get_ylabel() == "heat (1 = the most)"
    assert fig._suptitle.get_text() == "sunflower"
    text = figures.description_of(fig)
    assert text.startswith("sunflower: the image, and beside it the same image")
    assert text.endswith("All of the heat (100%) lies in the lower-right ninth of the image.")
    gray = figures.plot_saliency(np.zeros((20, 30, 1)), heat, description="A test.",
                                 cmap="cividis")
    assert gray.axes[0].get_images()[0].get_cmap().name == "gray"
    assert gray.axes[1].get_images()[1].get_cmap().name == "cividis"
    assert figures.description_of(gray) == "A test."


@pytest.mark.parametrize("image, heat, error, match", [
    (np.zeros((8, 8)), np.zeros((8, 8, 1)), ValueError, "heatmap must be a 2-D array"),
    (np.zeros((8, 8)), -np.ones((8, 8)), ValueError, "heatmap must be a 2-D array of "
                                                      "values >= 0"),
    (np.full((8, 8, 3), 2.0), np.ones((8, 8)), ValueError, "float image values must lie"),
    ("photo.png", np.ones((8, 8)), TypeError, "image must be an array of numbers"),
])
def test_plot_saliency_rejects_bad_input(image, heat, error, match):
    from cnnlab import figures

    with pytest.raises(error, match=match):
        figures.plot_saliency(image, heat)


def test_a_failed_call_leaves_the_model_as_it_was(keras):
    model = models.simple_cnn((8, 8, 1), 2, filters=(2, 2))
    with pytest.raises(ValueError, match="class_index"):
        saliency.grad_cam(model, np.zeros((8, 8)), class_index=5)
    assert all("call" not in vars(layer) for layer in model.layers)
    assert model.get_layer("output").activation is keras.activations.softmax


def test_layers_of_nested_models_are_found_by_name_or_path(keras):
    """Keras forbids "/" in layer names, so "backbone/conv" is a path; a name used in two
    nested models must be written as a path."""
    layers = keras.layers

    def block(name):
        inputs = keras.Input((6, 6, 1))
        return keras.Model(inputs, layers.Conv2D(1, 3, padding="same", name="conv")(inputs),
                           name=name)

    first, second = block("first"), block("second")
    model = keras.Sequential([keras.Input((6, 6, 1)), first, second], name="twice")
    assert models.find_layer(model, "second/conv") is second.get_layer("conv")
    assert models.find_layer(model, "first") is first
    with pytest.raises(ValueError, match=r"layer 'conv' is ambiguous in 'twice': write its "
                                         r"path, one of 'first/conv', 'second/conv'"):
        models.find_layer(model, "conv")
    with pytest.raises(TypeError, match="layer must be a layer's name"):
        models.find_layer(model, 3)
    assert models.feature_layers(model) == ["first/conv", "second/conv"]
    assert saliency.last_feature_layer(model) == "second/conv"
