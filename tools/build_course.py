"""Build the static course (`make course`): HTML pages, an index and reveal.js slides in site/.

The pages are the executed notebooks as stored (what nbval checks), exported by nbconvert
with templates that load nothing from the network: no require.js, no MathJax, no widget
manager from a CDN. The explorers' animations are embedded GIFs (their ``text/html``
output), formulas are turned into MathML, which browsers draw natively, and each slide
show is one HTML file with reveal.js inlined (from the npm registry, pinned, checksum
verified). How a notebook is prepared and the slides made lives in course_slides.py,
which the course environment's own slide export uses too.

Usage: python tools/build_course.py [--out site] [--no-slides] [notebooks/*.ipynb]
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
from pathlib import Path

import nbformat
import project
from course_slides import TEMPLATES, course_preprocessor, reveal_folder, slides_settings, title_of
from nbconvert import HTMLExporter, SlidesExporter


def page_links(pages: list[tuple[str, str]], index: int) -> dict:
    """Names and titles of the index, previous and next pages around ``pages[index]``."""
    links = {"index": ("index.html", "All notebooks")}
    if index > 0:
        links["previous"] = pages[index - 1]
    if index < len(pages) - 1:
        links["next"] = pages[index + 1]
    return links


def build(paths: list[Path], out: Path, *, slides: bool = True) -> list[Path]:
    """Write the pages, the index and (unless ``slides=False``) the slides; return pages."""
    out.mkdir(parents=True, exist_ok=True)
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    pages = [(f"{path.stem}.html", title_of(notebook) or path.stem)
             for path, notebook in zip(paths, notebooks, strict=True)]
    page_exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)],
                                 extra_template_paths=[str(TEMPLATES)],   # course_common.j2
                                 template_name="course_page",
                                 preprocessors=[course_preprocessor])
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
        slide_exporter = SlidesExporter(**slides_settings(), preprocessors=[course_preprocessor])
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
    parser.add_argument("--out", type=Path, default=project.ROOT / "site")
    parser.add_argument("--no-slides", action="store_true")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    written = build(args.paths or project.notebooks(), args.out, slides=not args.no_slides)
    print(f"{len(written)} pages, index{' and slides' if not args.no_slides else ''} "
          f"in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
