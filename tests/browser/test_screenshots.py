"""Screenshots for a reviewer: the home page, a guide page and a quiz, in both schemes.

They are written to $NOX_SCREENSHOTS (build/screenshots/ without it). The test checks
that each picture shows something (many colours, not a blank or single-colour page).
"""

import pytest
from browsing import ARTICLE, DESKTOP, PHONE
from PIL import Image
from site_server import page_file

SCHEMES = ["light", "dark"]


def guide_page(site, nav) -> str:
    """The first page after the home page that shows code with its output."""
    for page_path in nav[1:]:
        if "verified-output" in page_file(site, page_path).read_text(encoding="utf-8"):
            return page_path
    pytest.fail("no guide page shows code with its output")


def quiz_page(site, nav) -> str:
    for page_path in nav:
        if 'class="quiz"' in page_file(site, page_path).read_text(encoding="utf-8"):
            return page_path
    pytest.fail("no page has a quiz")


def assert_picture(path) -> None:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert image.width > 300 and image.height > 300
    assert colours is None or len(colours) > 50, f"{path.name} looks blank"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots(browse, site, nav, screenshots, scheme):
    saved = []

    page = browse.open("", scheme=scheme)
    saved.append(screenshots / f"home-{scheme}.png")
    page.screenshot(path=saved[-1])

    page = browse.open(guide_page(site, nav), scheme=scheme)
    # Scrolled down (scrolling up would bring out Material's "Back to top" button).
    page.locator(f"{ARTICLE} .verified-output").first.evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 450)"
    )
    page.wait_for_timeout(300)
    saved.append(screenshots / f"guide-{scheme}.png")
    page.screenshot(path=saved[-1])

    page = browse.open(quiz_page(site, nav), scheme=scheme)
    quiz = page.locator(".quiz[data-quiz-ready]").first
    questions = quiz.locator("fieldset.quiz-question")
    first, second = questions.nth(0), questions.nth(1)
    first.locator("input:not([data-correct])").first.locator("xpath=ancestor::label").click()
    first.locator("button.quiz-check").click()
    second.locator("input[data-correct]").first.locator("xpath=ancestor::label").click()
    second.locator("button.quiz-check").click()
    page.mouse.move(0, 0)
    saved.append(screenshots / f"quiz-{scheme}.png")
    # The whole quiz in one window, below Material's fixed header.
    height = quiz.evaluate("e => e.getBoundingClientRect().height")
    page.set_viewport_size({"width": DESKTOP["width"], "height": int(height) + 160})
    page.evaluate("window.scrollTo(0, 0)")  # then down: scrolling up shows "Back to top"
    page.wait_for_timeout(200)
    box = quiz.evaluate(
        """e => { window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 100);
                 const r = e.getBoundingClientRect();
                 return {x: r.left - 16, y: r.top - 16,
                         width: r.width + 32, height: r.height + 32}; }"""
    )
    page.wait_for_timeout(400)
    page.screenshot(path=saved[-1], clip=box)

    if scheme == "light":
        page = browse.open(guide_page(site, nav), scheme=scheme, viewport=PHONE)
        saved.append(screenshots / "guide-phone-light.png")
        page.screenshot(path=saved[-1])

    for path in saved:
        assert_picture(path)
    print("screenshots:", ", ".join(str(path) for path in saved))
