"""axe-core finds no WCAG 2.1 A or AA violation on any page, in either colour scheme."""

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = {"light": "default", "dark": "slate"}
AXE = Axe()


def violations(page) -> list[str]:
    """One line per violated rule: its id, impact, and the first nodes it found."""
    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    results = AXE.run(page, options=options).response
    lines = []
    for rule in results["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in rule["nodes"][:5]]
        summary = rule["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(f"{rule['id']} ({rule['impact']}, {len(rule['nodes'])} nodes): {targets}")
        lines.append(f"    {summary[:300]}")
    return lines


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_wcag_violations(request, page_path, scheme):
    page = request.getfixturevalue(f"{scheme}_page")  # the page's one load in that scheme
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    found = violations(page)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_wcag_violations_on_the_404_page(browse, server, scheme):
    context = browse.context(scheme=scheme)
    context.monitor.allow(server("no-such-page/"), 404)
    page = context.new_page()
    page.goto(server("no-such-page/"))
    page.wait_for_load_state("networkidle")
    found = violations(page)
    assert not found, "\n".join(found)
