"""The package's surface: lazy submodules, one Keras import helper, no TensorFlow on import."""

import subprocess
import sys
from pathlib import Path

import pytest

import cnnlab

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cnnlab"
HEAVY = "sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))"


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    return result.stdout.strip()


def _public_modules_on_disk() -> set:
    files = {p.stem for p in PACKAGE.glob("*.py")}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return {name for name in files | packages if not name.startswith("_")}


def test_numpy_half_is_reachable_from_a_bare_import_without_tensorflow():
    code = (
        "import sys\nimport numpy as np\nimport cnnlab\n"
        "assert 'cnnlab.ops' not in sys.modules, 'import cnnlab imported ops'\n"
        "print(cnnlab.ops.conv2d(np.ones((3, 3)), np.ones((2, 2))).tolist())\n"
        "for name in ('images', 'kernels', 'trace', 'render', 'widgets', 'exercises'):\n"
        "    if name in cnnlab.SUBMODULES:\n"
        "        getattr(cnnlab, name)\n"
        "cnnlab.lecture_mode\n"
        f"print({HEAVY})"
    )
    assert _run(code).splitlines() == ["[[4.0, 4.0], [4.0, 4.0]]", "[]"]


@pytest.mark.slow
def test_keras_half_imports_tensorflow_only_when_used():
    """TensorFlow loads on first use, not on import (notebooks 01-05 stay light)."""
    code = (
        "import sys\nimport cnnlab\n"
        "for name in ('datasets', 'models', 'pretrained', 'transfer', 'transfer_data',\n"
        "             'evaluation', 'figures', 'efficientnet_lite'):\n"
        "    getattr(cnnlab, name)\n"
        "import cnnlab.exercises.classification, cnnlab.exercises.transfer_learning\n"
        "cnnlab.datasets.load_fashion_mnist()\n"      # the shipped subset needs numpy only
        "cnnlab.evaluation.confusion_matrix([0, 1], [1, 1])\n"
        f"print({HEAVY})"
    )
    assert _run(code) == "[]"


def test_dir_lists_every_public_submodule():
    on_disk = _public_modules_on_disk()
    assert {"ops", "images", "models", "figures", "evaluation", "pretrained"} <= on_disk
    assert set(cnnlab.SUBMODULES) == on_disk
    assert on_disk | {"import_keras", "lecture_mode"} <= set(dir(cnnlab))
    assert cnnlab.ops is sys.modules["cnnlab.ops"]


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="module 'cnnlab' has no attribute 'inspect'"):
        cnnlab.inspect  # noqa: B018 - the attribute access is the test
    assert not hasattr(cnnlab, "load_keras")


@pytest.mark.slow
def test_import_keras_is_keras_quiet_with_tensorflows_settings():
    from cnnlab._tf import TF_ENVIRONMENT

    code = (
        "import os, sys\nimport cnnlab\nkeras = cnnlab.import_keras()\n"
        "print(keras is sys.modules['keras'], keras.config.is_interactive_logging_enabled())\n"
        f"print([os.environ[k] for k in {sorted(TF_ENVIRONMENT)!r}])"
    )
    lines = _run(code).splitlines()
    assert lines[0] == "True False"
    assert lines[1] == repr([TF_ENVIRONMENT[k] for k in sorted(TF_ENVIRONMENT)])
    assert TF_ENVIRONMENT == {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}
