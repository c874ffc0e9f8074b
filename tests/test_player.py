"""The explorers' player in a static page and slide show (no kernel): keys step it, the
text of step k is the trace's arithmetic for step k, nothing is fetched from the network,
it starts paused, several players share a page, and the still stays where scripts cannot
run.

The oracle for the text is the trace (and through it :mod:`cnnlab.ops`): the expected sum
line is written here from ``trace.values``, ``trace.kernel`` and ``trace.output``.
"""

import base64
import json
import zlib

import nbformat
import numpy as np
import pytest

from cnnlab.render import format_number, format_weight
from cnnlab.widgets import ChannelExplorer, ConvolutionExplorer, PoolingExplorer

FEATURE_MAP = np.array([[1, 3, 2, 0], [4, 9, 1, 1], [0, 0, 5, 6], [1, 2, 3, 4]])
PHOTO = np.random.default_rng(7).integers(0, 256, (4, 5, 3)).astype(np.uint8)

# The notebooks' typical explorer (notebook 02's first) and the budget of its stored
# bundle: the GIF still was 94.7 kB and the player adds about 30 kB (measured: 125 kB in
# all); 160 kB leaves room for small changes of the pictures, not for a frame per step.
TYPICAL = dict(image=np.array([[10, 10, 10, 80, 80, 80]] * 6), kernel="sobel_x")
BUDGET_BYTES = 160_000


def conv_explorer():
    return ConvolutionExplorer(np.array([[10, 10, 10, 80, 80, 80]] * 6), "sobel_x")


def pool_explorer():
    return PoolingExplorer(FEATURE_MAP, size=2, mode="max")


def channel_explorer():
    return ChannelExplorer(PHOTO)


def expected_pixel_line(image, step: int) -> str:
    """The picked pixel's line (scales 1: the mix is the pixel), from the image itself."""
    r, g, b = (int(v) for v in image[divmod(step, image.shape[1])])
    return f"pixel ({r}, {g}, {b}) → mix ({r}, {g}, {b})"


def expected_conv_line(trace, step: int) -> str:
    """The sum line of a one-channel convolution, from the trace's numbers."""
    i, j = divmod(step, trace.out_shape[1])
    window = trace.values[step][..., 0].ravel()
    weights = trace.kernel[..., 0].ravel()
    terms = " + ".join(
        f"{format_number(v)}·{'(' + format_weight(w) + ')' if w < 0 else format_weight(w)}"
        for v, w in zip(window, weights, strict=True))
    return f"output[{i}, {j}] = {terms} = {format_number(trace.output[i, j])}"


def expected_max_line(trace, step: int) -> str:
    i, j = divmod(step, trace.out_shape[1])
    real = int((~trace.is_padding[step]).sum())
    of = f"the {real} real cells" if trace.is_padding[step].any() else "the window"
    return f"output[{i}, {j}] = max of {of} = {format_number(trace.output[i, j])}"


def decode(payload: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(payload), -15))


# ----------------------------------------------------------------------------- no browser


def test_the_payload_holds_every_step_with_the_traces_text():
    explorer = conv_explorer()
    markup = explorer.player_html()
    payload = markup.split("data-cnnlab-player='", 1)[1].split("'", 1)[0]
    spec = decode(payload)
    trace = explorer.trace
    assert len(spec["steps"]) == trace.n_steps == 16
    for step in range(trace.n_steps):
        assert spec["steps"][step]["lines"] == [expected_conv_line(trace, step)]


def test_the_still_comes_first_and_the_script_is_guarded():
    markup = conv_explorer().player_html()
    assert markup.index("<img alt=") < markup.index("<script>")
    assert "if (window.cnnlabPlayer)" in markup
    assert "http://" not in markup and "https://" not in markup


def test_the_typical_explorer_stays_within_its_budget():
    explorer = ConvolutionExplorer(TYPICAL["image"], TYPICAL["kernel"])
    bundle = explorer._repr_mimebundle_()
    size = len(json.dumps(bundle))
    assert size < BUDGET_BYTES, f"{size} bytes"
    assert len(explorer.player_html()) > len(explorer.static_html()) + 10_000  # it is there


@pytest.mark.slow
def test_the_largest_stored_explorer_stays_within_its_budget():
    """Notebook 01's ChannelExplorer (the cat, 21×32 = 672 steps) is the largest stored
    explorer: 223 kB as a GIF alone, 440 kB with the player (measured); notebook 01 then
    weighs 1.17 MB, under the 2 MB a notebook may weigh."""
    from cnnlab import images

    explorer = ChannelExplorer(images.sample("cat"))
    assert explorer.n_steps == 672
    assert len(json.dumps(explorer._repr_mimebundle_())) < 500_000


# ----------------------------------------------------------------------------- browser


def _notebook(tmp_path, explorers) -> "Path":  # noqa: F821
    cells = [nbformat.v4.new_markdown_cell("# Player test\n\nTwo explorers.")]
    for explorer in explorers:
        cell = nbformat.v4.new_code_cell("explorer")
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={"text/plain": repr(explorer),
                                  "text/html": explorer.player_html()})]
        cells.append(cell)
    path = tmp_path / "player_test.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


@pytest.fixture(scope="module")
def explorers():
    return [conv_explorer(), pool_explorer(), channel_explorer()]


@pytest.fixture
def site(tmp_path, explorers):
    import build_course
    build_course.build([_notebook(tmp_path, explorers)], tmp_path / "site", slides=True)
    return tmp_path / "site"


def _open(chromium, url, *, reduced_motion="no-preference"):
    page = chromium.new_page(viewport={"width": 1280, "height": 720},
                             reduced_motion=reduced_motion)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function(
        "() => { const r = document.querySelectorAll('.cnnlab-player');"
        " return r.length > 0 && [...r].every(p => p.dataset.cnnlabStarted === 'ready'); }",
        timeout=20_000)
    return page, requests, errors


def _text(player) -> list[str]:
    return player.locator(".cnnlab-player-text p").all_inner_texts()


@pytest.mark.slow
def test_keys_step_the_player_and_the_text_is_the_traces(chromium, site, explorers):
    page, requests, errors = _open(chromium, (site / "player_test.html").as_uri())
    players = page.locator(".cnnlab-player")
    assert players.count() == 3
    conv, pool, channels = explorers
    player = players.nth(0)
    # the still is replaced, the canvas drawn
    assert player.locator("figure").first.is_hidden()
    assert player.locator("canvas").is_visible()
    ui = player.locator(".cnnlab-player-ui")
    ui.focus()
    assert _text(player) == [expected_conv_line(conv.trace, 0)]
    for step in range(1, 6):
        page.keyboard.press("ArrowRight")
        assert _text(player) == [expected_conv_line(conv.trace, step)]
    page.keyboard.press("ArrowLeft")
    assert _text(player) == [expected_conv_line(conv.trace, 4)]
    page.keyboard.press("End")
    last = conv.trace.n_steps - 1
    assert _text(player) == [expected_conv_line(conv.trace, last)]
    assert player.locator("input[type=range]").input_value() == str(last)
    page.keyboard.press("Home")
    assert _text(player) == [expected_conv_line(conv.trace, 0)]
    # the slider, keyboard-operated, steps too
    slider = player.locator("input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _text(player) == [expected_conv_line(conv.trace, 2)]
    assert slider.get_attribute("aria-valuetext") == f"step 3 of {conv.trace.n_steps}"
    # the second player is independent
    second = players.nth(1)
    second.locator(".cnnlab-player-ui").focus()
    page.keyboard.press("End")
    assert _text(second) == [expected_max_line(pool.trace, pool.trace.n_steps - 1)]
    assert _text(player) == [expected_conv_line(conv.trace, 2)]
    # the channel explorer's player: a pixel's numbers, and its neighbourhood
    third = players.nth(2)
    third.locator(".cnnlab-player-ui").focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    lines = _text(third)
    assert lines[0] == expected_pixel_line(PHOTO, 7)
    row, col = divmod(7, PHOTO.shape[1])
    red = PHOTO[row - 1:row + 2, col - 1:col + 2, 0]
    assert lines[1] == f"R near ({row}, {col}): " + " / ".join(
        " ".join(str(v) for v in line) for line in red)
    # space plays, and playing advances; space again pauses
    page.keyboard.press("Home")
    page.keyboard.press(" ")
    page.wait_for_function(
        "() => document.querySelectorAll('.cnnlab-player input[type=range]')[1].value >= 2",
        timeout=10_000)
    page.keyboard.press(" ")
    paused_at = second.locator("input[type=range]").input_value()
    page.wait_for_timeout(1200)
    assert second.locator("input[type=range]").input_value() == paused_at
    assert second.locator("button.cnnlab-play").inner_text() == "Play"
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


@pytest.mark.slow
def test_the_player_starts_paused_with_reduced_motion(chromium, site):
    page, _, _ = _open(chromium, (site / "player_test.html").as_uri(),
                       reduced_motion="reduce")
    page.wait_for_timeout(1500)   # more than three intervals
    values = page.locator(".cnnlab-player input[type=range]").evaluate_all(
        "inputs => inputs.map(i => i.value)")
    assert values == ["0", "0", "0"]
    assert page.locator("button.cnnlab-play").all_inner_texts() == ["Play"] * 3


@pytest.mark.slow
def test_every_control_is_labelled_and_shows_its_focus(chromium, site):
    page, _, _ = _open(chromium, (site / "player_test.html").as_uri())
    names = page.locator(".cnnlab-player").first.evaluate(
        """root => [...root.querySelectorAll('button, input')].map(c =>
             c.getAttribute('aria-label') || (c.labels && c.labels[0] &&
             c.labels[0].textContent) || c.textContent)""")
    assert names == ["Play", "Previous step", "Next step", "step"]
    button = page.locator(".cnnlab-player button").first
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
        page.keyboard.press("Tab")
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style == "solid", style
    assert button.is_visible()


@pytest.mark.slow
def test_the_slides_play_too_and_arrows_do_not_turn_the_slide(chromium, site, explorers):
    url = (site / "slides" / "player_test.slides.html").as_uri()
    page, requests, errors = _open(chromium, url)
    conv = explorers[0]
    page.evaluate("Reveal.slide(0, 1)")     # the first explorer's slide (a sub-slide)
    page.wait_for_timeout(500)
    player = page.locator(".cnnlab-player").first
    ui = player.locator(".cnnlab-player-ui")
    ui.focus()
    before = page.evaluate("Reveal.getIndices()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _text(player) == [expected_conv_line(conv.trace, 2)]
    assert page.evaluate("Reveal.getIndices()") == before
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


@pytest.mark.slow
def test_without_scripts_the_still_shows(chromium, site):
    page = chromium.new_page(java_script_enabled=False)
    page.goto((site / "player_test.html").as_uri())
    assert page.locator(".cnnlab-player figure img").first.is_visible()
    assert page.locator(".cnnlab-player canvas").count() == 0


def _differing(shown: np.ndarray, frame) -> float:
    """Share of the shown pixels unlike ``frame``'s (cut at the shown height)."""
    frame = np.asarray(frame).astype(int)
    assert shown.shape[1] == frame.shape[1]
    return float((np.abs(shown - frame[: shown.shape[0]]).max(axis=2) > 0).mean())


@pytest.mark.slow
def test_the_canvas_is_the_explorers_own_frame(chromium, site, explorers):
    """Pixel for pixel the renderer's frame of that step (down to the sum lines, which are
    text here); only the edges of glyphs (the browser's text anti-aliasing) may differ."""
    import io

    from PIL import Image

    page, _, _ = _open(chromium, (site / "player_test.html").as_uri())
    for index, explorer in enumerate(explorers):
        player = page.locator(".cnnlab-player").nth(index)
        player.locator(".cnnlab-player-ui").focus()
        page.keyboard.press("Home")
        for step in range(explorer.n_steps):
            if step in (1, explorer.n_steps - 1):
                uri = player.locator("canvas").evaluate("c => c.toDataURL('image/png')")
                shown = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
                shown = np.asarray(shown.convert("RGB")).astype(int)
                here = _differing(shown, explorer.frame(step))
                assert here < 0.03, (index, step, here)     # glyph edges only
                for other in (step - 1, step + 1):          # and it is this step's frame
                    if 0 <= other < explorer.n_steps:
                        assert _differing(shown, explorer.frame(other)) > here, (index, other)
            page.keyboard.press("ArrowRight")


# The WCAG 2.1 A and AA rules of axe-core (issue 16), on the players only: the rest of the
# page is the course template's.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.slow
@pytest.mark.parametrize("page_name", ["player_test.html", "slides/player_test.slides.html"])
def test_the_players_pass_axe(chromium, site, requires, page_name):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        Axe = None
    requires(Axe is not None, "axe-playwright-python (axe-core)",
             "`make test` installs the pinned environment")
    page, _, _ = _open(chromium, (site / page_name).as_uri())
    found = []
    for index in range(page.locator(".cnnlab-player").count()):
        if "slides" in page_name:     # each slide shown in turn
            page.evaluate(f"Reveal.slide(0, {index + 1})")
            page.wait_for_timeout(300)
        player = page.locator(".cnnlab-player").nth(index)
        player.locator(".cnnlab-player-ui").focus()
        page.keyboard.press("ArrowRight")
        results = Axe().run(page, context={"include": [[".cnnlab-player"]]},
                            options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        found += [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
                  for v in results.response["violations"]]
        passed = [v["id"] for v in results.response["passes"]]
        assert "label" in passed, passed        # it looked
        # reveal.js lays its layers over a slide: axe leaves contrast undecided there (the
        # page, same style sheet, decides it)
        assert "slides" in page_name or "color-contrast" in passed, passed
    assert found == [], "\n".join(map(str, found))
