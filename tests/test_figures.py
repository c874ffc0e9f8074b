"""cnnlab.figures: what each figure draws, read back from its matplotlib artists."""

import numpy as np
import pytest
import small_cnn

from cnnlab import figures, models

model = pytest.fixture(small_cnn.model)
image = pytest.fixture(small_cnn.image)


def test_show_images_draws_one_axis_per_picture():
    pictures = [np.zeros((4, 4)), np.ones((4, 4, 1)), np.full((4, 4, 3), 255, np.uint8),
                np.array([[-2.0, 1.0]])]
    fig = figures.show_images(pictures, ["a", "b", "c", "d"], columns=3, signed=True)
    assert [ax.get_title() for ax in fig.axes[:6]] == ["a", "b", "c", "d", "", ""]
    assert fig.axes[1].get_images()[0].get_array().shape == (4, 4)    # (H, W, 1) as gray
    assert fig.axes[3].get_images()[0].get_clim() == (-2.0, 2.0)      # centred on 0
    assert len(fig.axes) == 6 + 3          # signed: a colour bar beside each 2-D picture
    with pytest.raises(ValueError, match="titles must have one entry per picture"):
        figures.show_images(pictures, ["a"])


def test_show_images_one_fixed_scale_with_colour_bars_and_frames():
    dim, bright = np.full((2, 2), 10.0), np.full((2, 2), 200.0)
    fig = figures.show_images([dim, bright], vmin=0, vmax=255, frame=True)
    pictures, bars = fig.axes[:2], fig.axes[2:]
    assert [ax.get_images()[0].get_clim() for ax in pictures] == [(0.0, 255.0)] * 2
    assert [bar.get_ylim() for bar in bars] == [(0.0, 255.0)] * 2
    assert all(ax.spines["top"].get_visible() and ax.axison for ax in pictures)
    plain = figures.show_images([dim, bright])     # without a scale: each its own range
    assert len(plain.axes) == 2 and not plain.axes[0].axison
    assert plain.axes[1].get_images()[0].get_clim() == (200.0, 200.0)


def test_plot_confusion_matrix_writes_the_counts():
    matrix = np.array([[5, 1], [0, 7]])
    fig = figures.plot_confusion_matrix(matrix, ["cat", "dog"])
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0", "1", "5", "7"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["cat", "dog"]
    with pytest.raises(ValueError, match="class_names must have 2 entries, got 3"):
        figures.plot_confusion_matrix(matrix, ["a", "b", "c"])


def test_plot_mistakes_titles_name_truth_and_guess():
    images = np.zeros((3, 5, 5, 1))
    probabilities = np.array([[0.2, 0.8], [0.9, 0.1], [0.6, 0.4]])
    fig = figures.plot_mistakes(images, probabilities, [0, 0, 1], ["cat", "dog"])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["true: cat\nsaid: dog (80%)", "true: dog\nsaid: cat (60%)"]


def test_plot_filters_share_one_colour_scale(model):
    kernel = model.get_layer("conv1").kernel.numpy()
    fig = figures.plot_filters(model)
    assert len([ax for ax in fig.axes if ax.get_images()]) == 4
    limits = {ax.get_images()[0].get_clim() for ax in fig.axes if ax.get_images()}
    assert len(limits) == 1 and limits.pop() == pytest.approx(
        (-np.abs(kernel).max(), np.abs(kernel).max()))
    with pytest.raises(ValueError, match="channel must lie in 0–0"):
        figures.plot_filters(model, channel=1)


def test_plot_feature_maps_one_row_per_layer(model, image):
    fig = figures.plot_feature_maps(model, image, channels=5)
    assert len(fig.axes) == 4 * 5
    assert fig.axes[5].get_title() == "pool1 (6×6) #0"
    assert fig.axes[6].get_title() == "#1"
    assert fig.axes[4].get_title() == ""          # conv1 has only 4 channels
    np.testing.assert_array_equal(fig.axes[6].get_images()[0].get_array(),
                                  models.feature_maps(model, image)["pool1"][..., 1])


def test_plot_history_draws_training_and_validation():
    history = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.8], "val_loss": [1.1, 0.7],
               "val_accuracy": [0.4, 0.7]}
    fig = figures.plot_history(history)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), [0.4, 0.7])
    with pytest.raises(TypeError, match="history must be a Keras History"):
        figures.plot_history([1, 2])


def test_plot_learning_curves_draws_one_line_per_curve():
    fig = figures.plot_learning_curves([2, 5], {"a": [[0.5, 0.7], [0.8, 0.9]],
                                                "b": [[0.5, 0.5], [0.6, 0.6]]}, chance=0.5)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[0].get_ydata(), [0.6, 0.85])
