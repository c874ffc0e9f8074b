"""tests/conftest.py: ``requires`` (a missing outside dependency skips a test locally and
fails it under CI, where a silent skip would hide that the browser or Colab never ran) and
the doctests it sends to the slow tier."""

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


def test_doctests_of_tensorflow_modules_are_slow_and_the_others_are_not():
    from conftest import _uses_tensorflow

    import cnnlab
    import cnnlab._tf
    import cnnlab.models
    import cnnlab.ops

    assert _uses_tensorflow(vars(cnnlab._tf)) and _uses_tensorflow(vars(cnnlab.models))
    assert not _uses_tensorflow(vars(cnnlab.ops))
    assert not _uses_tensorflow(vars(cnnlab))   # the package's surface, not TensorFlow
