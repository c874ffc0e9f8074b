"""Notebooks 01–05's exercises: the reference answer (computed by TensorFlow here) passes,
and each typical wrong answer gets the message that explains that mistake."""

import numpy as np
import pytest
import tf_oracle

from cnnlab.exercises import dilation, padding_stride, pooling

tf = tf_oracle.tf


def tf_out_width(n, k, stride=1, padding="valid", dilation_rate=1):
    zeros = np.zeros((1, 1, n, 1), np.float32)
    kernel = np.ones((1, k, 1, 1), np.float32)
    pad = padding if isinstance(padding, str) else ((0, 0), (padding, padding))
    return tf_oracle.conv2d(zeros, kernel, (1, stride), pad, (1, dilation_rate)).shape[2]


def feedback(question, answer):
    return question.feedback(answer)


REFERENCE = [
    (padding_stride.strided_size, lambda: tf_out_width(28, 3, 2, 1)),
    (padding_stride.same_strided_size, lambda: tf_out_width(10, 3, 3, "same")),
    (pooling.max_pool, lambda: tf_oracle.pool2d(pooling.FEATURE_MAP[None, :, :, None],
                                                (2, 2), (2, 2), "valid", "max")[0, :, :, 0]),
    (pooling.padded_average, lambda: float(tf_oracle.pool2d(
        pooling.SMALL_MAP[None, :, :, None], (2, 2), (2, 2), "same", "avg")[0, 1, 1, 0])),
    (pooling.pooled_size, lambda: int(np.prod(tf.keras.layers.MaxPooling2D(2)(
        np.zeros((1, 28, 28, 32), np.float32)).shape))),
    (dilation.dilated_size, lambda: tf_out_width(32, 3, dilation_rate=2)),
]


@pytest.mark.parametrize("question,oracle", REFERENCE, ids=[repr(q)[:40] for q, _ in REFERENCE])
def test_reference_answer_from_tensorflow_passes(question, oracle):
    correct, message = feedback(question, oracle())
    assert correct, message


def test_same_split_against_tensorflow():
    """TF 'SAME' equals explicit (1, 2) padding, and the checker accepts exactly that."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (1, 1, 10, 1)).astype(np.float32)
    k = rng.uniform(-1, 1, (1, 4, 1, 1)).astype(np.float32)
    same = tf_oracle.conv2d(x, k, (1, 1), "same", (1, 1))
    for before in range(4):
        pair = (before, 3 - before)
        explicit = tf_oracle.conv2d(x, k, (1, 1), ((0, 0), pair), (1, 1))
        assert feedback(padding_stride.same_split, pair)[0] == np.allclose(explicit, same)


def test_receptive_field_and_effective_size_answers():
    # effective size: TF's output shrinks by k' - 1 under 'valid' padding
    assert feedback(dilation.effective_size, 20 - tf_out_width(20, 3, dilation_rate=3) + 1)[0]
    assert feedback(dilation.stacked_field, 15)[0]  # checked against TF gradients in test_ops


@pytest.mark.parametrize("question,wrong,words", [
    (padding_stride.strided_size, 13, "Forgot the + 1"),
    (padding_stride.strided_size, 27, "Divide by the stride"),
    (padding_stride.same_split, (2, 1), "odd extra cell at the end"),
    (padding_stride.same_split, (1.5, 1.5), "Half cells"),
    (padding_stride.same_split, [1, 2], "pair"),
    (padding_stride.same_strided_size, 3, "rounds up"),
    (pooling.max_pool, pooling.FEATURE_MAP.reshape(2, 2, 2, 2).mean(axis=(1, 3)), "averages"),
    (pooling.max_pool, [[1, 2], [3, 1]], "top-left"),
    (pooling.max_pool, np.zeros((3, 3)), "shape (2, 2)"),
    (pooling.padded_average, 2.0, "counted the three padding cells"),
    (pooling.pooled_size, 196, "each of the 32 channels"),
    (dilation.effective_size, 9, "k′ = k + (k − 1)(d − 1)"),
    (dilation.dilated_size, 30, "ignores the dilation"),
    (dilation.stacked_field, 7, "three plain 3×3 layers"),
])
def test_typical_mistakes_get_their_explanation(question, wrong, words):
    correct, message = feedback(question, wrong)
    assert not correct
    assert words in message
