"""Every page loads cleanly, and Material's navigation works as the guide needs it."""

from urllib.parse import urljoin, urlsplit

import pytest
from browsing import ARTICLE, goto
from site_server import page_file

# The course first, then the in-depth pages of each phase, then the site's own page.
PHASES = [
    "Start here",
    "In depth: loss functions",
    "In depth: optimizers",
    "In depth: the training loop",
    "About this site",
]
PHASE_FOLDERS = ["start/", "losses/", "optimizers/", "training-loop/", "verification/"]

# The start of each code block that does not show: none may be hidden unless it sits in a
# closed <details> or a tab not selected (CSS tabs). Shown: Playwright's is_visible().
HIDDEN_CODE = f"""() => [...document.querySelectorAll("{ARTICLE} pre")]
  .filter((pre) => !pre.closest("details, .tabbed-block"))
  .filter((pre) => {{
    const box = pre.getBoundingClientRect();
    return !box.width || !box.height || getComputedStyle(pre).visibility === "hidden";
  }})
  .map((pre) => pre.textContent.slice(0, 60))"""


def test_page_loads_without_errors_or_other_hosts(light_page):
    """No console error, no uncaught exception, no failed request, no other host (late
    requests too, such as the sitemap that instant navigation reads: until the network
    has been quiet for 0.5 s)."""
    light_page.wait_for_load_state("networkidle")
    assert light_page.locator(f"{ARTICLE} h1").count() == 1, "the page has no single <h1>"
    assert light_page.monitor.problems == []


def test_missing_page_gets_the_404_page(browse, server):
    context = browse.context()
    url = server("no-such-page/")
    context.monitor.allow(url, 404)
    page = context.new_page()
    response = goto(page, url)
    assert response.status == 404
    assert "404" in page.locator(f"{ARTICLE} h1").inner_text()
    home = page.locator(".md-header__button.md-logo")
    assert urlsplit(home.evaluate("a => a.href")).path == "/", "no way home from the 404 page"
    assert context.monitor.problems == []


def test_page_reads_without_javascript(reader, script_free_tab, page_path):
    """Title, text, code and the navigation are all in the HTML, not made by scripts."""
    page = reader.visit(script_free_tab, page_path)
    assert page.locator(f"{ARTICLE} h1").is_visible()
    assert page.locator(ARTICLE).inner_text().strip()
    hidden = page.evaluate(HIDDEN_CODE)
    assert not hidden, f"code hidden without JavaScript: {hidden}"
    links = page.locator(".md-nav--primary a.md-nav__link[href]")
    assert links.count() >= 3
    assert page.monitor.problems == []


def test_phases_are_nav_sections_in_order(browse, nav):
    page = browse.open("")
    sections = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item--section")
    labels = [
        section.locator(":scope > .md-nav__link").first.inner_text().strip()
        for section in sections.all()
    ]
    assert labels == PHASES
    order = [next(i for i, p in enumerate(nav) if p.startswith(f)) for f in PHASE_FOLDERS]
    assert order == sorted(order), f"pages out of phase order: {nav}"
    for folder, section in zip(PHASE_FOLDERS, sections.all(), strict=True):
        hrefs = section.locator("a.md-nav__link[href]").evaluate_all("as => as.map(a => a.href)")
        paths = [urlsplit(href).path.lstrip("/") for href in hrefs]
        assert paths and all(path.startswith(folder) for path in paths), paths


def test_footer_links_and_table_of_contents(light_page, nav, page_path):
    """Each page is in the nav; previous and next at its foot lead to its neighbours in
    it; its table of contents lists its sections."""
    assert page_path in nav, f"{page_path} is not in the navigation"
    page = light_page
    index = nav.index(page_path)
    for kind, neighbour in (("prev", index - 1), ("next", index + 1)):
        link = page.locator(f"a.md-footer__link--{kind}")
        if 0 <= neighbour < len(nav):
            assert link.count() == 1, f"no {kind} link"
            target = urlsplit(link.evaluate("a => a.href")).path.lstrip("/")
            assert target == nav[neighbour]
        else:
            assert link.count() == 0
    headings = page.locator(f"{ARTICLE} h2[id]").evaluate_all("hs => hs.map(h => h.id)")
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    if not headings:
        return
    assert toc.is_visible(), "no table of contents"
    targets = toc.locator("a.md-nav__link").evaluate_all(
        "as => as.map(a => decodeURIComponent(new URL(a.href).hash.slice(1)))"
    )
    assert set(headings) <= set(targets)


def test_scheme_toggle_switches_and_persists(browse):
    page = browse.open("", scheme="light", idle=True)  # no request pending at the reload
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    seen = []
    for _ in range(3):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        seen.append(body.get_attribute("data-md-color-scheme"))
        if seen[-1] == "slate":
            break
    assert seen[-1] == "slate", f"the toggle never reached the dark scheme: {seen}"
    page.reload()
    assert body.get_attribute("data-md-color-scheme") == "slate", "the choice was not kept"
    assert page.monitor.problems == []


def test_system_dark_preference_gives_the_dark_scheme(browse):
    page = browse.open("", scheme="dark")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_home_page_shows_admonitions_tabs_and_math(browse):
    page = browse.open("")
    admonition = page.locator(f"{ARTICLE} .admonition.note").first
    assert admonition.is_visible()
    assert admonition.locator(".admonition-title").inner_text().strip()
    tabs = page.locator(f"{ARTICLE} .tabbed-set").first
    labels, blocks = tabs.locator(".tabbed-labels > label"), tabs.locator(".tabbed-block")
    assert labels.count() >= 2
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    labels.nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()
    formula = page.locator(f"{ARTICLE} math[display=block]").first
    box = formula.bounding_box()
    assert box and box["height"] > 10 and box["width"] > 100, "the formula is not rendered"
    assert formula.locator("mi").count() >= 3


def test_no_page_shows_raw_tex(browse, site, pages):
    """Math is rendered as MathML at build time: no TeX delimiters reach the reader."""
    for page_path in pages:
        html = page_file(site, page_path).read_text(encoding="utf-8")
        assert 'class="arithmatex"' not in html, f"{page_path or 'home'}: math left unrendered"
    page = browse.open("")
    assert "\\theta" not in page.locator(ARTICLE).inner_text()


def test_instant_navigation_keeps_the_page_alive(browse):
    """A nav link loads the next page without a full reload, and it works."""
    page = browse.open("", idle=True)  # instant navigation starts once it has the sitemap
    page.evaluate("window.__kept = 'yes'")
    link = page.locator("a.md-footer__link--next")
    target = urlsplit(urljoin(page.url, link.get_attribute("href"))).path
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == target)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__kept") == "yes", "the page was reloaded in full"
    assert page.locator(f"{ARTICLE} h1").count() == 1
    assert page.monitor.problems == []


@pytest.mark.parametrize("term", ["CrossEntropyLoss", "zero_grad", "learning rate"])
def test_search_finds_the_page(browse, term):
    """The first result for each term is a page that talks about it."""
    page = browse.open("")
    page.locator("input.md-search__input").click()
    page.keyboard.type(term, delay=20)
    results = page.locator(".md-search-result__item a.md-search-result__link")
    results.first.wait_for(timeout=15_000)
    results.first.click()
    page.wait_for_load_state("networkidle")
    text = page.locator(ARTICLE).inner_text()
    assert term.lower() in text.lower(), f"{page.url} does not mention {term}"
    assert page.monitor.problems == []


# Each table's content against the width of the box it scrolls in.
CUT_TABLES = """() => [...document.querySelectorAll("article .md-typeset__table table")]
  .filter(table => table.offsetWidth > table.closest(".md-typeset__scrollwrap").clientWidth + 1)
  .map(table => table.querySelector("th").textContent)"""


def test_the_verification_tables_fit_a_wide_screen(browse):
    """At 1280 px the verification page's tables show every column without scrolling."""
    page = browse.open("verification/")
    assert page.locator("article table").count() >= 2
    assert page.evaluate(CUT_TABLES) == []
