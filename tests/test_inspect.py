"""cnnlab.inspect: evaluation numbers against TensorFlow/SciPy, feature maps against TF ops
(the FeatureMapExplorer widget is tested in test_feature_map_explorer.py)."""

import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import inspect, models
from cnnlab._tf import tensorflow

tf = tensorflow()


@pytest.fixture(scope="module")
def model():
    """A small untrained simple_cnn with non-trivial weights (seeded)."""
    return models.simple_cnn((14, 14, 1), 3, filters=(4, 6), padding="valid", seed=3)


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(0).integers(0, 256, (14, 14), dtype=np.uint8)


# ------------------------------------------------------------------ confusion matrix


def test_confusion_matrix_hand_checked():
    # truth 0 0 1 1 1 2, predicted 0 1 1 1 2 0:
    #   true 0 -> predicted 0 once, 1 once; true 1 -> 1 twice, 2 once; true 2 -> 0 once.
    matrix = inspect.confusion_matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 0])
    assert matrix.tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    assert inspect.confusion_matrix([1], [1], num_classes=4).shape == (4, 4)


@given(st.integers(1, 6), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)),
                                   min_size=1, max_size=60))
def test_confusion_matrix_equals_tensorflow(extra, pairs):
    truth, predicted = map(np.array, zip(*pairs, strict=True))
    classes = int(max(truth.max(), predicted.max())) + extra
    expected = tf.math.confusion_matrix(truth, predicted, num_classes=classes).numpy()
    np.testing.assert_array_equal(inspect.confusion_matrix(truth, predicted, classes),
                                  expected)


@pytest.mark.parametrize("args, message", [
    (([0, 1], [0]), "y_true and y_pred must have the same length, got 2 and 1"),
    (([0, 3], [0, 1], 3), "num_classes must exceed every label, got 3 with a label 3"),
    (([0, -1], [0, 1]), "y_true must hold labels >= 0, got -1"),
    (([0.5, 1], [0, 1]), "y_true must be a 1-D array of integer class labels"),
    ((["a"], [0]), "y_true must be an array of numbers"),
])
def test_confusion_matrix_bad_input(args, message):
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(")):
        inspect.confusion_matrix(*args)


def test_plot_confusion_matrix_writes_the_counts():
    matrix = np.array([[5, 1], [0, 7]])
    fig = inspect.plot_confusion_matrix(matrix, ["cat", "dog"])
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0", "1", "5", "7"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["cat", "dog"]
    with pytest.raises(ValueError, match="class_names must have 2 entries, got 3"):
        inspect.plot_confusion_matrix(matrix, ["a", "b", "c"])


# ------------------------------------------------------------------ mistakes


def test_confident_mistakes_hand_checked():
    probabilities = np.array([
        [0.90, 0.05, 0.05],    # 0: says 0, truth 0 -> right
        [0.10, 0.70, 0.20],    # 1: says 1 (0.70), truth 0 -> mistake
        [0.05, 0.05, 0.90],    # 2: says 2 (0.90), truth 1 -> mistake, most confident
        [0.40, 0.35, 0.25],    # 3: says 0 (0.40), truth 2 -> mistake, least confident
        [0.20, 0.20, 0.60],    # 4: says 2, truth 2 -> right
    ])
    truth = [0, 0, 1, 2, 2]
    assert inspect.confident_mistakes(probabilities, truth).tolist() == [2, 1, 3]
    assert inspect.confident_mistakes(probabilities, truth, count=2).tolist() == [2, 1]
    assert inspect.confident_mistakes(probabilities[[0, 4]], [0, 2]).tolist() == []


def test_plot_mistakes_titles_name_truth_and_guess():
    images = np.zeros((3, 5, 5, 1))
    probabilities = np.array([[0.2, 0.8], [0.9, 0.1], [0.6, 0.4]])
    fig = inspect.plot_mistakes(images, probabilities, [0, 0, 1], ["cat", "dog"])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["true: cat\nsaid: dog (80%)", "true: dog\nsaid: cat (60%)"]


# ------------------------------------------------------------------ shift test


@given(st.integers(-5, 5), st.integers(-5, 5), st.booleans())
def test_shifted_equals_scipy(rows, cols, channels):
    images = np.random.default_rng((rows + 5) * 11 + cols + 5).integers(
        1, 256, (2, 8, 9, 3) if channels else (2, 8, 9), dtype=np.uint8)
    offset = (0, rows, cols, 0) if channels else (0, rows, cols)
    expected = scipy.ndimage.shift(images, offset, order=0, mode="constant", cval=0)
    np.testing.assert_array_equal(inspect.shifted(images, rows, cols), expected)


def test_shifted_bad_arguments():
    with pytest.raises(ValueError, match="cols must lie between -8 and 8, got 9"):
        inspect.shifted(np.zeros((1, 9, 9)), cols=9)
    with pytest.raises(TypeError, match="rows must be an integer, got 1.5"):
        inspect.shifted(np.zeros((1, 9, 9)), rows=1.5)
    with pytest.raises(ValueError, match=r"images must be \(N, H, W\)"):
        inspect.shifted(np.zeros((9, 9)), rows=1)


def test_shift_test_evaluates_every_model_on_every_shift(model, image):
    x = np.stack([image, image.T, 255 - image])
    y = np.array([0, 1, 2])
    results = inspect.shift_test({"a": model, "b": model}, x, y, shifts=(0, 2),
                                 direction="diagonal")
    for shift, accuracy in zip((0, 2), results["a"], strict=True):
        moved = inspect.shifted(x, shift, shift)
        expected = np.mean(model.predict(moved, verbose=0).argmax(axis=1) == y)
        assert accuracy == pytest.approx(expected)
    assert results["a"] == results["b"]
    with pytest.raises(ValueError, match="direction must be one of"):
        inspect.shift_test({"a": model}, x, y, direction="up")


# ------------------------------------------------------------------ filters and maps


def test_first_layer_filters_are_the_conv1_kernel(model):
    kernel = inspect.first_layer_filters(model)
    np.testing.assert_array_equal(kernel, model.get_layer("conv1").kernel.numpy())
    fig = inspect.plot_filters(model)
    assert len([ax for ax in fig.axes if ax.get_images()]) == 4
    limits = {ax.get_images()[0].get_clim() for ax in fig.axes if ax.get_images()}
    assert len(limits) == 1 and limits.pop() == pytest.approx(
        (-np.abs(kernel).max(), np.abs(kernel).max()))
    with pytest.raises(ValueError, match="channel must lie in 0–0"):
        inspect.plot_filters(model, channel=1)


def test_feature_maps_equal_tensorflow_ops(model, image):
    """Oracle: the layers' weights applied with tf.nn, step by step."""
    maps = inspect.feature_maps(model, image)
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
    np.testing.assert_array_equal(inspect.feature_maps(model, image[..., None])["pool2"],
                                  maps["pool2"])


def test_feature_maps_bad_image(model):
    with pytest.raises(ValueError, match=r"image must have the model's input shape "
                                         r"\(14, 14, 1\).*got shape \(28, 28\)"):
        inspect.feature_maps(model, np.zeros((28, 28)))
    with pytest.raises(TypeError, match="model must be a Keras model"):
        inspect.feature_maps("model", np.zeros((14, 14)))


def test_plot_feature_maps_one_row_per_layer(model, image):
    fig = inspect.plot_feature_maps(model, image, channels=5)
    assert len(fig.axes) == 4 * 5
    assert fig.axes[5].get_title() == "pool1 · 0"
    assert fig.axes[4].get_title() == ""          # conv1 has only 4 channels


def test_plot_history_draws_training_and_validation():
    history = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8], "val_loss": [1.1, 0.7],
               "val_accuracy": [0.4, 0.7]}
    fig = inspect.plot_history(history)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), [0.4, 0.7])
    with pytest.raises(TypeError, match="history must be a Keras History"):
        inspect.plot_history([1, 2])
