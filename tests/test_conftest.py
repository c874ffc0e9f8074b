"""tests/conftest.py's ``requires``: a missing outside dependency skips a test locally and
fails it under CI, where a silent skip would hide that the browser or Colab never ran."""

import pytest


def test_a_present_dependency_lets_the_test_run(requires, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert requires(True, "Chromium", "make system-deps") is None


def test_a_missing_dependency_skips_locally_and_says_how_to_install_it(requires, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"Chromium is missing \(make system-deps\)"):
        requires(False, "Chromium", "make system-deps")


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_missing_dependency_fails_under_ci(requires, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="Chromium is missing.*failure"):
        requires(False, "Chromium", "make system-deps")


def test_ci_set_to_false_is_local(requires, monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        requires(False, "Chromium", "make system-deps")
