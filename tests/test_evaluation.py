"""cnnlab.evaluation: the numbers against TensorFlow, SciPy and Keras' own evaluate."""

import numpy as np
import pytest
import scipy.ndimage
import small_cnn
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import evaluation
from cnnlab._tf import import_tensorflow

tf = import_tensorflow()
model = pytest.fixture(small_cnn.model)
image = pytest.fixture(small_cnn.image)


# ------------------------------------------------------------------ confusion matrix


def test_confusion_matrix_hand_checked():
    # truth 0 0 1 1 1 2, predicted 0 1 1 1 2 0:
    #   true 0 -> predicted 0 once, 1 once; true 1 -> 1 twice, 2 once; true 2 -> 0 once.
    matrix = evaluation.confusion_matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 0])
    assert matrix.tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    assert evaluation.confusion_matrix([1], [1], num_classes=4).shape == (4, 4)


@given(st.integers(1, 6), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)),
                                   min_size=1, max_size=60))
def test_confusion_matrix_equals_tensorflow(extra, pairs):
    truth, predicted = map(np.array, zip(*pairs, strict=True))
    classes = int(max(truth.max(), predicted.max())) + extra
    expected = tf.math.confusion_matrix(truth, predicted, num_classes=classes).numpy()
    np.testing.assert_array_equal(evaluation.confusion_matrix(truth, predicted, classes),
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
        evaluation.confusion_matrix(*args)


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
    assert evaluation.confident_mistakes(probabilities, truth).tolist() == [2, 1, 3]
    assert evaluation.confident_mistakes(probabilities, truth, count=2).tolist() == [2, 1]
    assert evaluation.confident_mistakes(probabilities[[0, 4]], [0, 2]).tolist() == []


# ------------------------------------------------------------------ shift test


@given(st.integers(-5, 5), st.integers(-5, 5), st.booleans())
def test_shifted_equals_scipy(rows, cols, channels):
    images = np.random.default_rng((rows + 5) * 11 + cols + 5).integers(
        1, 256, (2, 8, 9, 3) if channels else (2, 8, 9), dtype=np.uint8)
    offset = (0, rows, cols, 0) if channels else (0, rows, cols)
    expected = scipy.ndimage.shift(images, offset, order=0, mode="constant", cval=0)
    np.testing.assert_array_equal(evaluation.shifted(images, rows, cols), expected)


def test_shifted_bad_arguments():
    with pytest.raises(ValueError, match="cols must lie between -8 and 8, got 9"):
        evaluation.shifted(np.zeros((1, 9, 9)), cols=9)
    with pytest.raises(TypeError, match="rows must be an integer, got 1.5"):
        evaluation.shifted(np.zeros((1, 9, 9)), rows=1.5)
    with pytest.raises(ValueError, match=r"images must be \(N, H, W\)"):
        evaluation.shifted(np.zeros((9, 9)), rows=1)


def test_shift_test_evaluates_every_model_on_every_shift(model, image):
    x = np.stack([image, image.T, 255 - image])
    y = np.array([0, 1, 2])
    results = evaluation.shift_test({"a": model, "b": model}, x, y, shifts=(0, 2),
                                 direction="diagonal")
    for shift, accuracy in zip((0, 2), results["a"], strict=True):
        moved = evaluation.shifted(x, shift, shift)
        expected = np.mean(model.predict(moved, verbose=0).argmax(axis=1) == y)
        assert accuracy == pytest.approx(expected)
    assert results["a"] == results["b"]
    with pytest.raises(ValueError, match="direction must be one of"):
        evaluation.shift_test({"a": model}, x, y, direction="up")


# ------------------------------------------------------------------ most confused


def test_most_confused_reads_the_largest_mistakes_off_the_matrix():
    # truth/prediction pairs, counted by TensorFlow: 2 → 0 three times, 0 → 1 twice,
    # 1 → 2 once; the right answers (diagonal) are more frequent but never reported.
    truth = [2, 2, 2, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1]
    predicted = [0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1, 1, 1, 1]
    matrix = tf.math.confusion_matrix(truth, predicted, num_classes=3).numpy()
    assert evaluation.most_confused(matrix) == [(2, 0, 3), (0, 1, 2), (1, 2, 1)]
    assert evaluation.most_confused(matrix, count=1) == [(2, 0, 3)]
    assert evaluation.most_confused(np.eye(3, dtype=int) * 5) == []
    with pytest.raises(ValueError, match=r"matrix must be square, got shape \(2, 3\)"):
        evaluation.most_confused(np.zeros((2, 3)))


def test_shift_table_rows_and_columns():
    table = evaluation.shift_table({"CNN": [0.891, 0.6049], "a longer name": [0.5, 0.25]},
                                   shifts=(0, 3))
    assert table.splitlines() == ["shift (px)        0     3",
                                  "CNN            0.89  0.60",
                                  "a longer name  0.50  0.25"]
    with pytest.raises(ValueError, match=r"results\['CNN'\] must hold one accuracy per "
                                         r"shift \(3\), got 2"):
        evaluation.shift_table({"CNN": [0.9, 0.8]}, shifts=(0, 1, 2))
