"""Binder: repo2docker builds the course from binder/, and the badges point at the repository.

What runs without Docker is checked here: repo2docker's own build-pack detection on this
repository (which build pack, which Python, which commands it would run), and then those
very commands (binder/requirements.txt, then binder/postBuild) in a fresh virtual
environment standing in for the image's, followed by notebook 01 in a kernel of it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
import urllib.parse
import venv
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
import sync_notebooks  # noqa: E402

BINDER = ROOT / "binder"
# repo2docker's documented commands for binder/requirements.txt and binder/postBuild, used
# where repo2docker itself is not installed (https://repo2docker.readthedocs.io, "postBuild").
DOCUMENTED_SCRIPTS = [
    '${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"',
    "./binder/postBuild",
]


def _owner_repo() -> str:
    with open(ROOT / "pyproject.toml", "rb") as file:
        url = tomllib.load(file)["project"]["urls"]["Repository"]
    return url.rstrip("/").removeprefix("https://github.com/")


def test_binder_link_is_made_from_the_repository_url():
    # mybinder.org's documented form: /v2/gh/OWNER/REPO/REF?urlpath=... (JupyterLab path)
    expected = f"https://mybinder.org/v2/gh/{_owner_repo()}/HEAD?urlpath=lab/tree/notebooks"
    assert sync_notebooks.binder_url() == expected
    assert sync_notebooks.binder_badge() == (
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({expected})")


@pytest.mark.parametrize("page", ["README.md", "docs/deploying.md"])
def test_pages_carry_the_binder_badge_of_the_repository_url(page):
    text = (ROOT / page).read_text()
    assert sync_notebooks.binder_badge() in text
    assert text.count("mybinder.org/v2/") == text.count(sync_notebooks.binder_url())


def test_nbgitpuller_links_pull_this_repository_and_open_a_notebook():
    # nbgitpuller's documented link: HUB/hub/user-redirect/git-pull?repo=...&urlpath=...;
    # it clones into a folder named after the repository.
    text = (ROOT / "docs" / "deploying.md").read_text()
    links = re.findall(r"https://[^\s)`\]<>]*/hub/user-redirect/git-pull\?[^\s)`\]]+", text)
    assert links
    folder = _owner_repo().split("/")[1]
    for link in links:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query, strict_parsing=True)
        assert query["repo"] == [f"https://github.com/{_owner_repo()}"], link
        assert query["branch"] == ["main"], link
        target = query["urlpath"][0].removeprefix(f"lab/tree/{folder}/")
        assert target != query["urlpath"][0] and (ROOT / target).exists(), link


def test_binder_files_follow_repo2dockers_rules():
    # runtime.txt: "python-X.Y" (repo2docker's format); the lock was resolved for 3.11.
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    lock_header = (ROOT / "requirements" / "lock.txt").read_text().splitlines()[0]
    assert "Python 3.11" in lock_header
    # The first line includes the lock (pip reads "-r" relative to this file); the others
    # are exact pins of what only the hub image needs, never a second pin of a locked package.
    lines = [line.split("#")[0].strip() for line in
             (BINDER / "requirements.txt").read_text().splitlines()]
    include, *extras = [line for line in lines if line]
    assert include == "-r ../requirements/lock.txt"
    lock = BINDER / include.split()[1]
    assert lock.resolve() == ROOT / "requirements" / "lock.txt"
    locked = {line.split("==")[0].lower() for line in lock.read_text().splitlines()
              if "==" in line}
    for extra in extras:
        name, _, version = extra.partition("==")
        assert version and name.lower() not in locked, extra
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert post_build.read_text().startswith("#!/bin/bash\n")
    assert "jupyterlab/overrides.json" in post_build.read_text()
    # With binder/ present repo2docker ignores environment.yml etc. at the root; a second
    # configuration folder would be an error.
    assert not (ROOT / ".binder").exists()


def _repo2docker_scripts() -> list[str]:
    """The shell commands repo2docker would run for the course's own files, in order."""
    app = pytest.importorskip("repo2docker.app")
    from repo2docker.buildpacks import PythonBuildPack

    cwd = os.getcwd()
    os.chdir(ROOT)  # build packs inspect the current directory
    try:
        for pack_class in app.Repo2Docker().buildpacks:
            pack = pack_class(base_image="buildpack-deps:jammy")
            if pack.detect():
                break
        assert type(pack) is PythonBuildPack
        assert pack.python_version == "3.11"
        # "-r ../requirements/lock.txt" reaches outside binder/: installed once the whole
        # repository is in the image (assemble), not from binder/ alone (preassemble).
        assert not any("requirements" in script for _, script in pack.get_preassemble_scripts())
        scripts = [script for user, script in pack.get_assemble_scripts()
                   if "binder/" in script]
        scripts += [f"./{path}" for path in pack.get_post_build_scripts()]
    finally:
        os.chdir(cwd)
    return scripts


def test_repo2docker_detects_python_311_with_the_binder_folder():
    assert _repo2docker_scripts() == DOCUMENTED_SCRIPTS


@pytest.mark.slow
def test_binder_environment_installs_and_runs_notebook_01(tmp_path):
    try:
        scripts = _repo2docker_scripts()
    except pytest.skip.Exception:
        scripts = DOCUMENTED_SCRIPTS
    prefix = tmp_path / "notebook-env"  # stands in for the image's /srv/conda/envs/notebook
    venv.create(prefix, with_pip=True)
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTERLAB_DIR")}
    environment.update(NB_PYTHON_PREFIX=str(prefix), KERNEL_PYTHON_PREFIX=str(prefix),
                       PATH=f"{prefix / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for script in scripts:
        # The image is built without pip's cache; here the local cache makes it fast.
        command = script.replace(" --no-cache-dir", "")
        result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=environment,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"

    # JupyterLab of that environment reads its settings from <app dir>/settings.
    app_dir = subprocess.run(
        [prefix / "bin" / "python", "-c",
         "from jupyterlab.commands import get_app_dir; print(get_app_dir())"],
        env=environment, capture_output=True, text=True, check=True).stdout.strip()
    installed = Path(app_dir) / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == json.loads(
        (ROOT / "jupyterlab" / "overrides.json").read_text())

    # nbgitpuller's server extension is on in that environment (docs/deploying.md's links).
    extensions = subprocess.run(
        [prefix / "bin" / "jupyter", "server", "extension", "list"],
        env=environment, capture_output=True, text=True, check=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", extensions.stdout + extensions.stderr)  # colours
    assert re.search(r"nbgitpuller\s+enabled", listing)

    # Notebook 01 in a kernel of the new environment, plus a cell that says which cnnlab
    # it imported (the installed copy, not the working tree).
    notebook = nbformat.read(ROOT / "notebooks" / "01_rgb_channels.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import cnnlab; print(cnnlab.__file__)"))
    source, executed = tmp_path / "01.ipynb", tmp_path / "01-executed.ipynb"
    nbformat.write(notebook, source)
    runner = ("import sys, nbformat\nfrom nbclient import NotebookClient\n"
              "nb = nbformat.read(sys.argv[1], as_version=4)\n"
              "NotebookClient(nb, timeout=600, kernel_name='python3',"
              " resources={'metadata': {'path': sys.argv[3]}}).execute()\n"
              "nbformat.write(nb, sys.argv[2])\n")
    result = subprocess.run(
        [prefix / "bin" / "python", "-c", runner, source, executed, tmp_path],
        env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-5000:]
    cells = nbformat.read(executed, as_version=4).cells
    errors = [output for cell in cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert errors == []
    where = "".join(output.get("text", "") for output in cells[-1].outputs).strip()
    assert Path(where).is_relative_to(prefix), where
