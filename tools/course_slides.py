"""How a stored notebook becomes a static page or a slide show, and the Jupyter config that
makes the course environment's slide export (``jupyter nbconvert --to slides``, JupyterLab's
menu) the course's offline slides: reveal.js inlined, formulas as MathML, no CDN.

Slide export in the course environment imports this module (through the installed config),
so it loads only what slides need: not nbconvert's preprocessors (they import nbclient), not
the notebook executor, checker or synchroniser, not the TOML reader.

Usage: python tools/course_slides.py [--prefix PREFIX]   (writes the config; make lab and
       make test do it for .venv)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import nbformat
import project
from latex2mathml.converter import convert as latex_to_mathml

TEMPLATES = project.TOOLS / "course_templates"
REVEAL = {"version": "5.2.1",
          "sha256": "359b575dd51bbda32f89b2fd4c7dc46ad7389a805572158916c29252f7a27333"}
REVEAL_FILES = ("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
                "plugin/notes/notes.js")
NPM_REGISTRY = "https://registry.npmjs.org"
# Jupyter config files (nbconvert's, jupyter-server's) that install_slides_config writes.
SLIDES_CONFIG_FILES = ("jupyter_nbconvert_config.py", "jupyter_server_config.py")
# Every config this project's tools wrote starts so (build_course.py wrote them before).
SLIDES_CONFIG_MARK = "# Written by `python tools/"

BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")
WIDGET_NOTE = ("<p class='widget-note'><em>An interactive widget: open the notebook in "
               "JupyterLab or Colab to use it.</em></p>")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$([^$\n]+?)\$")


def with_mathml(markdown: str) -> str:
    """Markdown with every ``$…$`` and ``$$…$$`` formula replaced by MathML.

    >>> with_mathml("size $k'$ here")[:30]
    'size <math xmlns="http://www.w'
    """
    markdown = DISPLAY_MATH.sub(
        lambda m: latex_to_mathml(m.group(1).strip(), display="block"), markdown)
    return INLINE_MATH.sub(lambda m: latex_to_mathml(m.group(1).strip()), markdown)


def title_of(notebook: nbformat.NotebookNode) -> str | None:
    """The notebook's first heading, e.g. "02 · Convolution: …" (None if it has none).

    >>> title_of(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hi\\nx")]))
    'Hi'
    """
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return None


def prepare(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The stored notebook, changed in place, ready for a static page or slides.

    Formulas become MathML, the Colab install cell is left out, the Colab badge (an image
    from the network) becomes a plain link, widgets that have no still picture get a note,
    the first heading becomes the title, and a notebook without slide settings gets the
    course's: every heading starts a slide, code cells go below it as sub-slides.
    """
    notebook.cells = [cell for cell in notebook.cells if not project.is_environment_cell(cell)]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if project.widget_without_still(data):   # its text repr would mean nothing here
                data.clear()
                data["text/html"] = WIDGET_NOTE
        if cell.cell_type == "markdown":
            cell.source = with_mathml(BADGE.sub(r"[Open in Colab](\1)", cell.source))
    notebook.metadata.pop("widgets", None)
    title = title_of(notebook)
    if title and "title" not in notebook.metadata:
        notebook.metadata["title"] = title
    if not any("slideshow" in cell.get("metadata", {}) for cell in notebook.cells):
        with_slide_types(notebook)
    return notebook


def course_preprocessor(notebook: nbformat.NotebookNode, resources: dict):
    """:func:`prepare` as an nbconvert preprocessor, for `make course` and for
    `jupyter nbconvert --to slides` in the course environment.

    A plain function, which nbconvert calls as it calls its own: no subclass of
    ``nbconvert.preprocessors.Preprocessor``, whose package imports the notebook executor.
    """
    return prepare(notebook), resources


def with_slide_types(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Every heading starts a slide; code cells go below it as sub-slides."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            kind = "slide"
        elif cell.cell_type == "code":
            kind = "subslide"
        else:
            kind = "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
    return notebook


def reveal_folder() -> Path:
    """reveal.js unpacked from its npm tarball (fetched once from the registry, verified)."""
    folder = project.CACHE / f"reveal.js-{REVEAL['version']}"
    if all((folder / name).is_file() for name in REVEAL_FILES):
        return folder
    project.CACHE.mkdir(parents=True, exist_ok=True)
    tarball = project.CACHE / f"reveal.js-{REVEAL['version']}.tgz"
    if not tarball.is_file():
        registry = os.environ.get("npm_config_registry", NPM_REGISTRY).rstrip("/")
        url = f"{registry}/reveal.js/-/reveal.js-{REVEAL['version']}.tgz"
        with urllib.request.urlopen(url, timeout=60) as response:
            tarball.write_bytes(response.read())
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != REVEAL["sha256"]:
        tarball.unlink()
        raise RuntimeError(f"{tarball.name}: SHA-256 {digest}, expected {REVEAL['sha256']}")
    with tempfile.TemporaryDirectory() as unpacked, tarfile.open(tarball) as archive:
        members = [archive.getmember(f"package/{name}") for name in REVEAL_FILES]
        archive.extractall(unpacked, members=members, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(Path(unpacked) / "package", folder)
    return folder


def slides_settings() -> dict:
    """The SlidesExporter settings of the offline slides: the course template, which
    inlines reveal.js, so that one HTML file is the whole slide show (reveal.js's files
    and the course's shared course_common.j2 on the template path)."""
    return {"extra_template_basedirs": [str(TEMPLATES)], "template_name": "course_slides",
            "extra_template_paths": [str(reveal_folder()), str(TEMPLATES)]}


def slides_config() -> str:
    """Jupyter config that gives `jupyter nbconvert --to slides` (and JupyterLab's menu
    File → Save and Export Notebook As → Reveal.js Slides, served by jupyter-server) the
    course's offline slides; see :func:`install_slides_config`."""
    lines = [f"{SLIDES_CONFIG_MARK}course_slides.py` (make lab,",
             "# make test): slides exported in this environment are the course's offline",
             "# slides (reveal.js inlined, formulas as MathML, no CDN).",
             "import sys", "",
             "# First on the path: where several configs apply, the one read last (this",
             "# one, when it has the higher priority) names the course_slides imported.",
             f"sys.path.insert(0, {str(project.TOOLS)!r})"]
    lines += [f"c.SlidesExporter.{name} = {value!r}"
              for name, value in slides_settings().items()]
    lines.append("c.SlidesExporter.preprocessors = ['course_slides.course_preprocessor']")
    return "\n".join(lines) + "\n"


def install_slides_config(prefix: Path = Path(sys.prefix)) -> list[Path]:
    """Write :func:`slides_config` for nbconvert and jupyter-server where Jupyter reads an
    environment's own config (``<prefix>/etc/jupyter``); return the paths written.

    A config file there that this tool did not write is left alone (``FileExistsError``).
    """
    paths = [prefix / "etc" / "jupyter" / name for name in SLIDES_CONFIG_FILES]
    text = slides_config()
    for path in paths:
        if path.exists() and not path.read_text().startswith(SLIDES_CONFIG_MARK):
            raise FileExistsError(f"{path} exists and was not written by this tool; "
                                  "merge the lines of slides_config() into it by hand")
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Make slide exports in a Python environment "
                                                 "(jupyter nbconvert --to slides, JupyterLab's "
                                                 "menu) the course's offline slides.")
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix),
                        help="the environment whose etc/jupyter gets the config "
                             "(default: this Python's, %(default)s)")
    args = parser.parse_args(argv)
    print("wrote", *install_slides_config(args.prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
