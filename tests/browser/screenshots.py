"""Screenshots for a reviewer: `nox -s screenshots` (or `python tests/browser/screenshots.py`).

Takes pictures; it checks nothing but that each picture shows something (many colours,
not a blank or single-colour page), and exits with 1 naming any that does not. Of the
site named by $VERIFIED_DOCS_SITE (or one built now with `mkdocs build --strict`), in
headless Chromium, into $NOX_SCREENSHOTS (build/screenshots/ without it):

- the home page, a guide page scrolled to its first verified output, and a quiz after
  one wrong and one right answer, each in the light and the dark scheme; the guide page
  at phone width;
- the first figure of the first two pages with figures, in both schemes, and at phone
  width.
"""

import os
import sys
from pathlib import Path

from browsing import ARTICLE, DESKTOP, PHONE, Browse, Server
from PIL import Image
from playwright.sync_api import sync_playwright
from site_server import ROOT, built_site, chromium, figure_pages, first_page_with, nav_pages, serve

SCHEMES = ["light", "dark"]


def guide(browse: Browse, page_path: str, scheme: str, folder: Path) -> list[Path]:
    """The guide page scrolled to its first output (scrolling down: scrolling up would
    bring out Material's "Back to top" button); at phone width too, in the light scheme."""
    page = browse.open(page_path, scheme=scheme)
    page.locator(f"{ARTICLE} .verified-output").first.evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 450)"
    )
    page.wait_for_timeout(300)
    saved = [folder / f"guide-{scheme}.png"]
    page.screenshot(path=saved[-1])
    if scheme == "light":
        page = browse.open(page_path, scheme=scheme, viewport=PHONE)
        saved.append(folder / "guide-phone-light.png")
        page.screenshot(path=saved[-1])
    return saved


def quiz(browse: Browse, page_path: str, scheme: str, folder: Path) -> Path:
    """The page's first quiz, whole, after a wrong answer to its first question and a
    right one to its second."""
    page = browse.open(page_path, scheme=scheme)
    block = page.locator(".quiz[data-quiz-ready]").first
    first, second = (block.locator("fieldset.quiz-question").nth(i) for i in (0, 1))
    first.locator("input:not([data-correct])").first.locator("xpath=ancestor::label").click()
    first.locator("button.quiz-check").click()
    second.locator("input[data-correct]").first.locator("xpath=ancestor::label").click()
    second.locator("button.quiz-check").click()
    page.mouse.move(0, 0)
    # The whole quiz in one window, below Material's fixed header.
    height = block.evaluate("e => e.getBoundingClientRect().height")
    page.set_viewport_size({"width": DESKTOP["width"], "height": int(height) + 160})
    page.evaluate("window.scrollTo(0, 0)")  # then down: scrolling up shows "Back to top"
    page.wait_for_timeout(200)
    box = block.evaluate(
        """e => { window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 100);
                 const r = e.getBoundingClientRect();
                 return {x: r.left - 16, y: r.top - 16,
                         width: r.width + 32, height: r.height + 32}; }"""
    )
    page.wait_for_timeout(400)
    path = folder / f"quiz-{scheme}.png"
    page.screenshot(path=path, clip=box)
    return path


def figures(browse: Browse, page_paths: list[str], folder: Path) -> list[Path]:
    """The first figure of each page, in both schemes; the first at phone width too."""
    saved = []
    for page_path in page_paths:
        for scheme in SCHEMES:
            page = browse.open(page_path, scheme=scheme)
            page.locator(f"{ARTICLE} figure").first.evaluate(
                "e => window.scrollTo(0, e.offsetTop - 100)"
            )
            page.wait_for_timeout(300)
            name = page_path.strip("/").replace("/", "-") or "home"
            saved.append(folder / f"figure-{name}-{scheme}.png")
            page.screenshot(path=saved[-1])
    page = browse.open(page_paths[0], viewport=PHONE)
    page.locator(f"{ARTICLE} figure").first.evaluate("e => window.scrollTo(0, e.offsetTop - 60)")
    page.wait_for_timeout(300)
    saved.append(folder / "figure-phone-light.png")
    page.screenshot(path=saved[-1])
    return saved


def blank(path: Path) -> bool:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        small = image.width <= 300 or image.height <= 300
    return small or (colours is not None and len(colours) <= 50)


def take(browse: Browse, site: Path, folder: Path) -> list[Path]:
    pages = nav_pages(site)
    guide_page = first_page_with(site, pages[1:], "verified-output")
    quiz_page = first_page_with(site, pages, 'class="quiz"')
    if guide_page is None or quiz_page is None:
        raise SystemExit("the site has no page that shows an output, or none with a quiz")
    saved = []
    for scheme in SCHEMES:
        page = browse.open("", scheme=scheme)
        saved.append(folder / f"home-{scheme}.png")
        page.screenshot(path=saved[-1])
        saved += guide(browse, guide_page, scheme, folder)
        saved.append(quiz(browse, quiz_page, scheme, folder))
    return saved + figures(browse, figure_pages(site, pages)[:2], folder)


def main() -> int:
    folder = Path(os.environ.get("NOX_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with (
        built_site() as site,
        serve(site) as (url, log),
        sync_playwright() as playwright,
        chromium(playwright) as browser,
    ):
        browse = Browse(browser, Server(url, log))
        try:
            saved = take(browse, site, folder)
        finally:
            browse.close()
    for path in saved:
        print(path)
    empty = [path.name for path in saved if blank(path)]
    if empty:
        print(f"{len(empty)} of {len(saved)} screenshots look blank: {', '.join(empty)}")
        return 1
    print(f"{len(saved)} screenshots in {folder}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
