"""Build the static course (`make course`): HTML pages, an index and reveal.js slides in site/.

The pages are the executed notebooks as stored (what nbval checks), exported by nbconvert
with templates that load nothing from the network: no require.js, no MathJax, no widget
manager from a CDN. The explorers' animations are embedded GIFs (their ``text/html``
output), formulas are turned into MathML, which browsers draw natively, and each slide
show is one HTML file with reveal.js inlined (from the npm registry, pinned, checksum
verified). ``--install-slides-config`` makes plain ``jupyter nbconvert --to slides`` and
JupyterLab's slide export in the course environment produce the same offline slides
(make lab / make test do it).

Usage: python tools/build_course.py [--out site] [--no-slides] [notebooks/*.ipynb]
       python tools/build_course.py --install-slides-config
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import nbformat
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_notebooks import widget_without_still  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(__file__).resolve().parent
TEMPLATES = TOOLS / "course_templates"
REVEAL = {"version": "5.2.1",
          "sha256": "359b575dd51bbda32f89b2fd4c7dc46ad7389a805572158916c29252f7a27333"}
REVEAL_FILES = ("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
                "plugin/notes/notes.js")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cnnlab"
NPM_REGISTRY = os.environ.get("npm_config_registry", "https://registry.npmjs.org").rstrip("/")
# Jupyter config files (nbconvert's, jupyter-server's) that install_slides_config writes.
SLIDES_CONFIG_FILES = ("jupyter_nbconvert_config.py", "jupyter_server_config.py")
SLIDES_CONFIG_MARK = "# Written by `python tools/build_course.py"

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
    """The notebook's first heading, e.g. "02 · Convolution: …" (None if it has none)."""
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
    notebook.cells = [cell for cell in notebook.cells
                      if "environment" not in cell.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if widget_without_still(data):   # its text repr would mean nothing here
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


class CoursePreprocessor(Preprocessor):
    """:func:`prepare` as an nbconvert preprocessor, for `make course` and for
    `jupyter nbconvert --to slides` in the course environment."""

    def preprocess(self, nb, resources):
        return prepare(nb), resources


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


def page_links(pages: list[tuple[str, str]], index: int) -> dict:
    """Names and titles of the index, previous and next pages around ``pages[index]``."""
    links = {"index": ("index.html", "All notebooks")}
    if index > 0:
        links["previous"] = pages[index - 1]
    if index < len(pages) - 1:
        links["next"] = pages[index + 1]
    return links


def reveal_folder() -> Path:
    """reveal.js unpacked from its npm tarball (fetched once from the registry, verified)."""
    folder = CACHE / f"reveal.js-{REVEAL['version']}"
    if all((folder / name).is_file() for name in REVEAL_FILES):
        return folder
    CACHE.mkdir(parents=True, exist_ok=True)
    tarball = CACHE / f"reveal.js-{REVEAL['version']}.tgz"
    if not tarball.is_file():
        url = f"{NPM_REGISTRY}/reveal.js/-/reveal.js-{REVEAL['version']}.tgz"
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
    inlines reveal.js, so that one HTML file is the whole slide show."""
    return {"extra_template_basedirs": [str(TEMPLATES)], "template_name": "course_slides",
            "extra_template_paths": [str(reveal_folder())]}


def slides_config() -> str:
    """Jupyter config that gives `jupyter nbconvert --to slides` (and JupyterLab's menu
    File → Save and Export Notebook As → Reveal.js Slides, served by jupyter-server) the
    course's offline slides; see :func:`install_slides_config`."""
    lines = [f"{SLIDES_CONFIG_MARK} --install-slides-config` (make lab,",
             "# make test): slides exported in this environment are the course's offline",
             "# slides (reveal.js inlined, formulas as MathML, no CDN).",
             "import sys", "", f"sys.path.append({str(TOOLS)!r})"]
    lines += [f"c.SlidesExporter.{name} = {value!r}"
              for name, value in slides_settings().items()]
    lines.append("c.SlidesExporter.preprocessors = ['build_course.CoursePreprocessor']")
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


def build(paths: list[Path], out: Path, *, slides: bool = True) -> list[Path]:
    """Write the pages, the index and (unless ``slides=False``) the slides; return pages."""
    out.mkdir(parents=True, exist_ok=True)
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    pages = [(f"{path.stem}.html", title_of(notebook) or path.stem)
             for path, notebook in zip(paths, notebooks, strict=True)]
    page_exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)],
                                 template_name="course_page",
                                 preprocessors=[CoursePreprocessor])
    written = []
    for index, (path, notebook) in enumerate(zip(paths, notebooks, strict=True)):
        body, _ = page_exporter.from_notebook_node(notebook, resources={
            "metadata": {"name": path.stem}, "course_links": page_links(pages, index),
            "slides_href": f"slides/{path.stem}.slides.html" if slides else None})
        (out / pages[index][0]).write_text(body, encoding="utf-8")
        written.append(out / pages[index][0])
    (out / "index.html").write_text(index_page(pages, paths, slides), encoding="utf-8")
    if slides:
        slide_folder = out / "slides"
        slide_folder.mkdir(exist_ok=True)
        shutil.copy(reveal_folder() / "LICENSE", slide_folder / "reveal.js-LICENSE.txt")
        slide_exporter = SlidesExporter(**slides_settings(), preprocessors=[CoursePreprocessor])
        for path, notebook in zip(paths, notebooks, strict=True):   # exporters copy it
            body, _ = slide_exporter.from_notebook_node(
                notebook, resources={"metadata": {"name": path.stem}})
            (slide_folder / f"{path.stem}.slides.html").write_text(body, encoding="utf-8")
    return written


def index_page(pages, paths, slides: bool) -> str:
    """The course's front page: every notebook in order, with its summary line."""
    items = []
    for (href, title), path in zip(pages, paths, strict=True):
        slide_link = (f' · <a href="slides/{path.stem}.slides.html">slides</a>'
                      if slides else "")
        items.append(f'<li><a href="{href}">{html.escape(title)}</a>{slide_link}</li>')
    return (TEMPLATES / "index.html").read_text(encoding="utf-8").replace(
        "<!-- NOTEBOOKS -->", "\n".join(items))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--no-slides", action="store_true")
    parser.add_argument("--install-slides-config", action="store_true",
                        help="make slide exports in this environment (jupyter nbconvert "
                             "--to slides, JupyterLab's menu) the offline slides, and stop")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.install_slides_config:
        print("wrote", *install_slides_config())
        return 0
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    written = build(paths, args.out, slides=not args.no_slides)
    print(f"{len(written)} pages, index{' and slides' if not args.no_slides else ''} "
          f"in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
