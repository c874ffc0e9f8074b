"""Notebook 06's exercises: reference answers computed by Keras pass, typical mistakes teach."""

import numpy as np
import pytest

from cnnlab._tf import import_keras
from cnnlab.exercises import classification as ex

keras = import_keras()
layers = keras.layers


def _params(*stack, input_shape):
    model = keras.Sequential([keras.Input(input_shape), *stack])
    return model.layers[-1].count_params()


@pytest.mark.parametrize("question, oracle", [
    (ex.pooled_shape, lambda: tuple(keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(16, 3, padding="same"),
        layers.MaxPooling2D(2)]).output_shape[1:])),
    (ex.conv_parameters, lambda: _params(layers.Conv2D(64, 3), input_shape=(7, 7, 32))),
    (ex.dense_parameters, lambda: _params(layers.Flatten(), layers.Dense(10),
                                          input_shape=(7, 7, 32))),
    (ex.average_dense_parameters, lambda: _params(layers.GlobalAveragePooling2D(),
                                                  layers.Dense(10), input_shape=(7, 7, 32))),
])
def test_reference_answer_from_keras_passes(question, oracle):
    expected = oracle()
    assert question.feedback(expected)[0], expected
    assert np.array_equal(np.asarray(question.answer), np.asarray(expected))


@pytest.mark.parametrize("question, wrong, words", [
    (ex.conv_parameters, 3 * 3 * 32 * 64, "bias"),
    (ex.conv_parameters, (3 * 3 + 1) * 64, "all 32 input channels"),
    (ex.conv_parameters, (3 * 3 * 32 + 1) * 64 * 49, "every position"),
    (ex.average_dense_parameters, (7 * 7 * 32 + 1) * 10, "That is flatten"),
    (ex.average_dense_parameters, 320, "bias"),
    (ex.average_dense_parameters, 500, "32 inputs, not 49"),
    (ex.average_tradeoff, "parameters", "far fewer weights"),
    (ex.average_tradeoff, "blur", "not blurred"),
    (ex.average_tradeoff, "test", "moves only the test images"),
    (ex.shift_robust, "cnn", "one weight per pixel"),
])
def test_typical_mistakes_get_their_explanation(question, wrong, words):
    correct, message = question.feedback(wrong)
    assert not correct
    assert words in message


def test_choice_answers():
    assert ex.average_tradeoff.feedback("position")[0]
    assert ex.shift_robust.feedback("dense")[0]
