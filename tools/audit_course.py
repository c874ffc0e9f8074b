"""Audit the static course (`make course`) with axe-core in headless Chromium: WCAG 2.1 A
and AA rules on the index, every page and every slide (each slide shown in turn).

axe-core comes from the pinned registry package ``axe-playwright-python`` (its bundled
``axe.min.js``, injected into the page: no CDN); Chromium is Debian's, driven by Playwright
(no browser download). Pages are opened from disk with every network request refused.

Usage: python tools/audit_course.py [SITE]   (default: site/; prints one line per file,
       the violating elements by rule and the total; exits 1 when any is found)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import project

#: The WCAG 2.1 level A and AA rules of axe-core (issue 16).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
CHROMIUM = "/usr/bin/chromium"   # Debian's (make system-deps), as tests/conftest.py uses
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 720}   # a projector
#: What a slide show shows at a time: the present slide and reveal.js's controls, progress
#: bar and slide number (drawn over the slide, so their contrast changes with it).
SHOWN_SLIDE = {"include": [[".reveal .slides section.present"], [".reveal .controls"],
                           [".reveal .progress"], [".reveal .slide-number"]]}


def axe_script() -> str:
    """axe-core's source, from the pinned package (ImportError when it is missing)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def site_files(site: Path) -> list[Path]:
    """The index, the pages and the slide shows of ``site``, in that order."""
    return ([site / "index.html"] + sorted(site.glob("[0-9]*.html"))
            + sorted((site / "slides").glob("*.slides.html")))


def _violations(page, script: str, context=None) -> list[tuple[str, str, str]]:
    """(rule, element selector, what is wrong) for every violating element on ``page``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(script)
    results = page.evaluate("([context, options]) => axe.run(context || document, options)",
                            [context, AXE_OPTIONS])
    return [(rule["id"], " ".join(map(str, node["target"])),
             node.get("failureSummary", "").replace("\n", " ")[:200])
            for rule in results["violations"] for node in rule["nodes"]]


def audit_file(context, path: Path, script: str) -> list[tuple[str, str, str]]:
    """Every violating element of one file; a slide show is audited slide by slide (the
    shown slide and reveal.js's controls), an element counted once however often seen."""
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        if not path.name.endswith(".slides.html"):
            return _violations(page, script)
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        found = {}
        slides = page.evaluate("Reveal.getSlides().map((s) => Reveal.getIndices(s))")
        for number, indices in enumerate(slides):
            page.evaluate("([h, v]) => Reveal.slide(h, v)", [indices["h"], indices.get("v")])
            page.evaluate("() => new Promise((done) => requestAnimationFrame("
                          "() => requestAnimationFrame(done)))")   # laid out and painted
            # The whole document once (reveal.js's controls, the page's language and
            # title), then the slide shown: a third of the time on a large show.
            context = None if number == 0 else SHOWN_SLIDE
            for item in _violations(page, script, context):
                found.setdefault(item[:2], item)
        return list(found.values())
    finally:
        page.close()


def audit(site: Path, browser) -> dict[str, list[tuple[str, str, str]]]:
    """The violations of every file of ``site`` (names relative to it), in a Playwright
    ``browser`` with the network cut."""
    script = axe_script()
    context = browser.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file:", "data:")) else route.abort())
    try:
        return {path.relative_to(site).as_posix(): audit_file(context, path, script)
                for path in site_files(site)}
    finally:
        context.close()


def report(results: dict) -> str:
    """One line per file (its violating elements by rule), then the total."""
    lines = []
    for name, found in results.items():
        rules = Counter(rule for rule, _, _ in found)
        detail = ", ".join(f"{rule} {n}" for rule, n in rules.most_common())
        lines.append(f"{len(found):5d}  {name}{'  (' + detail + ')' if detail else ''}")
    total = sum(len(found) for found in results.values())
    lines.append(f"{total:5d}  violating elements in {len(results)} files (axe-core, "
                 f"{', '.join(WCAG_TAGS)})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=project.ROOT / "site")
    parser.add_argument("--verbose", action="store_true", help="list every element")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = audit(args.site, browser)
        finally:
            browser.close()
    if args.verbose:
        for name, found in results.items():
            for rule, target, why in found:
                print(f"{name}: {rule}: {target}: {why}")
    print(report(results))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
