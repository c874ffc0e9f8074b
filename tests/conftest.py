"""Test-wide settings: quiet, deterministic TensorFlow, hypothesis profiles, the tools on
the import path, and :func:`requires` for tests whose dependency lives outside Python."""

import os
import sys
from pathlib import Path

import pytest

from cnnlab._tf import TF_ENVIRONMENT

# Before anything imports TensorFlow (the tests use it as the oracle).
for name, value in TF_ENVIRONMENT.items():
    os.environ.setdefault(name, value)

# The tests import the tools as modules, as the tools import each other (tools/project.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: not in `make test-fast` (a browser, a server, a site or slides "
        "build, a wheel or venv, a notebook run, model training, TensorFlow's import)")


@pytest.hookimpl(tryfirst=True)   # before `-m "not slow"` deselects
def pytest_collection_modifyitems(items):
    """The examples of cnnlab's TensorFlow modules go to the slow tier, as their tests do:
    they import TensorFlow (seconds per worker) and build or train models."""
    for item in items:
        test = getattr(item, "dtest", None)   # a doctest (--doctest-modules)
        if test is not None and _uses_tensorflow(test.globs):
            item.add_marker(pytest.mark.slow)


def _uses_tensorflow(module_globals: dict) -> bool:
    """Whether a module is cnnlab's TensorFlow import or calls it (takes names from it);
    a package's ``__init__`` only points to its modules and is not counted."""
    if module_globals.get("__name__") == "cnnlab._tf":
        return True
    return "__path__" not in module_globals and any(
        getattr(value, "__module__", None) == "cnnlab._tf" for value in module_globals.values())


def requires(available: bool, what: str, how_to_install: str) -> None:
    """Skip the calling test when ``what`` is missing — but fail it under CI (``CI`` set,
    as CI services do), where a skip would let a browser or Colab test pass unnoticed."""
    if available:
        return
    message = f"{what} is missing ({how_to_install})"
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{message}; under CI that is a failure", pytrace=False)
    pytest.skip(message)


@pytest.fixture(name="requires", scope="session")
def requires_fixture():
    """:func:`requires`, for tests (a conftest is not imported by name)."""
    return requires


CHROMIUM = "/usr/bin/chromium"   # Debian's: Playwright drives it and downloads no browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def chromium():
    """Headless Chromium, launched by Playwright (closed after the test)."""
    requires(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})",
             "`make system-deps` installs Debian's chromium as root")
    try:
        from playwright import sync_api
    except ImportError:
        sync_api = None
    requires(sync_api is not None, "Playwright", "`make test` installs the pinned environment")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# tests/browser/*.ipynb is opened by tests/test_browser.py in a real browser; nbval must not
# collect it (it has no stored outputs on purpose).
collect_ignore_glob = ["browser/*.ipynb"]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """`make course` of the stored notebooks (pages, index and slides) into a temporary
    folder, built once per test process for the site and accessibility tests."""
    import build_course

    out = tmp_path_factory.mktemp("site")
    build_course.main(["--out", str(out)])
    return out
