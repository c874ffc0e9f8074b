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
    dense = keras.layers.Dense(2)
    dense.build((None, ex.FEATURES))
    assert feedback(ex.head_parameters, dense.count_params()) == (True, "")
    assert "bias" in feedback(ex.head_parameters, 2560)[1]
    assert "1000-class" in feedback(ex.head_parameters, 1281000)[1]
    assert "pooling" in feedback(ex.head_parameters, 7 * 7 * 1280 * 2 + 2)[1]


def test_feature_map_size_exercise():
    model = pretrained.load_backbone(weights=None, input_shape=(320, 320, 3))
    assert feedback(ex.feature_map_size, model.output.shape[1]) == (True, "")
    assert "four halvings" in feedback(ex.feature_map_size, 20)[1]
    assert "224" in feedback(ex.feature_map_size, 7)[1]
    assert not feedback(ex.feature_map_size, 10.5)[0]


def test_strategy_exercise():
    assert feedback(ex.strategy, ex.STRATEGIES[1]) == (True, "")
    assert "scratch" in feedback(ex.strategy, ex.STRATEGIES[0])[1]
    assert "memorises" in feedback(ex.strategy, ex.STRATEGIES[2])[1]
    assert "choose one of" in feedback(ex.strategy, "transfer")[1]
