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

import project
import pytest

NOTEBOOK = project.ROOT / "tests" / "browser" / "convolution_explorer.ipynb"
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
    """A JupyterLab server on a free port over a copy of the test notebook."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
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


def test_play_advances_the_convolution_explorer_in_jupyterlab(chromium, jupyterlab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": 1400, "height": 1100})
    page.set_default_timeout(90_000)
    page.goto(jupyterlab + "lab/tree/" + NOTEBOOK.name)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
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
