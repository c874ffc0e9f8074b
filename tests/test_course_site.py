"""`make course`: the static site of the executed notebooks works offline, page by page."""

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import build_course  # noqa: E402

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


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_course.main(["--out", str(out)])
    return out


def test_index_links_every_page_and_its_slides_in_order(site):
    links = Page((site / "index.html").read_text()).links
    assert links == [name for path in NOTEBOOKS
                     for name in (f"{path.stem}.html", f"slides/{path.stem}.slides.html")]
    assert all((site / link).is_file() for link in links)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_page_embeds_its_animations_and_figures(site, path):
    text = (site / f"{path.stem}.html").read_text()
    assert text.count("data:image/gif;base64") >= stored_outputs(path, "image/gif")
    assert text.count("data:image/png;base64") >= stored_outputs(path, "image/png")
    if ANIMATED.search(path.read_text()):
        assert stored_outputs(path, "image/gif") >= 1   # the animation is there to embed
    assert "VBox(children=" not in text                 # no widget shown as its repr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_page_has_no_error_output(site, path):
    page = Page((site / f"{path.stem}.html").read_text())
    stderr = "".join(page.stderr)
    assert "Traceback" not in stderr and "Error" not in stderr
    assert "jp-OutputArea-output" in (site / f"{path.stem}.html").read_text()


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


def test_slides_use_the_local_reveal_js(site):
    page = Page((site / "slides" / "02_convolution.slides.html").read_text())
    assert "reveal.js/dist/reveal.js" in page.resources
    assert "reveal.js/dist/reveal.css" in page.resources
    assert (site / "slides" / "reveal.js" / "LICENSE").is_file()


def test_formulas_become_mathml():
    display = build_course.with_mathml("$$a + b$$")
    assert display.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert 'display="block"' in display.split(">")[0]
    inline = build_course.with_mathml("a $k'$ b $x$ c")
    assert inline.startswith("a <math") and inline.count("<math") == 2 and "$" not in inline
