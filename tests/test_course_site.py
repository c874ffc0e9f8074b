"""`make course`: the static site of the executed notebooks works offline, page by page."""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import course_slides
import project
import pytest
from test_browser import ARTIFACTS, _free_port, _wait_for_server

ROOT = project.ROOT
NOTEBOOKS = project.notebooks()
# Tool modules that slide export must not load: it needs course_slides and project only.
NOT_FOR_SLIDES = ("nbclient", "tomllib", "build_course", "check_notebooks",
                  "execute_notebooks", "sync_notebooks", "colab_like")

ANIMATED = re.compile(r"(Convolution|Pooling|Channel)Explorer\(")
RESOURCE_ATTRIBUTES = {"script": "src", "img": "src", "link": "href", "iframe": "src",
                       "source": "src", "video": "src", "audio": "src", "embed": "src"}


class Page(HTMLParser):
    """What the tests need from a page: loaded resources, links and the stderr outputs."""

    def __init__(self, text):
        super().__init__()
        self.resources, self.links, self.stderr, self._in_stderr = [], [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in RESOURCE_ATTRIBUTES and attrs.get(RESOURCE_ATTRIBUTES[tag]):
            self.resources.append(attrs[RESOURCE_ATTRIBUTES[tag]])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if self._in_stderr or attrs.get("data-mime-type") == "application/vnd.jupyter.stderr":
            self._in_stderr += 1

    def handle_endtag(self, tag):
        if self._in_stderr:
            self._in_stderr -= 1

    def handle_data(self, data):
        if self._in_stderr:
            self.stderr.append(data)


def stored_outputs(path, mime):
    """How many outputs of the stored notebook carry ``mime`` (or, for GIFs, embed one)."""
    cells = json.loads(path.read_text())["cells"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    if mime == "image/gif":
        return sum("data:image/gif;base64" in "".join(o.get("data", {}).get("text/html", ""))
                   for o in outputs)
    return sum(mime in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_index_links_every_page_and_its_slides_in_order(site):
    links = Page((site / "index.html").read_text()).links
    assert links == [name for path in NOTEBOOKS
                     for name in (f"{path.stem}.html", f"slides/{path.stem}.slides.html")]
    assert all((site / link).is_file() for link in links)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_page_embeds_its_animations_and_figures(site, path):
    text = (site / f"{path.stem}.html").read_text()
    assert text.count("data:image/gif;base64") >= stored_outputs(path, "image/gif")
    assert text.count("data:image/png;base64") >= stored_outputs(path, "image/png")
    if ANIMATED.search(path.read_text()):
        assert stored_outputs(path, "image/gif") >= 1   # the animation is there to embed
    assert "VBox(children=" not in text                 # no widget shown as its repr
    assert "widget-note" not in text                    # every widget has its still picture


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_page_has_no_error_output(site, path):
    page = Page((site / f"{path.stem}.html").read_text())
    stderr = "".join(page.stderr)
    assert "Traceback" not in stderr and "Error" not in stderr
    assert "jp-OutputArea-output" in (site / f"{path.stem}.html").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["index.html"] + [f"{p.stem}.html" for p in NOTEBOOKS]
                         + [f"slides/{p.stem}.slides.html" for p in NOTEBOOKS])
def test_pages_load_nothing_from_the_network(site, name):
    text = (site / name).read_text()
    page = Page(text)
    remote = [r for r in page.resources if r.startswith(("http:", "https:", "//"))]
    assert remote == []
    assert "url(http" not in text and "@import" not in text
    for resource in page.resources:                    # every local file is there
        if not resource.startswith("data:"):
            assert ((site / name).parent / resource.split("#")[0]).is_file(), resource


@pytest.mark.slow
def test_each_slide_show_is_one_file_with_reveal_js_inside(site):
    text = (site / "slides" / "02_convolution.slides.html").read_text()
    assert [r for r in Page(text).resources if not r.startswith("data:")] == []
    assert "Reveal.initialize(" in text and "RevealNotes" in text
    assert "* reveal.js 5.2" in text and "MIT licensed" in text
    assert (site / "slides" / "reveal.js-LICENSE.txt").read_text().startswith("Copyright")


def expected_slides(path):
    """Slides the course's rule makes of a notebook: one per heading and per code cell,
    the Colab install cell left out (counted from the stored notebook, independently)."""
    cells = [c for c in json.loads(path.read_text())["cells"]
             if project.ENVIRONMENT_TAG not in c["metadata"].get("tags", [])]
    return sum(c["cell_type"] == "code"
               or (c["cell_type"] == "markdown" and "".join(c["source"]).lstrip()[:1] == "#")
               for c in cells)


@pytest.fixture(scope="module")
def slides_environment(tmp_path_factory):
    """The environment of a Jupyter whose config this tree's course_slides.py installed
    (into a prefix of its own, read before .venv's: .venv's may be another tree's)."""
    prefix = tmp_path_factory.mktemp("prefix")
    course_slides.install_slides_config(prefix)
    return dict(os.environ, JUPYTER_CONFIG_PATH=str(prefix / "etc" / "jupyter"))


@pytest.fixture(scope="module")
def nbconvert_slides(tmp_path_factory, slides_environment):
    """`jupyter nbconvert --to slides` run as a lecturer would, in the course environment;
    returns the slides and the names of the modules that the export imported."""
    folder = tmp_path_factory.mktemp("slides")
    notebook = shutil.copy(ROOT / "notebooks" / "03_padding_stride.ipynb", folder)
    export = subprocess.run([Path(sys.executable).parent / "jupyter", "nbconvert", "--to",
                             "slides", notebook], check=True, capture_output=True, text=True,
                            env=dict(slides_environment, PYTHONPROFILEIMPORTTIME="1"))
    imported = {line.split("|")[-1].strip() for line in export.stderr.splitlines()
                if line.startswith("import time:")}
    return folder / "03_padding_stride.slides.html", imported


@pytest.mark.slow
def test_jupyter_nbconvert_to_slides_exports_the_offline_slides(nbconvert_slides):
    slides, imported = nbconvert_slides
    assert "course_slides" in imported                       # the course's config applied
    assert [name for name in NOT_FOR_SLIDES[2:] if name in imported] == []
    text = slides.read_text()
    assert [r for r in Page(text).resources if not r.startswith("data:")] == []
    assert "Reveal.initialize(" in text
    assert "<math" in text and "$$" not in text            # formulas drawn without MathJax
    assert "pip install" not in text                        # the Colab cell is left out
    assert "colab-badge.svg" not in text


@pytest.mark.slow
def test_slides_play_in_a_browser_with_the_network_cut(chromium, nbconvert_slides):
    slides, _ = nbconvert_slides
    requested, errors = [], []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith("file:")
                  else (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(slides.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    total = page.evaluate("Reveal.getTotalSlides()")
    with page.expect_popup() as speaker_view:             # the lecturer's S key
        page.keyboard.press("s")
    speaker_view.value.wait_for_function(
        "() => document.querySelectorAll('iframe').length == 2")
    speaker_title = speaker_view.value.title()
    page.bring_to_front()
    page.evaluate("Reveal.right()")
    moved_to = page.evaluate("Reveal.getIndices().h")
    formula_width = page.evaluate(
        "() => { Reveal.slide(...Object.values(Reveal.getIndices(document.querySelector("
        "'math').closest('section')))); "
        "return document.querySelector('math').getBoundingClientRect().width; }")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "slides-03-formula.png"))
    assert requested == [] and errors == []
    assert total == expected_slides(ROOT / "notebooks" / "03_padding_stride.ipynb")
    assert moved_to == 1
    assert "Speaker View" in speaker_title
    assert formula_width > 20                                   # MathML is drawn


def test_formulas_become_mathml():
    display = course_slides.with_mathml("$$a + b$$")
    assert display.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert 'display="block"' in display.split(">")[0]
    inline = course_slides.with_mathml("a $k'$ b $x$ c")
    assert inline.startswith("a <math") and inline.count("<math") == 2 and "$" not in inline


def test_slide_types_set_by_the_lecturer_are_kept():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    own = new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell("1 + 1")])
    own.cells[1].metadata["slideshow"] = {"slide_type": "fragment"}
    course_slides.prepare(own)
    assert own.cells[1].metadata["slideshow"] == {"slide_type": "fragment"}
    assert "slideshow" not in own.cells[0].metadata
    plain = course_slides.prepare(new_notebook(cells=[new_markdown_cell("# Title"),
                                                     new_markdown_cell("text"),
                                                     new_code_cell("1 + 1")]))
    assert [c.metadata["slideshow"]["slide_type"] for c in plain.cells] == [
        "slide", "-", "subslide"]
    assert plain.metadata["title"] == "Title"


@pytest.mark.slow
def test_slides_config_goes_into_the_environment_and_spares_a_foreign_one(tmp_path):
    assert course_slides.main(["--prefix", str(tmp_path)]) == 0   # as `make lab` runs it
    written = [tmp_path / "etc" / "jupyter" / "jupyter_nbconvert_config.py",
               tmp_path / "etc" / "jupyter" / "jupyter_server_config.py"]
    for path in written:
        config = {}
        exec(path.read_text(), {"c": _Config(config)})          # what Jupyter would set
        assert config["template_name"] == "course_slides"
        assert config["preprocessors"] == ["course_slides.course_preprocessor"]
        assert Path(config["extra_template_paths"][0], "dist", "reveal.js").is_file()
    course_slides.install_slides_config(tmp_path)                # rewriting its own is fine
    written[1].write_text("c.ServerApp.port = 9999\n")
    with pytest.raises(FileExistsError, match="not written by this tool"):
        course_slides.install_slides_config(tmp_path)
    assert written[1].read_text() == "c.ServerApp.port = 9999\n"


@pytest.mark.slow
def test_jupyterlab_menu_export_gives_the_offline_slides(tmp_path, slides_environment):
    """File → Save and Export Notebook As → Reveal.js Slides asks jupyter-server for
    /nbconvert/slides/<notebook>; the environment's server config makes it offline too."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(ROOT / "notebooks" / "05_dilation.ipynb", root)
    port = _free_port()
    env = dict(slides_environment, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--IdentityProvider.token=", f"--ServerApp.root_dir={root}",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_server(url, server)
        request = urllib.request.Request(  # a browser's Referer, as the server requires
            url + "nbconvert/slides/05_dilation.ipynb?download=false", headers={"Referer": url})
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert [r for r in Page(text).resources if not r.startswith("data:")] == []
    assert "Reveal.initialize(" in text and "<math" in text and "pip install" not in text


class _Config:
    """Stands in for traitlets' ``c``: records ``c.SlidesExporter.<name> = value``."""

    def __init__(self, settings):
        self.SlidesExporter = type("Section", (), {"__setattr__": lambda _, name, value:
                                                   settings.__setitem__(name, value)})()


def test_slide_export_loads_neither_the_executor_nor_the_other_tools():
    # What `jupyter nbconvert --to slides` imports through the config (the preprocessor).
    name = "course_slides.course_preprocessor"
    code = (f"import importlib, sys; sys.path.insert(0, {str(project.TOOLS)!r}); "
            f"module, _, function = {name!r}.rpartition('.'); "
            "callable(getattr(importlib.import_module(module), function)) or sys.exit(1); "
            f"print([name for name in {NOT_FOR_SLIDES!r} if name in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT / "notebooks")
    assert result.stdout.strip() == "[]"


def test_a_widget_without_a_still_picture_becomes_a_note():
    from nbformat.v4 import new_code_cell, new_notebook, new_output
    bare = new_output("display_data", data={
        "text/plain": "VBox(children=(IntSlider(value=3),))",
        project.WIDGET_MIME: {"model_id": "m", "version_major": 2}})
    notebook = course_slides.prepare(new_notebook(cells=[new_code_cell("w", outputs=[bare])]))
    assert notebook.cells[0].outputs[0].data == {"text/html": course_slides.WIDGET_NOTE}
