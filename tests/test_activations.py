"""cnnlab.diagrams.activations: the drawn curves and bars equal Keras' own functions."""

import numpy as np
import pytest

from cnnlab._tf import import_keras
from cnnlab.diagrams import activations
from cnnlab.figures import description_of

keras = import_keras()


def test_relu_curve_is_keras_relu():
    line = activations.relu(limit=2.5).axes[0].lines[0]
    x = np.asarray(line.get_xdata(), dtype=np.float32)
    assert x.min() == -2.5 and x.max() == 2.5 and (x < 0).any() and (x > 0).any()
    expected = np.asarray(keras.activations.relu(x))
    np.testing.assert_allclose(line.get_ydata(), expected, atol=1e-6)


@pytest.mark.parametrize("scores", [[2.0, 1.0, 0.1], [-3.0, 0.0, 4.0, 4.0], [50.0, -50.0]])
def test_softmax_bars_are_keras_softmax(scores):
    fig = activations.softmax(scores)
    left, right = fig.axes
    assert [bar.get_height() for bar in left.patches] == scores
    expected = np.asarray(keras.activations.softmax(np.asarray([scores], np.float32)))[0]
    np.testing.assert_allclose([bar.get_height() for bar in right.patches], expected,
                               atol=1e-6)
    # The description states the probabilities the bars show.
    for p in expected:
        assert f"→ {p:.2f}" in description_of(fig)


def test_cross_entropy_curve_and_marks_are_keras_loss():
    fig = activations.cross_entropy(marks=(0.9, 0.1))
    ax = fig.axes[0]
    curve = ax.lines[0]
    p = np.asarray(curve.get_xdata(), dtype=np.float32)
    # Two classes, the true one (label 0) given probability p.
    predictions = np.stack([p, 1 - p], axis=1)
    expected = np.asarray(keras.losses.sparse_categorical_crossentropy(
        np.zeros(len(p)), predictions))
    np.testing.assert_allclose(curve.get_ydata(), expected, rtol=1e-5, atol=1e-6)
    assert [t.get_text() for t in ax.texts] == ["p = 0.9: loss 0.11", "p = 0.1: loss 2.30"]
    assert "0.1 costs 2.30" in description_of(fig)


def test_every_diagram_is_described():
    for fig in (activations.relu(), activations.softmax(), activations.cross_entropy()):
        assert description_of(fig) and "Figure" not in description_of(fig)


@pytest.mark.parametrize("call, message", [
    (lambda: activations.softmax([1.0]), "scores must be a 1-D sequence of at least 2"),
    (lambda: activations.softmax([1.0, np.inf]), "scores must be finite"),
    (lambda: activations.softmax([1.0, 2.0], ["a"]), "class_names must have one name per"),
    (lambda: activations.cross_entropy(marks=(0.0,)), r"marks must be probabilities in \(0, 1\]"),
    (lambda: activations.relu(limit=0), "limit must be a number > 0, got 0"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_softmax_description_states_the_ratio_keras_gives():
    # Scores one apart: Keras' probabilities are e ≈ 2.7 times apart, as the text says.
    p = np.asarray(keras.activations.softmax(np.array([[1.0, 0.0]], np.float32)))[0]
    assert p[0] / p[1] == pytest.approx(np.e, rel=1e-5)
    assert "e ≈ 2.7 times the probability" in description_of(activations.softmax([1.0, 0.0]))
