"""Notebooks 01 and 02's exercises: the reference answer (computed by TensorFlow/Keras here)
passes, each typical wrong answer gets its own explanation, and a blank gets a neutral
prompt."""

import numpy as np
import pytest
import tf_oracle

from cnnlab import images, kernels
from cnnlab.exercises import BLANK_PROMPT
from cnnlab.exercises import convolution as conv_ex
from cnnlab.exercises import rgb_channels as rgb_ex

tf = tf_oracle.tf


def tf_map(image, kernel):
    """tf.nn.conv2d of a 2-D image with a 2-D kernel, 'valid', as a 2-D array."""
    image, kernel = np.asarray(image, np.float32), np.asarray(kernel, np.float32)
    return tf_oracle.conv2d(image[None, :, :, None], kernel[:, :, None, None], (1, 1),
                            "valid", (1, 1))[0, :, :, 0]


def keras_params(layer, input_shape):
    layer.build(input_shape)
    return layer.count_params()


REFERENCE = [
    (rgb_ex.gray_pixel, lambda: float(tf.image.rgb_to_grayscale(
        tf.constant([[[200.0, 100.0, 50.0]]]))[0, 0, 0])),
    (rgb_ex.small_dense, lambda: keras_params(tf.keras.layers.Dense(32), (None, 64 * 64 * 3))),
    (rgb_ex.to_bgr, lambda: lambda image: tf.reverse(image, axis=[-1]).numpy()),  # a function
    (conv_ex.one_step, lambda: float(tf_map(conv_ex.PATCH, conv_ex.KERNEL)[0, 0])),
    (conv_ex.edge_direction, lambda: float(tf_map(conv_ex.HORIZONTAL,
                                                  kernels.get("sobel_x")).max())),
    (conv_ex.conv_parameters, lambda: keras_params(tf.keras.layers.Conv2D(10, 5),
                                                   (None, 32, 32, 3))),
]


@pytest.mark.parametrize("question,oracle", REFERENCE, ids=[repr(q)[:40] for q, _ in REFERENCE])
def test_reference_answer_from_tensorflow_passes(question, oracle):
    correct, message = question.feedback(oracle())
    assert correct, message


HORIZONTAL_KERNELS = [np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]), [[-1], [1]],
                      [[1, 1, 1], [0, 0, 0], [-1, -1, -1]], np.ones((2, 5)) * [[2], [-2]]]


@pytest.mark.parametrize("kernel", HORIZONTAL_KERNELS, ids=range(len(HORIZONTAL_KERNELS)))
def test_horizontal_edge_kernels_that_tensorflow_confirms_pass(kernel):
    maps = {name: tf_map(image, kernel) for name, image in conv_ex.TEST_IMAGES.items()}
    assert np.abs(maps["horizontal edge"]).max() > 1            # TF: it finds the edge …
    assert np.abs(maps["vertical edge"]).max() < 1e-3          # … and not the others
    assert np.abs(maps["flat"]).max() < 1e-3
    assert conv_ex.horizontal_kernel.feedback(kernel) == (True, "")


@pytest.mark.parametrize("kernel,words", [
    (kernels.get("sobel_x"), "finds vertical edges"),
    (kernels.get("laplacian"), "responds to vertical edges too"),
    (kernels.get("box_blur"), "do not add up to 0"),
    (np.zeros((3, 3)), "finds nothing"),
    ("sobel_y", "a kernel's name is not enough"),
    ([[1, 0], [1]], "every row as long as the others"),
    (np.ones((9, 9)), "at most 7×7"),
])
def test_wrong_kernels_get_their_explanation(kernel, words):
    correct, message = conv_ex.horizontal_kernel.feedback(kernel)
    assert not correct
    assert words in message


def test_to_bgr_accepts_the_converted_cat_or_a_function():
    cat = tf.constant(images.sample("cat"))
    assert rgb_ex.to_bgr.feedback(tf.reverse(cat, axis=[-1]).numpy()) == (True, "")
    assert rgb_ex.to_bgr.feedback(images.sample("cat")[..., [2, 1, 0]]) == (True, "")


@pytest.mark.parametrize("convert", [False, True], ids=["function", "array"])
def test_to_bgr_mistakes_get_their_explanation(convert):
    cases = [(lambda image: image, "unchanged"),
             (lambda image: image[::-1], "upside down"),
             (lambda image: image[:, ::-1], "left–right"),
             (lambda image: image[..., :2], "keep the photo's shape"),
             (lambda image: image[..., [2, 0, 1]], "red must move to the last place")]
    if not convert:
        cases.append((lambda image: image[..., 5], "raises an error"))
    messages = []
    for function, words in cases:
        answer = function(images.sample("cat")) if convert else function
        correct, message = rgb_ex.to_bgr.feedback(answer)
        assert not correct and words in message, (words, message)
        messages.append(message)
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize("question,wrong,words", [
    (rgb_ex.gray_pixel, 117, "plain average"),
    (rgb_ex.gray_pixel, 96, "swapped"),
    (rgb_ex.gray_pixel, 350, "sum R + G + B"),
    (rgb_ex.small_dense, 64 * 64 * 3 * 32, "bias"),
    (rgb_ex.small_dense, 64 * 64 * 32 + 32, "three channels"),
    (rgb_ex.small_dense, 64 * 64 * 3 + 32, "every input number"),
    (conv_ex.one_step, 2, "flipped the kernel"),
    (conv_ex.one_step, 19, "sum of the patch"),
    (conv_ex.edge_direction, 120, "sobel_y"),
    (conv_ex.edge_direction, 30, "jump in brightness"),
    (conv_ex.conv_parameters, 750, "bias"),
    (conv_ex.conv_parameters, 260, "all 3 input channels"),
    (conv_ex.conv_parameters, 76, "one filter"),
    (conv_ex.conv_parameters, 280, "5×5 here"),
])
def test_typical_mistakes_get_their_explanation(question, wrong, words):
    correct, message = question.feedback(wrong)
    assert not correct
    assert words in message


def test_the_flipped_kernel_answer_is_what_scipy_and_tensorflow_show():
    scipy_signal = pytest.importorskip("scipy.signal")
    image = np.arange(30.0).reshape(5, 6) ** 1.5
    sobel_x = kernels.get("sobel_x")
    keras_like = tf_map(image, sobel_x)
    textbook = scipy_signal.convolve2d(image, sobel_x, mode="valid")
    assert not np.allclose(textbook, keras_like)                      # they differ …
    np.testing.assert_allclose(textbook, tf_map(image, np.flip(sobel_x)), rtol=1e-5)  # by a flip
    assert conv_ex.flipped_kernel.feedback("the kernel is flipped") == (True, "")


@pytest.mark.parametrize("question", [rgb_ex.red_off, rgb_ex.shifted_cat,
                                      conv_ex.flipped_kernel])
def test_every_wrong_option_has_its_own_explanation(question):
    wrong = [o for o in question.options if o != question.answer]
    messages = [question.feedback(o) for o in wrong]
    assert all(not correct for correct, _ in messages)
    assert len({m for _, m in messages}) == len(wrong)
    assert question.feedback(question.answer) == (True, "")


def test_the_red_off_prediction_matches_the_fur():
    fur = np.array([122, 97, 43]) * [0, 1, 1]            # the explorer's pixel, red off
    assert fur[1] > fur[2] > fur[0] == 0                 # more green than blue: dark green
    assert rgb_ex.red_off.feedback("dark green") == (True, "")


KINDS = {rgb_ex: {"predict", "compute", "code", "explain"},
         conv_ex: {"predict", "compute", "code", "explain"}}


@pytest.mark.parametrize("module", KINDS, ids=["01", "02"])
def test_each_notebook_asks_at_least_four_questions_of_several_kinds(module, capsys):
    questions = [getattr(module, name) for name in module.__all__
                 if hasattr(getattr(module, name), "check")]
    assert len(questions) >= 4
    assert {q.kind for q in questions} == KINDS[module]
    for q in questions:
        if q.kind == "predict":
            assert q.then
        q.check(None)
        assert capsys.readouterr().out.strip() == BLANK_PROMPT
