"""cnnlab.models: shapes and parameter counts checked against Keras itself."""

import re

import numpy as np
import pytest
import small_cnn

from cnnlab import models
from cnnlab._tf import import_keras, import_tensorflow

keras = import_keras()
tf = import_tensorflow()
layers = keras.layers


model = pytest.fixture(small_cnn.model)
image = pytest.fixture(small_cnn.image)


def _keras_total_params(model) -> int:
    """'Total params: 12,810 (50.04 KB)' from Keras' own model.summary()."""
    lines = []
    model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
    text = "\n".join(lines)
    return int(re.search(r"Total params: ([\d,]+)", text).group(1).replace(",", ""))


def _check_against_keras(model):
    table = models.summary_table(model)
    assert [row.name for row in table.rows] == [layer.name for layer in model.layers]
    for row, layer in zip(table.rows, model.layers, strict=True):
        assert row.output_shape == tuple(layer.output.shape), row
        assert row.params == layer.count_params(), row
        # The written-out formula ends in the number Keras computes.
        if row.kind in ("Conv2D", "MaxPooling2D", "AveragePooling2D"):
            results = [int(n) for n in re.findall(r"\+ 1 = (\d+)", row.formula)]
            assert results and set(results) <= set(layer.output.shape[1:3]), row
            assert results[0] == layer.output.shape[1]
            assert results[-1] == layer.output.shape[2]
        if row.params:
            assert row.params_formula.endswith(f"= {layer.count_params():,}")
    assert table.total_params == model.count_params() == _keras_total_params(model)
    return table


@pytest.mark.parametrize("input_shape, classes, options", [
    ((28, 28, 1), 10, {}),
    ((28, 28), 10, {"hidden_units": None, "dropout": 0, "padding": "valid"}),
    ((96, 96, 3), 2, {}),
    ((33, 40, 3), 5, {"filters": (4, 6), "kernel_size": (5, 3), "pool_size": 3}),
    ((33, 40, 3), 5, {"kernel_size": (5, 3), "pool_size": 3, "padding": "valid"}),
])
def test_simple_cnn_shapes_and_params_match_keras(input_shape, classes, options):
    model = models.simple_cnn(input_shape, classes, **options)
    table = _check_against_keras(model)
    assert model.output_shape == (None, classes)
    kinds = [row.kind for row in table.rows]
    assert kinds[:6] == ["Rescaling", "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D",
                         "Flatten"]
    assert kinds[6:] == (["Dropout"] * bool(options.get("dropout", 0.4))
                         + ["Dense"] * (1 + (options.get("hidden_units", 64) is not None)))
    assert model.loss == "sparse_categorical_crossentropy"


def test_summary_of_strided_padded_dilated_layers_matches_keras():
    model = keras.Sequential([
        keras.Input((29, 31, 2)),
        layers.Conv2D(3, (3, 5), strides=2, padding="same"),
        layers.Conv2D(4, 3, dilation_rate=2, use_bias=False),
        layers.AveragePooling2D(3, strides=(1, 2), padding="same"),
        layers.MaxPooling2D((2, 3), strides=(2, 1)),
        layers.Dropout(0.5),
        layers.Flatten(),
        layers.Dense(7),
    ])
    table = _check_against_keras(model)
    # Non-square cases spell out rows and columns separately; dilation shows k′.
    assert table.rows[0].formula.startswith("rows: ")
    assert "k′ = k + (k − 1)(dilation − 1) = 3 + 2·1 = 5" in table.rows[1].formula
    assert table.rows[1].params_formula == "(3·3·3)·4 = 108"
    assert table.rows[4].formula == "unchanged"
    assert "total parameters" in str(table)


def test_dense_classifier_params_match_keras():
    model = models.dense_classifier((28, 28, 1), 10, hidden_units=64)
    _check_against_keras(model)
    assert model.get_layer("hidden").count_params() == (28 * 28 + 1) * 64


def test_same_seed_same_weights_different_seed_different():
    first = models.simple_cnn((12, 12, 1), 3, filters=(2, 2), seed=1).get_weights()
    again = models.simple_cnn((12, 12, 1), 3, filters=(2, 2), seed=1).get_weights()
    other = models.simple_cnn((12, 12, 1), 3, filters=(2, 2), seed=2).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])


def _bars(n, size=12, seed=0):
    """Images of one horizontal (label 0) or vertical (label 1) bright bar."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 40, (n, size, size, 1)).astype(np.uint8)
    y = np.arange(n) % 2
    for image, label, where in zip(x, y, rng.integers(1, size - 1, n), strict=True):
        if label:
            image[:, where] = 255
        else:
            image[where, :] = 255
    return x, y.astype(np.uint8)


@pytest.mark.slow
def test_train_learns_quietly_and_reproducibly(capsys):
    x, y = _bars(64)
    x_val, y_val = _bars(32, seed=1)
    runs = []
    for _ in range(2):
        model = models.simple_cnn((12, 12, 1), 2, filters=(8, 8), learning_rate=0.01)
        history = models.train(model, x, y, epochs=8, batch_size=16,
                               validation_data=(x_val, y_val), seed=3)
        runs.append((model.get_weights(), history.history))
    assert capsys.readouterr().out == ""
    (weights, history), (weights_again, history_again) = runs
    assert all(np.array_equal(a, b) for a, b in zip(weights, weights_again, strict=True))
    assert history == history_again
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["loss"]) == 8
    assert history["val_accuracy"][-1] >= 0.9        # the bars are easy for a CNN
    assert history["loss"][-1] < history["loss"][0]


@pytest.mark.parametrize("call, message", [
    (lambda: models.simple_cnn((28, 28, 1, 1), 10), "input_shape must be"),
    (lambda: models.simple_cnn("28x28", 10), "input_shape must be"),
    (lambda: models.simple_cnn((28, 0, 1), 10), "input_shape entries must be"),
    (lambda: models.simple_cnn((28, 28, 1), 1), "num_classes must be an integer >= 2"),
    (lambda: models.simple_cnn((28, 28, 1), 10, filters=8), "filters must be a pair"),
    (lambda: models.simple_cnn((28, 28, 1), 10, kernel_size=0), "kernel_size must be"),
    (lambda: models.simple_cnn((28, 28, 1), 10, padding="full"), "padding must be one of"),
    (lambda: models.simple_cnn((28, 28, 1), 10, dropout=1.0),
     "dropout must be a fraction in [0, 1), got 1.0"),
    (lambda: models.dense_classifier((28, 28, 1), 2.5), "num_classes must be"),
    (lambda: models.summary_table("model"), "model must be a Keras model"),
])
def test_bad_arguments_name_the_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        call()


def test_train_rejects_bad_epochs():
    model = models.simple_cnn((12, 12, 1), 2, filters=(2, 2))
    x, y = _bars(4)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1, got 0"):
        models.train(model, x, y, epochs=0)


def test_compile_classifier_is_adam_with_sparse_cross_entropy():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
    assert models.compile_classifier(model, learning_rate=0.05) is model
    assert model.loss == "sparse_categorical_crossentropy"
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.05)
    # Keras' own sparse cross-entropy and accuracy on the model's probabilities
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], np.float32)
    y = np.array([1, 0])
    probabilities = model.predict(x, verbose=0)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    expected = keras.losses.SparseCategoricalCrossentropy()(y, probabilities)
    assert loss == pytest.approx(float(expected), rel=1e-5)
    assert accuracy == pytest.approx(np.mean(probabilities.argmax(axis=1) == y))
    with pytest.raises(ValueError, match="learning_rate must be a number > 0, got 0"):
        models.compile_classifier(model, learning_rate=0)
    with pytest.raises(TypeError, match="learning_rate must be a number > 0, got '1e-3'"):
        models.compile_classifier(model, learning_rate="1e-3")
    with pytest.raises(TypeError, match="model must be a Keras model, got str"):
        models.compile_classifier("model")


def test_split_pieces_compose_to_the_whole_model(model, image):
    frozen, rest = models.split(model, "conv2")
    x = image[None, :, :, None].astype(np.float32)
    np.testing.assert_allclose(np.asarray(rest(frozen(x))), np.asarray(model(x)), atol=1e-6)
    assert frozen.output.shape == model.get_layer("pool1").output.shape
    assert [layer.name for layer in rest.layers][1:3] == ["conv2", "pool2"]
    with pytest.raises(ValueError, match="first_trainable must name a layer"):
        models.split(model, "conv9")


def test_first_layer_filters_are_the_conv1_kernel(model):
    kernel = models.first_layer_filters(model)
    np.testing.assert_array_equal(kernel, model.get_layer("conv1").kernel.numpy())
    with pytest.raises(ValueError, match="has no Conv2D layer"):
        models.first_layer_filters(models.dense_classifier((4, 4), 2))


def test_feature_maps_equal_tensorflow_ops(model, image):
    """Oracle: the layers' weights applied with tf.nn, step by step."""
    maps = models.feature_maps(model, image)
    assert list(maps) == ["conv1", "pool1", "conv2", "pool2"]
    x = tf.constant(image[None, :, :, None] / 255.0, tf.float32)
    expected = {}
    for name, pool in (("conv1", "pool1"), ("conv2", "pool2")):
        kernel, bias = model.get_layer(name).get_weights()
        x = tf.nn.relu(tf.nn.conv2d(x, kernel, strides=1, padding="VALID") + bias)
        expected[name] = x
        x = tf.nn.max_pool2d(x, 2, 2, "VALID")
        expected[pool] = x
    for name, value in expected.items():
        np.testing.assert_allclose(maps[name], value.numpy()[0], rtol=1e-5, atol=1e-6)
    # (H, W, 1) is accepted as well as (H, W)
    np.testing.assert_array_equal(models.feature_maps(model, image[..., None])["pool2"],
                                  maps["pool2"])


def test_feature_maps_bad_image(model):
    with pytest.raises(ValueError, match=r"image must have the model's input shape "
                                         r"\(14, 14, 1\).*got shape \(28, 28\)"):
        models.feature_maps(model, np.zeros((28, 28)))
    with pytest.raises(TypeError, match="model must be a Keras model"):
        models.feature_maps("model", np.zeros((14, 14)))


def test_feature_maps_of_chosen_layers_in_the_order_given(model, image):
    maps = models.feature_maps(model, image, ["pool2", "flatten", "conv1"])
    assert list(maps) == ["pool2", "flatten", "conv1"]
    every = models.feature_maps(model, image)
    np.testing.assert_array_equal(maps["pool2"], every["pool2"])
    np.testing.assert_array_equal(maps["flatten"], every["pool2"].reshape(-1))
    assert models.feature_layers(model) == ["conv1", "pool1", "conv2", "pool2"]
    with pytest.raises(ValueError, match=r"unknown: \['conv9'\]"):
        models.feature_maps(model, image, ["conv1", "conv9"])
    with pytest.raises(TypeError, match="layer_names must be a list"):
        models.feature_maps(model, image, "conv1")
    with pytest.raises(ValueError, match="has no convolution or pooling layer"):
        models.feature_maps(models.dense_classifier((14, 14), 2), image)


# ------------------------------------------------------------------ notebook 06 exercises


def test_exercise_answers_come_from_keras_and_mistakes_teach():
    from cnnlab.exercises import classification as ex

    stack = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 3, padding="same"),
                              layers.MaxPooling2D(2)])
    assert ex.pooled_shape.feedback(tuple(stack.output_shape[1:]))[0]
    conv = layers.Conv2D(64, 3)
    conv.build((None, 7, 7, 32))
    assert ex.conv_parameters.feedback(conv.count_params())[0]
    dense = layers.Dense(10)
    dense.build((None, 7 * 7 * 32))
    assert ex.dense_parameters.feedback(dense.count_params())[0]
    assert ex.shift_robust.feedback("dense")[0]
    for question, wrong, words in [
        (ex.pooled_shape, (13, 13, 16), "'valid' padding"),
        (ex.pooled_shape, (28, 28, 16), "halves"),
        (ex.conv_parameters, conv.count_params() - 64, "bias"),
        (ex.conv_parameters, (3 * 3 + 1) * 64, "all 32 input channels"),
        (ex.dense_parameters, dense.count_params() - 10, "bias"),
        (ex.dense_parameters, (7 * 7 + 1) * 10, "32 channels"),
        (ex.shift_robust, "cnn", "same filters at every position"),
    ]:
        correct, message = question.feedback(wrong)
        assert not correct and words in message, (wrong, message)
