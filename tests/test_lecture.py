"""Lecture mode: larger text and thicker lines in figures and explorers, and back exactly."""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import cnnlab  # noqa: E402
from cnnlab import lecture, render, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def normal_mode():
    cnnlab.lecture_mode(False)
    yield
    cnnlab.lecture_mode(False)


def title_height_px(text="Feature map") -> float:
    figure, axes = plt.subplots(figsize=(4, 3), dpi=100)
    title = axes.set_title(text)
    figure.canvas.draw()
    height = title.get_window_extent().height
    plt.close(figure)
    return height


def frame_size(explorer) -> tuple:
    return explorer._shown_frame().size


def test_on_and_off_restore_every_matplotlib_setting():
    matplotlib.rcParams["lines.linewidth"] = 1.25  # a user's own setting survives
    before = dict(matplotlib.rcParams)
    cnnlab.lecture_mode()
    during = dict(matplotlib.rcParams)
    cnnlab.lecture_mode()                          # twice: nothing more changes
    assert dict(matplotlib.rcParams) == during
    assert during["font.size"] > before["font.size"]
    assert during["lines.linewidth"] > before["lines.linewidth"]
    cnnlab.lecture_mode(False)
    assert dict(matplotlib.rcParams) == before
    matplotlib.rcdefaults()


def test_figure_text_is_larger_in_lecture_mode():
    normal = title_height_px()
    cnnlab.lecture_mode()
    large = title_height_px()
    assert large > 1.3 * normal


def test_explorer_on_screen_redraws_larger_at_once():
    explorer = widgets.ConvolutionExplorer(np.arange(36.0).reshape(6, 6), np.ones((3, 3)))
    explorer.step = 5
    normal = frame_size(explorer)
    cnnlab.lecture_mode()
    large = frame_size(explorer)                   # no interaction with the widget
    assert large[0] > normal[0] and large[1] > normal[1]
    assert explorer.step == 5
    cnnlab.lecture_mode(False)
    assert frame_size(explorer) == normal


def test_context_manager_returns_to_the_previous_mode():
    with cnnlab.lecture_mode():
        assert lecture.is_lecture_mode() and render.get_style().name == "lecture"
    assert not lecture.is_lecture_mode() and render.get_style().name == "default"
    cnnlab.lecture_mode()
    with cnnlab.lecture_mode(False):
        assert render.get_style().name == "default"
    assert render.get_style().name == "lecture"


def test_style_listeners_are_called_and_forgotten_with_their_object():
    class Picture:
        redraws = 0

        def redraw(self):
            Picture.redraws += 1

    picture = Picture()
    render.on_style_change(picture.redraw)
    cnnlab.lecture_mode()
    assert Picture.redraws == 1
    count = len(render._style_listeners)
    del picture                                    # only a weak reference was kept
    cnnlab.lecture_mode(False)
    assert Picture.redraws == 1
    assert len(render._style_listeners) == count - 1


@pytest.mark.parametrize("on", ["yes", 1, None])
def test_on_must_be_a_bool(on):
    with pytest.raises(TypeError, match=r"on must be True or False, got"):
        cnnlab.lecture_mode(on)


def test_lecture_frames_fit_a_projector_and_keep_every_term():
    """At most 1080 px wide (JupyterLab's output area on a 1280 px screen shows it unscaled,
    numbers at the lecture's 20 px); wrapped sum lines still hold every product."""
    gray = (np.arange(64).reshape(8, 8) * 37) % 256
    rgb = (np.arange(21 * 32 * 3).reshape(21, 32, 3) * 7 % 256).astype(np.uint8)
    kernel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    with lecture.lecture_mode():
        for explorer in (widgets.ConvolutionExplorer(gray, kernel, padding=1),
                         widgets.ConvolutionExplorer(rgb, "sobel_x", padding=1),
                         widgets.PoolingExplorer(rgb, 2)):
            widths = {explorer.frame(step).width for step in (0, explorer.n_steps - 1)}
            assert max(widths) <= 1080, (explorer, widths)
        explorer = widgets.ConvolutionExplorer(gray, kernel, padding=1)
        explorer.step = 5
        renderer = render.Renderer(explorer.trace, render.get_style())
        shown = renderer._shown_lines(5)
    assert len(shown) >= 2                                  # wrapped, not cut
    # Output cell (0, 5): the padded window's rows 0-2, columns 5-7, times the kernel.
    padded = np.pad(gray, 1)
    products = [f"{v:g}·{'(' + f'{k:g}' + ')' if k < 0 else f'{k:g}'}"
                for v, k in zip(padded[0:3, 5:8].ravel(), kernel.ravel(), strict=True)]
    total = int((padded[0:3, 5:8] * kernel).sum())
    joined = " + ".join(line.strip().removesuffix(" +") for line in shown)
    assert joined == f"output[0, 5] = {' + '.join(products)} = {total}"
