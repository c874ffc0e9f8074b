"""simple_cnn's head and augmentation options, checked against Keras' layers and configs."""

import numpy as np
import pytest

from cnnlab import models
from cnnlab._tf import import_keras

keras = import_keras()
layers = keras.layers


def test_global_average_head_is_keras_global_average_pooling():
    model = models.simple_cnn((28, 28, 1), 10, head="global_average")
    average = model.get_layer("average")
    assert isinstance(average, layers.GlobalAveragePooling2D)
    assert not any(isinstance(layer, layers.Flatten) for layer in model.layers)
    # One number per channel: the dense layer after it has 32 inputs, not 7·7·32.
    assert average.output.shape == (None, 32)
    assert model.get_layer("hidden").count_params() == (32 + 1) * 64
    # The layer computes each channel's mean over the positions (numpy as the oracle).
    maps = np.random.default_rng(0).random((2, 7, 7, 32)).astype(np.float32)
    np.testing.assert_allclose(average(maps), maps.mean(axis=(1, 2)), rtol=1e-6)


def test_summary_table_explains_global_pooling_like_keras():
    model = keras.Sequential([keras.Input((6, 5, 3)), layers.GlobalAveragePooling2D(),
                              layers.Dense(4)])
    table = models.summary_table(model)
    assert [row.output_shape for row in table.rows] == [tuple(layer.output.shape)
                                                        for layer in model.layers]
    assert table.rows[0].formula == "one mean per channel over 6×5 positions = 3"
    assert table.total_params == model.count_params()
    maximum = keras.Sequential([keras.Input((6, 5, 3)), layers.GlobalMaxPooling2D()])
    assert models.summary_table(maximum).rows[0].formula.startswith("one maximum per channel")


def test_augmentation_layers_and_their_keras_configs():
    model = models.simple_cnn((28, 28, 1), 10, augmentation=True, seed=4)
    shift, flip = model.layers[:2]
    assert isinstance(shift, layers.RandomTranslation) and isinstance(flip, layers.RandomFlip)
    config = shift.get_config()
    assert (config["height_factor"], config["width_factor"]) == (models.AUGMENT_SHIFT,) * 2
    assert (config["fill_mode"], config["fill_value"], config["seed"]) == ("constant", 0.0, 4)
    assert (flip.get_config()["mode"], flip.get_config()["seed"]) == ("horizontal", 4)
    assert [layer.name for layer in model.layers[2:4]] == ["rescale", "conv1"]


def test_augmentation_changes_training_images_only():
    plain = models.simple_cnn((28, 28, 1), 10, seed=2)
    augmented = models.simple_cnn((28, 28, 1), 10, seed=2, augmentation=True)
    # The random layers have no weights and draw from their own seed: same starting weights.
    for a, b in zip(plain.get_weights(), augmented.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    x = np.random.default_rng(1).integers(0, 256, (4, 28, 28, 1)).astype(np.float32)
    # Predicting (training=False): the images pass unchanged, so both models agree.
    np.testing.assert_allclose(augmented.predict(x, verbose=0), plain.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    # Training: Keras moves and flips them.
    moved = np.asarray(augmented.get_layer("shift")(x, training=True))
    assert moved.shape == x.shape and not np.allclose(moved, x)


@pytest.mark.parametrize("options, error, message", [
    ({"head": "max"}, ValueError, "head must be one of .*'flatten', 'global_average'"),
    ({"augmentation": "yes"}, TypeError, "augmentation must be True or False, got 'yes'"),
])
def test_bad_variant_arguments(options, error, message):
    with pytest.raises(error, match=message):
        models.simple_cnn((28, 28, 1), 10, **options)


def test_augmented_examples_are_the_layers_training_output():
    model = models.simple_cnn((28, 28, 1), 10, augmentation=True, seed=1)
    image = np.zeros((28, 28, 1), np.float32)
    image[10:18, 4:12] = 255                      # a bright square left of centre
    examples = models.augmented_examples(model, image, count=8, seed=3)
    assert examples.shape == (8, 28, 28, 1)
    # Moved and flipped, never rescaled or blurred beyond the interpolation of the move:
    # each version still holds a bright square of about the same area, at different places.
    areas = (examples > 127).sum(axis=(1, 2, 3))
    assert np.all(np.abs(areas - 64) <= 16), areas
    centres = {tuple(np.argwhere(e[..., 0] > 127).mean(axis=0).round()) for e in examples}
    assert len(centres) > 1
    again = models.augmented_examples(model, image, count=8, seed=3)
    np.testing.assert_array_equal(examples, again)
    with pytest.raises(ValueError, match="has no augmentation layers"):
        models.augmented_examples(models.simple_cnn((28, 28, 1), 10), image)
