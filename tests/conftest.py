"""Test-wide settings: quiet, deterministic TensorFlow and hypothesis profiles."""

import os

# Before anything imports TensorFlow (the tests use it as the oracle).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running test (browser, notebooks, wheels)")


# tests/browser/*.ipynb is opened by tests/test_browser.py in a real browser; nbval must not
# collect it (it has no stored outputs on purpose).
collect_ignore_glob = ["browser/*.ipynb"]
