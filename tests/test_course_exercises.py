"""Notebooks 01–02's exercises: the reference answer (computed by TensorFlow here) passes,
and each typical wrong answer gets the message that explains that mistake.
(Notebooks 03–05: tests/test_exercises_0305.py.)"""

import numpy as np
import pytest
import tf_oracle

from cnnlab.exercises import convolution, rgb_channels

tf = tf_oracle.tf


def tf_out_width(n, k, stride=1, padding="valid", dilation_rate=1):
    zeros = np.zeros((1, 1, n, 1), np.float32)
    kernel = np.ones((1, k, 1, 1), np.float32)
    pad = padding if isinstance(padding, str) else ((0, 0), (padding, padding))
    return tf_oracle.conv2d(zeros, kernel, (1, stride), pad, (1, dilation_rate)).shape[2]


def feedback(question, answer):
    return question.feedback(answer)


def tf_dense_parameters():
    layer = tf.keras.layers.Dense(100)
    layer.build((None, 224 * 224 * 3))
    return layer.count_params()


def tf_conv_parameters():
    layer = tf.keras.layers.Conv2D(16, 3)
    layer.build((None, 32, 32, 3))
    return layer.count_params()


REFERENCE = [
    (rgb_channels.intensity_count, lambda: int(np.zeros((224, 224, 3)).size)),
    (rgb_channels.dense_parameters, tf_dense_parameters),
    (convolution.one_step, lambda: float(tf_oracle.conv2d(
        convolution.PATCH[None, :, :, None], convolution.KERNEL[:, :, None, None], (1, 1),
        "valid", (1, 1))[0, 0, 0, 0])),
    (convolution.valid_size, lambda: tf_out_width(32, 5)),
    (convolution.conv_parameters, tf_conv_parameters),
]


@pytest.mark.parametrize("question,oracle", REFERENCE, ids=[repr(q)[:40] for q, _ in REFERENCE])
def test_reference_answer_from_tensorflow_passes(question, oracle):
    correct, message = feedback(question, oracle())
    assert correct, message


@pytest.mark.parametrize("question,wrong,words", [
    (rgb_channels.mixed_colour, "white", "blue is 0"),
    (rgb_channels.dense_parameters, 224 * 224 * 3 * 100, "bias"),
    (rgb_channels.intensity_count, 224 * 224, "three matrices"),
    (convolution.one_step, 2, "flipped the kernel"),
    (convolution.vertical_edges, "sobel_y", "horizontal edges"),
    (convolution.valid_size, 27, "Off by one"),
    (convolution.conv_parameters, 160, "all 3 input channels"),
])
def test_typical_mistakes_get_their_explanation(question, wrong, words):
    correct, message = feedback(question, wrong)
    assert not correct
    assert words in message
