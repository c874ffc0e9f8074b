"""The wheel carries data/, installs into a fresh venv, and `import cnnlab` stays light."""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIGHT_MODULES = ["cnnlab", "cnnlab.ops", "cnnlab.kernels", "cnnlab.images", "cnnlab.exercises",
                 "cnnlab.trace", "cnnlab.render", "cnnlab.widgets"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("cnnlab-*.whl")
    return path


@pytest.mark.slow
def test_wheel_carries_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()]
    assert shipped, "data/ is empty"
    missing = [f for f in shipped if f"cnnlab/{f}" not in names]
    assert not missing, f"not in the wheel: {missing}"


@pytest.mark.slow
def test_wheel_carries_the_explorer_player(wheel):
    """The player's script and style sheet are package data (the stored explorers inline them)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cnnlab/widgets/player.js", "cnnlab/widgets/player.css"} <= names


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_finds_its_data(wheel, tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    probe = ("from cnnlab._data import data_path, data_dir; "
             "p = data_path('README.md'); print(p); print(p.read_text()[:14])")
    alone = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    result = subprocess.run([python, "-c", probe], check=True, capture_output=True, text=True,
                            cwd=tmp_path, env=alone)   # a checkout on PYTHONPATH would win
    location, first_line = result.stdout.splitlines()[:2]
    assert str(env) in location and "site-packages/cnnlab/data" in location
    assert first_line == "# Shipped data"


def test_light_modules_do_not_import_tensorflow():
    present = [m for m in LIGHT_MODULES
               if (ROOT / (m.replace(".", "/") + ".py")).exists()
               or (ROOT / m.replace(".", "/") / "__init__.py").exists()]
    code = ("import sys, importlib\n"
            f"for name in {present!r}: importlib.import_module(name)\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))\n"
            "print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", f"{present} imported {result.stdout}"


def test_environment_yml_has_the_lock_files_pins():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "write_environment_yml.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
