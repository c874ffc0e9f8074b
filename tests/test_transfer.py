"""cnnlab.transfer: features, heads, learning curves and fine-tuning, checked against the
unsplit Keras models they stand in for; notebook 07's exercises against Keras."""

import numpy as np
import pytest

from cnnlab import import_keras, models, pretrained, transfer
from cnnlab.exercises import transfer_learning as ex


@pytest.fixture(scope="module")
def keras():
    return import_keras()


@pytest.fixture(scope="module")
def backbone():
    return pretrained.load_backbone()


@pytest.fixture(scope="module")
def photos():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (3, 40, 50, 3), dtype=np.uint8)


@pytest.mark.slow
def test_features_are_the_pooled_feature_map_of_the_backbone(backbone, keras, photos):
    features = transfer.extract_features(photos, backbone, size=64, batch_size=2)
    maps = backbone(pretrained.preprocess(photos, size=64), training=False)
    expected = keras.layers.GlobalAveragePooling2D()(maps)
    assert features.shape == (3, 1280) and features.dtype == np.float32
    np.testing.assert_allclose(features, np.asarray(expected), atol=1e-5)


@pytest.mark.slow
def test_training_on_features_equals_training_the_frozen_stack(backbone, keras, photos):
    """The shortcut of notebook 07: a head on cached features is the frozen Sequential."""
    head = transfer.fit_head(transfer.extract_features(photos, backbone, size=64),
                             np.array([0, 1, 0]), epochs=3)
    backbone.trainable = False
    stack = keras.Sequential([keras.Input((64, 64, 3)), backbone,
                              keras.layers.GlobalAveragePooling2D(), head])
    trainable = sum(int(np.prod(w.shape)) for w in stack.trainable_weights)
    assert trainable == head.count_params()  # only the head trains
    expected = stack(pretrained.preprocess(photos, size=64), training=False)
    features = transfer.extract_features(photos, backbone, size=64)
    np.testing.assert_allclose(np.asarray(head(features)), np.asarray(expected), atol=1e-5)


@pytest.mark.slow
def test_unpooled_features_are_the_backbone_output_in_any_batch_size(backbone, photos):
    frozen, _ = models.split(backbone, "block7a_expand_conv")
    expected = np.asarray(frozen(pretrained.preprocess(photos, size=64), training=False))
    for batch_size in (1, 2, 8):
        maps = transfer.extract_features(photos, frozen, size=64, pool=False,
                                         batch_size=batch_size)
        # float32 sums of ~1000 terms, grouped differently per batch size and thread count:
        # values up to ~15 agree to 2e-5 (measured); a wrong photo or layer is off by units
        np.testing.assert_allclose(maps, expected, rtol=1e-5, atol=1e-4)
    one = transfer.extract_features(photos[0], backbone, size=64)  # a single image
    assert one.shape == (1, 1280)
    with pytest.raises(TypeError, match="pool"):
        transfer.extract_features(photos, backbone, pool="yes")
    with pytest.raises(ValueError, match="batch_size"):
        transfer.extract_features(photos, backbone, batch_size=0)


def test_unit_length_matches_keras_unit_normalization(keras):
    features = np.random.default_rng(2).normal(size=(6, 20)).astype(np.float32)
    expected = keras.layers.UnitNormalization()(features)
    np.testing.assert_allclose(transfer.unit_length(features), np.asarray(expected), atol=1e-6)
    with pytest.raises(ValueError, match="all-zero"):
        transfer.unit_length(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="2-D"):
        transfer.unit_length(np.ones(3))


def test_fit_head_in_one_batch_equals_keras_fit_epoch_by_epoch(keras):
    """With no more examples than one batch, one fit over the repeated passes is Keras'
    own ``epochs`` passes (the order inside a batch does not change its gradient)."""
    rng = np.random.default_rng(3)
    features = rng.normal(size=(12, 8)).astype(np.float32)
    labels = np.arange(12) % 3
    head = transfer.fit_head(features, labels, epochs=15, seed=4)
    reference = transfer.linear_head(8, 3, learning_rate=1e-2, seed=4)
    reference.fit(features, labels, epochs=15, batch_size=32, verbose=0)
    for ours, theirs in zip(head.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    with pytest.raises(ValueError, match="one label each"):
        transfer.fit_head(features, labels[:5])


@pytest.mark.parametrize(("only_first", "only_second", "both"), [(10, 0, 80), (7, 3, 0),
                                                                   (5, 5, 40), (0, 0, 10),
                                                                   (13, 30, 50)])
def test_mcnemar_is_scipy_binomial_test_on_the_disagreements(only_first, only_second, both):
    from scipy import stats

    first = np.array([True] * (only_first + both) + [False] * only_second + [False] * 4)
    second = np.array([False] * only_first + [True] * (both + only_second) + [False] * 4)
    result = transfer.mcnemar(first, second)
    assert (result.only_first, result.only_second) == (only_first, only_second)
    n = only_first + only_second
    expected = stats.binomtest(only_first, n, 0.5).pvalue if n else 1.0
    assert result.p_value == pytest.approx(expected, rel=1e-12)


def test_mcnemar_refuses_what_is_not_a_pair_of_bool_arrays():
    with pytest.raises(TypeError, match="first_correct must be a 1-D array of bool"):
        transfer.mcnemar(np.array([1, 0]), np.array([True, False]))
    with pytest.raises(ValueError, match="same length"):
        transfer.mcnemar(np.array([True]), np.array([True, False]))


def test_linear_head_matches_a_keras_dense_layer(keras):
    head = transfer.linear_head(1280, 2, learning_rate=0.02)
    assert head.loss == "sparse_categorical_crossentropy"
    assert float(head.optimizer.learning_rate) == pytest.approx(0.02)
    dense = keras.layers.Dense(2)
    dense.build((None, 1280))
    assert head.count_params() == dense.count_params()
    assert head.layers[-1].activation.__name__ == "softmax"
    with pytest.raises(ValueError, match="num_classes"):
        transfer.linear_head(1280, 1)


@pytest.mark.slow
def test_fit_head_learns_separable_features():
    rng = np.random.default_rng(0)
    labels = np.arange(60) % 3
    centres = rng.normal(size=(3, 16)) * 3
    features = (centres[labels] + rng.normal(size=(60, 16))).astype(np.float32)
    head = transfer.fit_head(features[:30], labels[:30])
    assert transfer.accuracy(head, features[30:], labels[30:]) >= 0.9
    again = transfer.fit_head(features[:30], labels[:30])
    np.testing.assert_array_equal(head.get_weights()[0], again.get_weights()[0])  # seeded


def test_accuracy_counts_the_most_probable_class(keras):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Softmax()])
    x = np.array([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0], [1.0, 0.0]] * 100)  # > one 256 batch
    assert transfer.accuracy(model, x, np.array([0, 1, 1, 1] * 100)) == 0.5


def test_learning_curve_trains_on_balanced_subsets_of_each_size():
    x = np.arange(40)
    y = np.arange(40) % 2
    seen = []

    def fit_and_score(x_n, y_n, seed):
        seen.append((len(x_n), np.bincount(y_n).tolist(), seed, set(x_n.tolist())))
        return len(x_n) / 100

    scores = transfer.learning_curve(fit_and_score, x, y, [2, 5], seeds=(0, 1))
    np.testing.assert_allclose(scores, [[0.04, 0.04], [0.10, 0.10]])
    assert [(n, counts, seed) for n, counts, seed, _ in seen] == [
        (4, [2, 2], 0), (4, [2, 2], 1), (10, [5, 5], 0), (10, [5, 5], 1)]
    assert seen[0][3] != seen[1][3]  # different seeds, different examples
    with pytest.raises(ValueError, match="sizes"):
        transfer.learning_curve(fit_and_score, x, y, [0])


@pytest.mark.slow
def test_fine_tune_model_starts_as_the_unsplit_pipeline_and_keeps_bn_statistics(keras):
    rng = np.random.default_rng(1)
    model = pretrained.load_backbone()
    model.trainable = False  # as in notebook 07: the backbone was frozen for the head first
    frozen, rest = models.split(model, "block7a_expand_conv")
    head = transfer.linear_head(1280, 2)
    tuned = transfer.fine_tune_model(rest, head, learning_rate=1e-3)
    x = pretrained.preprocess(rng.integers(0, 256, (4, 64, 64, 3), dtype=np.uint8), size=64)
    cached = np.asarray(frozen(x))
    assert tuned.loss == "sparse_categorical_crossentropy"
    whole = head(keras.layers.GlobalAveragePooling2D()(model(x, training=False)))
    np.testing.assert_allclose(np.asarray(tuned(cached)), np.asarray(whole), atol=1e-5)

    bn = model.get_layer("block7a_bn")
    statistics = [np.asarray(v).copy() for v in (bn.moving_mean, bn.moving_variance)]
    kernel = np.asarray(model.get_layer("block7a_dwconv").kernel).copy()
    stem = np.asarray(model.get_layer("stem_conv").kernel).copy()
    trainable = {w.path.split("/")[-2] for w in tuned.trainable_weights}
    assert {"block7a_dwconv", "top_conv", "head"} <= trainable
    assert not any(name.endswith("bn") for name in trainable)
    tuned.fit(cached, np.array([0, 1, 0, 1]), epochs=1, verbose=0)
    assert not np.allclose(np.asarray(model.get_layer("block7a_dwconv").kernel), kernel)
    np.testing.assert_array_equal(np.asarray(model.get_layer("stem_conv").kernel), stem)
    for before, after in zip(statistics, (bn.moving_mean, bn.moving_variance), strict=True):
        np.testing.assert_array_equal(np.asarray(after), before)


# ---------------------------------------------------------------- notebook 07's exercises

def feedback(question, answer):
    return question.feedback(answer)


def test_head_parameters_exercise(keras):
    dense = keras.layers.Dense(5)
    dense.build((None, ex.FEATURES))
    assert feedback(ex.head_parameters, dense.count_params()) == (True, "")
    assert "bias" in feedback(ex.head_parameters, 1280 * 5)[1]
    assert "1000-class" in feedback(ex.head_parameters, 1281000)[1]
    assert "pooling" in feedback(ex.head_parameters, 7 * 7 * 1280 * 5 + 5)[1]
    assert "5 output units" in feedback(ex.head_parameters, 1281)[1]


def test_feature_map_size_exercise():
    model = pretrained.load_backbone(weights=None, input_shape=(480, 480, 3))
    assert feedback(ex.feature_map_size, model.output.shape[1]) == (True, "")
    after_four = model.get_layer("block6a_expand_conv").input.shape[1]  # stride 16 so far
    assert "four halvings" in feedback(ex.feature_map_size, after_four)[1]
    assert "224" in feedback(ex.feature_map_size, 7)[1]
    assert not feedback(ex.feature_map_size, 15.5)[0]


def test_strategy_exercise():
    assert feedback(ex.strategy, ex.STRATEGIES[1]) == (True, "")
    assert "scratch" in feedback(ex.strategy, ex.STRATEGIES[0])[1]
    assert "memorises" in feedback(ex.strategy, ex.STRATEGIES[2])[1]
    assert "choose one of" in feedback(ex.strategy, "transfer")[1]


def test_own_model_exercise():
    assert feedback(ex.own_model, ex.OWN_MODEL_REASONS[0]) == (True, "")
    assert "just computed" in feedback(ex.own_model, ex.OWN_MODEL_REASONS[1])[1]
    assert "96" in feedback(ex.own_model, ex.OWN_MODEL_REASONS[2])[1]


def test_tensorflow_is_imported_with_two_malloc_arenas_unless_the_user_chose(monkeypatch):
    """The kernel-memory setting of issue 17: glibc's M_ARENA_MAX (-8 in malloc.h) = 2."""
    from cnnlab import _tf

    calls = []

    class Glibc:
        def mallopt(self, option, value):
            calls.append((option, value))
            return 1

    monkeypatch.setattr(_tf.ctypes, "CDLL", lambda name: Glibc())
    monkeypatch.setattr(_tf.sys, "platform", "linux")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    _tf._fewer_malloc_arenas()
    assert calls == [(-8, 2)]
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    _tf._fewer_malloc_arenas()
    assert calls == [(-8, 2)]  # the user's own setting wins
