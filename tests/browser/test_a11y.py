"""axe-core finds no WCAG 2.1 A or AA violation on any page, in either colour scheme.

The page's one load is checked in the light scheme against every WCAG 2.1 A and AA
rule, then switched to the dark scheme (conftest.py) against the rules that read
colours: the two differ in nothing else (the scheme is one attribute on <body>: it
changes colours, and which of the two images of a figure shows, which test_figures.py
checks in each scheme).

Colour contrast, axe's slowest rule by far, is checked where a page differs from the
others: in its article, but for code and output blocks, whose thousands of highlighted
tokens test_schemes.py measures on every page in both schemes. The header, navigation,
table of contents and footer come from one template with one set of colours: their
contrast is checked on the home page and the 404 page, in both schemes.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import ARTICLE, SCHEMES
from site_server import first_page_with

WCAG = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
COLOURS = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
CODE = ".highlight"  # code and output blocks: their contrast is test_schemes.py's
AXE_SCRIPT = Axe().axe_script  # axe-core itself, as axe-playwright-python ships it
# Where the contrast rule looks: an axe context would narrow every rule of the run.
CONTRAST_IN = "(where) => axe.configure({ rules: [{ id: 'color-contrast', selector: where }] })"
RUN = "([context, options]) => axe.run(context ?? document, options)"


def violations(page, scheme: str = "light", chrome: bool = True) -> list[str]:
    """One line per violated rule: its id, impact, and the first nodes it found.

    In the light scheme every rule runs on the whole page, in the dark one the rules
    that read colours. Colours are checked but for code blocks; without `chrome`, in
    the article only."""
    scope = "body" if chrome else ARTICLE
    if not page.evaluate("() => 'axe' in window"):  # the dark run: the light one added it
        page.evaluate(AXE_SCRIPT)
    page.evaluate(CONTRAST_IN, f"{scope} *:not({CODE} *)")
    context = None if scheme == "light" else {"include": [[scope]], "exclude": [[CODE]]}
    options = {"runOnly": WCAG if scheme == "light" else COLOURS, "resultTypes": ["violations"]}
    lines = []
    for rule in page.evaluate(RUN, [context, options])["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in rule["nodes"][:5]]
        summary = rule["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])} nodes): {targets}")
        lines.append(f"    {summary[:300]}")
    return lines


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_wcag_violations(request, page_path, scheme):
    page = request.getfixturevalue(f"{scheme}_page")  # the page's one load, in that scheme
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    found = violations(page, scheme, chrome=page_path == "")  # the home page's path
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_wcag_violations_on_the_404_page(browse, server, scheme):
    context = browse.context(scheme=scheme)
    context.monitor.allow(server("no-such-page/"), 404)
    page = context.new_page()
    page.goto(server("no-such-page/"))
    page.wait_for_load_state("networkidle")
    found = violations(page, scheme)
    assert not found, "\n".join(found)


# Material colours a link, and the quiz's buttons, under the keyboard's focus or the
# pointer: a link's text, a button's background behind its text. Each is checked in
# that state, which a page's own load does not show.
FOCUSABLE = {"a link": f"{ARTICLE} p a[href]", "a quiz button": ".quiz-check"}
# Material eases a link's colour in: the state's own colour once every transition ended.
SETTLED = "() => document.getAnimations().every((a) => a.playState !== 'running')"


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("what", list(FOCUSABLE))
def test_a_focused_or_pointed_at_link_or_button_keeps_its_contrast(browse, site, nav, scheme, what):
    quiz_page = first_page_with(site, nav, 'class="quiz"') or pytest.fail("no page has a quiz")
    page = browse.open(quiz_page, scheme=scheme)
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    target = page.locator(FOCUSABLE[what]).first
    target.evaluate("element => { element.hidden = false; element.id = 'checked-state'; }")
    page.evaluate(AXE_SCRIPT)
    only = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
    for state in ("focus", "hover"):
        getattr(target, state)()
        page.wait_for_function(SETTLED)
        found = page.evaluate(RUN, [{"include": [["#checked-state"]]}, only])
        assert found["passes"] or found["violations"], f"{what} under {state}: {found}"
        low = [node["failureSummary"] for rule in found["violations"] for node in rule["nodes"]]
        assert not low, f"{what} under {state}, {scheme} scheme: {low}"
