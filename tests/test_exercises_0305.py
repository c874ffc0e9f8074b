"""Notebooks 03–05's exercises: each reference answer is computed here by TensorFlow/Keras
and passes; each typical wrong answer gets the message that explains that mistake."""

import numpy as np
import pytest
import tf_oracle

from cnnlab import images, kernels, ops
from cnnlab.diagrams import geometry
from cnnlab.exercises import BLANK_PROMPT, dilation, padding_stride, pooling

tf = tf_oracle.tf
keras = tf.keras
L = keras.layers


def keras_width(layers, n, channels=1):
    """Output width of Keras ``layers`` on an n×n input."""
    model = keras.Sequential([keras.Input((n, n, channels)), *layers])
    return model.output_shape[2]


def passes(question, answer):
    correct, message = question.feedback(answer)
    assert correct, message


def says(question, wrong, words):
    correct, message = question.feedback(wrong)
    assert not correct
    assert words in message, message


def explained_differently(question, wrong_answers):
    """Every typical wrong answer has a message of its own."""
    messages = [question.feedback(wrong)[1] for wrong in wrong_answers]
    assert len(set(messages)) == len(messages), messages


@pytest.mark.parametrize("question", [padding_stride.strided_size, padding_stride.same_pair,
                                      padding_stride.halving_layer, pooling.max_pool,
                                      pooling.bigger_pool, dilation.field_stack,
                                      dilation.why_gridding])
def test_a_blank_gets_the_neutral_prompt(question, capsys):
    question.check(None)
    assert capsys.readouterr().out.strip() == BLANK_PROMPT


def test_every_notebook_asks_four_questions_of_at_least_two_kinds():
    for module in (padding_stride, pooling, dilation):
        questions = [q for q in vars(module).values() if hasattr(q, "kind")
                     and hasattr(q, "check")]
        assert len(questions) >= 4, module.__name__
        assert len({q.kind for q in questions}) >= 2, module.__name__


# ------------------------------------------------------------------------- notebook 03


def test_strided_size():
    passes(padding_stride.strided_size,
           keras_width([L.ZeroPadding2D(3), L.Conv2D(1, 7, strides=2)], 58))
    for wrong, words in [(28, "Forgot the + 1"), (26, "leaves out the padding"),
                         (30, "Round down"), (58, "stride 1")]:
        says(padding_stride.strided_size, wrong, words)


def test_same_pair_is_the_padding_that_reproduces_tensorflow():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 1, 12, 1)).astype(np.float32)
    k = rng.normal(size=(1, 3, 1, 1)).astype(np.float32)
    same = tf_oracle.conv2d(x, k, (1, 2), "same", (1, 1))
    matching = [(b, a) for b in range(3) for a in range(3)
                if tf_oracle.conv2d(x, k, (1, 2), ((0, 0), (b, a)), (1, 1)).shape == same.shape
                and np.allclose(tf_oracle.conv2d(x, k, (1, 2), ((0, 0), (b, a)), (1, 1)), same)]
    # 'same' adds the least padding that gives TF's output: (0, 2) matches too, wastefully
    passes(padding_stride.same_pair, min(matching, key=sum))
    for wrong, words in [((1, 1), "stride 1's"), ((1, 0), "wrong side"), ((0, 0), "one more"),
                         ([0, 1], "pair")]:
        says(padding_stride.same_pair, wrong, words)


def test_same_pair_says_how_to_check(capsys):
    padding_stride.same_pair.check((1, 1))
    assert "Now see for yourself: run ops.same_padding(12, 3, stride=2)" in capsys.readouterr().out


def test_skipped_pixels_are_those_with_no_gradient():
    x = tf.ones((1, 9, 9, 1))
    layer = L.Conv2D(1, 3, strides=4, kernel_initializer="ones")
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    unread = int(np.sum(tape.gradient(total, x).numpy() == 0))
    passes(padding_stride.skipped_pixels, unread)
    for wrong, words in [(0, "4 apart"), (27, "unread rows only"), (54, "twice")]:
        says(padding_stride.skipped_pixels, wrong, words)


def test_halving_layer_is_judged_by_keras_shapes():
    reference = eval(padding_stride.halving_layer.answer, {"keras": keras})  # noqa: S307
    assert keras_width([reference], 64, channels=3) == 32
    passes(padding_stride.halving_layer, reference)
    passes(padding_stride.halving_layer, L.Conv2D(3, 5, strides=2, padding="same"))
    cases = [(L.Conv2D(8, 5, padding="same"), "keeps the size"),
             (L.Conv2D(8, 5, strides=2), "floor((64 − 5) / 2) + 1 = 30"),
             (L.Conv2D(8, 5), "64 − 5 + 1 = 60"),
             (L.Conv2D(8, 3, strides=2, padding="same"), "Keep the 5×5 kernel"),
             (L.Dense(8), "not a Keras convolution layer"),
             ("Conv2D(8, 5)", "not a Keras convolution layer")]
    for wrong, words in cases:
        says(padding_stride.halving_layer, wrong, words)
    explained_differently(padding_stride.halving_layer, [wrong for wrong, _ in cases[:5]])


def test_why_strided_a_quarter_of_the_work_by_keras_shapes():
    photo = (1, 224, 224, 3)
    outputs = [np.prod(L.Conv2D(64, 7, strides=s, padding="same").compute_output_shape(photo))
               for s in (1, 2)]
    assert outputs[0] == 4 * outputs[1]          # the claim that makes "a" right
    passes(padding_stride.why_strided, "a")
    explained_differently(padding_stride.why_strided, ["b", "c", "d"])
    says(padding_stride.why_strided, "e", "choose one of")


# ------------------------------------------------------------------------- notebook 04


def test_max_pool():
    passes(pooling.max_pool, tf_oracle.pool2d(pooling.FEATURE_MAP[None, :, :, None], (2, 2),
                                              (2, 2), "valid", "max")[0, :, :, 0])
    says(pooling.max_pool, pooling.FEATURE_MAP.reshape(2, 2, 2, 2).mean(axis=(1, 3)),
         "averages")
    says(pooling.max_pool, [[1, 2], [3, 1]], "top-left")
    says(pooling.max_pool, np.zeros((3, 3)), "shape (2, 2)")


def test_padded_average_keras_divides_by_real_cells():
    x = pooling.SMALL_MAP[None, :, :, None].astype(np.float32)
    keras_value = float(L.AveragePooling2D(2, padding="same")(x)[0, 1, 0, 0])
    passes(pooling.padded_average, keras_value)
    # PyTorch's count_include_pad=True: the zero-padded window's sum over all 4 cells
    include_pad = float(tf_oracle.conv2d(x, np.full((2, 2, 1, 1), 0.25), (2, 2), "same",
                                         (1, 1))[0, 1, 0, 0])
    says(pooling.padded_average, include_pad, "count_include_pad=True")
    says(pooling.padded_average, 11.0, "sum of the window")
    says(pooling.padded_average, 8.0, "maximum")


def test_conv_relu_pool_is_judged_by_the_built_stack():
    reference = eval(pooling.conv_relu_pool.answer, {"keras": keras})  # noqa: S307
    passes(pooling.conv_relu_pool, reference)
    passes(pooling.conv_relu_pool, [L.Conv2D(8, 3, padding="same", activation="relu"),
                                    L.AveragePooling2D(2)])
    cases = [([L.Conv2D(8, 3, padding="same"), L.MaxPooling2D(2)], "no ReLU"),
             ([L.Conv2D(8, 3, strides=2, padding="same", activation="relu")], "no pooling"),
             ([L.Conv2D(8, 3, activation="relu"), L.MaxPooling2D(2)], "shrinks 32 to 30"),
             ([L.Conv2D(8, 3, padding="same"), L.ReLU(),
               L.MaxPooling2D(2, strides=1, padding="same")], "did not shrink"),
             ([L.Conv2D(16, 3, padding="same"), L.ReLU(), L.MaxPooling2D(2)], "filters"),
             (L.Conv2D(8, 3), "list of Keras layers")]
    for wrong, words in cases:
        says(pooling.conv_relu_pool, wrong, words)


def _unchanged_fraction_tf(size):
    """Keras max pooling of the ReLU'd Sobel map of the cat, shifted by one pixel."""
    gray = images.to_grayscale(images.resize(images.sample("cat"), (120, 180)))
    stack = np.stack([gray, np.roll(gray, 1, axis=1)]).astype(np.float32)[..., None]
    edges = tf.nn.relu(tf_oracle.conv2d(stack, kernels.get("sobel_x")[:, :, None, None],
                                        (1, 1), "valid", (1, 1)))
    pooled = L.MaxPooling2D(size)(edges).numpy()[..., 0]
    inner = slice(2, -2)                                   # away from the wrapped column
    before, after = pooled[0][:, inner], pooled[1][:, inner]
    active = before > 0
    return np.isclose(before, after)[active].mean()


def test_bigger_pool_prediction_is_what_tensorflow_measures():
    assert _unchanged_fraction_tf(4) > _unchanged_fraction_tf(2)
    passes(pooling.bigger_pool, "higher")
    explained_differently(pooling.bigger_pool, ["the same", "lower"])


def test_why_relu_ten_linear_layers_are_one_21x21_convolution():
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(3, 3)) for _ in range(10)]
    model = keras.Sequential([keras.Input((30, 30, 1))]
                             + [L.Conv2D(1, 3, use_bias=False) for _ in weights])
    for layer, w in zip(model.layers, weights, strict=True):
        layer.set_weights([w[..., None, None]])
    combined = weights[0]
    for w in weights[1:]:
        combined = ops.stacked_kernel(combined, w)
    x = rng.normal(size=(30, 30))
    np.testing.assert_allclose(model(x[None, ..., None])[0, ..., 0], ops.conv2d(x, combined),
                               rtol=1e-3, atol=1e-3)
    assert combined.shape == (21, 21)
    passes(pooling.why_relu, "b")
    explained_differently(pooling.why_relu, ["a", "c", "d"])


# ------------------------------------------------------------------------- notebook 05


def test_effective_size_from_keras_output_width():
    out = keras_width([L.Conv2D(1, 5, dilation_rate=4)], 40)
    passes(dilation.effective_size, 40 - out + 1)
    for wrong, words in [(20, "one gap too many"), (13, "dilation 3"), (5, "spreads the taps")]:
        says(dilation.effective_size, wrong, words)


def test_pooled_field_measured_by_gradient():
    stack = [L.Conv2D(1, 3), L.MaxPooling2D(2), L.Conv2D(1, 3), L.Conv2D(1, 3),
             L.MaxPooling2D(2), L.Conv2D(1, 3)]
    passes(dilation.pooled_field, geometry.measured_footprint(stack).shape[0])
    for wrong, words in [(11, "multiply by the jump"), (9, "pooling windows read"),
                         (25, "not the strided layer itself")]:
        says(dilation.pooled_field, wrong, words)


def test_lattice_count_measured_by_gradient():
    reach = geometry.measured_footprint([L.Conv2D(1, 3, dilation_rate=3) for _ in range(2)])
    assert reach.shape == (13, 13)
    passes(dilation.lattice_count, int(reach.sum()))
    for wrong, words in [(169, "steps of 3"), (81, "land on the same pixel"),
                         (18, "combine")]:
        says(dilation.lattice_count, wrong, words)


def test_field_stack_is_measured_by_gradient():
    reference = eval(dilation.field_stack.answer, {"keras": keras})  # noqa: S307
    passes(dilation.field_stack, reference)
    passes(dilation.field_stack, [L.Conv2D(2, 3, dilation_rate=d) for d in (1, 3, 4)])
    cases = [([L.Conv2D(2, 3) for _ in range(3)], "reach only 7"),
             ([L.Conv2D(2, 3, dilation_rate=d) for d in (2, 2, 4)], "with holes"),
             ([L.Conv2D(2, 3, dilation_rate=d) for d in (1, 2, 3)], "sum to 8"),
             ([L.Conv2D(2, 3, dilation_rate=d) for d in (1, 2, 2, 3)], "exactly three"),
             ([L.Conv2D(2, 5, dilation_rate=d) for d in (1, 1, 2)], "Keep each kernel 3×3"),
             ([L.Dense(2)], "list of keras.layers.Conv2D")]
    for wrong, words in cases:
        says(dilation.field_stack, wrong, words)


def test_why_gridding_odd_offsets_have_no_gradient():
    reach = geometry.measured_footprint([L.Conv2D(1, 3, dilation_rate=2) for _ in range(3)])
    assert not reach[1::2, :].any() and reach[::2, ::2].all()
    passes(dilation.why_gridding, "a")
    explained_differently(dilation.why_gridding, ["b", "c", "d"])
