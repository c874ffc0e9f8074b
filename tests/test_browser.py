"""A real browser: JupyterLab in headless Chromium runs a ConvolutionExplorer; Play works,
and no notification (JupyterLab's news question) interrupts the lecture.

Debian's Chromium (``make system-deps``) is driven by Playwright through
``executable_path`` — no browser download (the ``chromium`` fixture, tests/conftest.py).
Screenshots go to test-artifacts/browser/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import project
import pytest

BROWSER = project.ROOT / "tests" / "browser"
NOTEBOOK = BROWSER / "convolution_explorer.ipynb"
ARTIFACTS = project.ROOT / "test-artifacts" / "browser"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(url: str, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url + "api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer at {url} within {timeout} s")


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on a free port over a copy of the test notebooks."""
    root = tmp_path / "root"
    shutil.copytree(BROWSER, root)
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--IdentityProvider.token=", "--LabApp.expose_app_in_browser=True",
         f"--ServerApp.root_dir={root}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            _wait_for_server(url, server)
        except (RuntimeError, TimeoutError) as error:
            log.flush()
            log_text = (tmp_path / 'server.log').read_text()[-3000:]
            raise AssertionError(f"{error}\n{log_text}") from None
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


KERNEL_IDLE = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session &&
                 panel.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle';
}"""


def _run_all(chromium, url: str, notebook: str, *, viewport: dict, n_pictures: int):
    """A page with ``notebook`` open in JupyterLab after Run All, its pictures loaded."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport=viewport)
    page.set_default_timeout(90_000)
    page.goto(url + "lab/tree/" + notebook)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:
        page.wait_for_function(
            "(n) => { const i = [...document.querySelectorAll('.jupyter-widgets img')];"
            " return i.length >= n && i.every((p) => p.complete && p.naturalWidth > 0); }",
            arg=n_pictures, timeout=120_000)
    finally:   # what the page showed, also when the pictures never came
        page.screenshot(path=str(ARTIFACTS / f"{Path(notebook).stem}-run-all.png"))
    return page


def test_play_advances_the_convolution_explorer_in_jupyterlab(chromium, jupyterlab):
    page = _run_all(chromium, jupyterlab, NOTEBOOK.name,
                    viewport={"width": 1400, "height": 1100}, n_pictures=1)
    page.wait_for_selector(".jupyter-widgets .widget-play")
    picture = page.locator(".jupyter-widgets img").first
    picture.wait_for(state="visible")
    page.wait_for_function(
        "() => { const i = document.querySelector('.jupyter-widgets img');"
        " return i && i.complete && i.naturalWidth > 0; }")
    step_readout = page.locator(".jupyter-widgets .widget-readout").first
    assert step_readout.inner_text().strip() == "0"
    before_src = picture.get_attribute("src")
    before_pixels = picture.screenshot(path=str(ARTIFACTS / "explorer-step0.png"))
    page.screenshot(path=str(ARTIFACTS / "lab-before-play.png"), full_page=True)

    page.locator(".jupyter-widgets .widget-play button").first.click()
    page.wait_for_function(
        "() => { const r = document.querySelector('.jupyter-widgets .widget-readout');"
        " return r && parseInt(r.textContent) >= 5; }", timeout=60_000)
    page.wait_for_function(
        "(old) => document.querySelector('.jupyter-widgets img').src !== old",
        arg=before_src, timeout=30_000)
    page.wait_for_timeout(300)   # let the newest picture finish decoding
    after_step = int(step_readout.inner_text())
    after_pixels = picture.screenshot(path=str(ARTIFACTS / "explorer-playing.png"))
    page.screenshot(path=str(ARTIFACTS / "lab-after-play.png"), full_page=True)
    # JupyterLab asks about news on a fresh install; the course's settings say no.
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    notification_count = page.locator(".jp-Notification-Status").inner_text().strip()
    assert after_step >= 5
    assert after_pixels != before_pixels, "the picture must change while playing"
    assert toasts == [], f"a notification interrupted the lecture: {toasts}"
    assert notification_count == "0", notification_count


# The WCAG 2.1 A and AA rules of axe-core (issue 16).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The widgets' output areas only: JupyterLab's own chrome is not the course's to fix.
# Left out: the Play widget's icon-only buttons and the slider handles, which ipywidgets 8
# draws without an accessible name whatever the Python side sets (its description label is
# not tied to the noUiSlider handle; Play has no per-button text) — upstream, not the course's;
# and the explorers' picture (ipywidgets' Image, an <img> child of the explorer's box),
# which takes no alt text (7.7.1, 8): the text beside it (.cnnlab-picture-text) says what
# it shows, checked by PICTURE_TEXTS.
WIDGET_OUTPUTS = {"include": [[".jp-OutputArea-output > .jupyter-widgets"]],
                  "exclude": [[".widget-play button"], [".noUi-handle"],
                              [".cnnlab-explorer > img"]]}
PICTURE_TEXTS = """() => [...document.querySelectorAll('.cnnlab-explorer > img')]
  .map((picture) => { const text = picture.nextElementSibling;
    return text && text.classList.contains('cnnlab-picture-text') ? text.textContent : null; })"""


def _axe(requires):
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        Axe = None
    requires(Axe is not None, "axe-playwright-python (axe-core)",
             "`make test` installs the pinned environment")
    return Axe()


def _violations(axe, page) -> list:
    results = axe.run(page, context=WIDGET_OUTPUTS,
                      options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
            for v in results.response["violations"]]


FOCUSED = """() => { const e = document.activeElement;
  return {cls: (e.className || '') + ' ' + (e.closest('.widget-inline-hbox, .widget-play,'
          + ' .widget-textarea, .widget-dropdown') || {className: ''}).className,
          tag: e.tagName, name: e.getAttribute('aria-label') || e.title || ''}; }"""


def test_widgets_in_jupyterlab_are_labelled_and_keyboard_operable(chromium, jupyterlab,
                                                                   requires):
    axe = _axe(requires)
    page = _run_all(chromium, jupyterlab, "all_widgets.ipynb",
                    viewport={"width": 1280, "height": 720}, n_pictures=3)
    page.wait_for_selector(".jupyter-widgets .widget-checkbox")   # the calculator
    violations = _violations(axe, page)
    page.screenshot(path=str(ARTIFACTS / "all-widgets.png"), full_page=True)
    assert violations == [], "\n".join(map(str, violations))
    texts = page.evaluate(PICTURE_TEXTS)
    assert len(texts) == 3, texts                     # one per explorer
    assert all(text and text.strip().startswith("Picture, step 1 of") for text in texts), texts

    # Tab from the Play button of the first explorer reaches the step slider and the
    # kernel's text box; arrow keys move the slider.
    explorer = page.locator(".jp-OutputArea-output").first
    explorer.locator(".widget-play button").first.focus()
    reached = []
    for _ in range(15):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED))
    classes = " ".join(r["cls"] for r in reached)
    assert "widget-slider" in classes, reached
    assert "widget-textarea" in classes, reached
    readout = explorer.locator(".widget-readout").first
    assert readout.inner_text().strip() == "0"
    explorer.locator(".widget-slider .noUi-handle, .widget-slider .ui-slider-handle"
                     ).first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.jp-OutputArea-output .widget-readout')"
        ".textContent.trim() === '2'", timeout=10_000)


TEXT_SIZES = """(root) => [...root.querySelectorAll('*')]
  .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && /\\d/.test(n.textContent))
                 && e.getClientRects().length > 0)
  .map((e) => ({text: e.textContent.trim().slice(0, 40),
                px: parseFloat(getComputedStyle(e).fontSize)}))"""


def _lecture_page(chromium, url):
    """The lecture-mode notebook after Run All at 1280×720, the file browser closed (as on
    a projector), the explorer scrolled into view."""
    page = _run_all(chromium, url, "lecture_mode.ipynb",
                    viewport={"width": 1280, "height": 720}, n_pictures=1)
    page.evaluate("window.jupyterapp.shell.collapseLeft()")
    output = page.locator(".jp-OutputArea-output:has(.cnnlab-explorer)")
    output.locator(".jupyter-widgets img").scroll_into_view_if_needed()
    page.wait_for_timeout(500)   # layout settles after the sidebar closed
    return page, output


def test_lecture_mode_fits_a_projector_with_large_numbers(chromium, jupyterlab):
    """At 1280×720 with lecture_mode(): no horizontal scroll, the explorer's text and the
    numbers drawn in its picture at 18 px or more (issue 16 item 5)."""
    from cnnlab import render

    page, output = _lecture_page(chromium, jupyterlab)
    output.screenshot(path=str(ARTIFACTS / "lecture-mode-1280x720.png"))
    page.screenshot(path=str(ARTIFACTS / "lecture-mode-page-1280x720.png"))
    widths = output.evaluate("(e) => [e.scrollWidth, e.clientWidth]")
    sizes = output.evaluate(TEXT_SIZES)
    # The numbers in the picture are drawn at the lecture style's font size (PNG pixels)
    # and shown scaled by the picture's displayed / natural width.
    scale = output.locator(".jupyter-widgets img").evaluate(
        "(i) => i.getBoundingClientRect().width / i.naturalWidth")
    assert widths[0] <= widths[1], f"horizontal scroll in the output area: {widths}"
    assert sizes, "no numbers found in the explorer's text"
    small = [s for s in sizes if s["px"] < 18]
    assert small == [], small
    assert render.STYLES["lecture"].font * scale >= 18, scale
