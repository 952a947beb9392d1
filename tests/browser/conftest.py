"""Fixtures of the browser tests: the built site, served on 127.0.0.1, and Chromium.

The site is the folder named by $VERIFIED_DOCS_SITE (`nox -s browser` builds it there
with `mkdocs build --strict`) or, without it, one built now into a temporary folder
(before pytest-xdist starts its workers, which then test that one).

Tests that take a `page_path` argument run once per page of the site's sitemap.xml, so
they follow whatever pages the guide has. The tests of one page run one after the other,
on one worker, and share the page's one load (`loaded_page`), whatever test module asks
for it: `light_page` is that load in the light scheme, `phone_page` at a phone's width,
and `dark_page` while the system prefers the dark scheme. A worker loads its pages one
after another in one tab, as a reader goes through the site, with the browser's cache
(the page's own problems are counted from its load on).
"""

import os
import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from browsing import DESKTOP, PHONE, Browse, Server, shown
from playwright.sync_api import sync_playwright
from site_server import SITE_ENV, built_site, chromium, nav_pages, serve, site_pages

from verified_docs.test_run import run_order

# The page in a test's id: "home" or a path ending in "/", before "]" or "-light" and such.
PAGE_ID = re.compile(r"\[(?P<page>home|[^\]]*/)(?:\]|-)")
SITE = pytest.StashKey[Path]()
STACK = pytest.StashKey[ExitStack]()


def pytest_configure(config: pytest.Config) -> None:
    """Without a built site named, build one now, in the process that starts the workers."""
    if not os.environ.get(SITE_ENV) and not hasattr(config, "workerinput"):
        site = site_path(config)
        os.environ[SITE_ENV] = str(site)  # the workers inherit it


def site_path(config: pytest.Config) -> Path:
    """The built site, built once per run on first use."""
    if SITE not in config.stash:
        stack = config.stash[STACK] = ExitStack()
        config.stash[SITE] = stack.enter_context(built_site())
    return config.stash[SITE]


def pytest_unconfigure(config: pytest.Config) -> None:
    stack = config.stash.get(STACK, None)
    if stack is not None:
        stack.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        pages = site_pages(site_path(metafunc.config))
        # Session scope: pytest runs all tests of one page together, whatever their module.
        ids = [page or "home" for page in pages]
        metafunc.parametrize("page_path", pages, ids=ids, scope="session")


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by page
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of no one page first: the longest of them (a notebook's whole run) would
    otherwise start last, while the other worker has nothing left to do. Then each
    page's tests: at desktop width, at a phone's, then in the dark scheme, so that its
    one load is narrowed once and switched to the dark scheme once."""
    first = {}
    for index, item in enumerate(items):
        first.setdefault(page_in_id(item.nodeid), index)

    def order(item: pytest.Item) -> tuple:
        page = page_in_id(item.nodeid) if "page_path" in item.fixturenames else None
        return (page is not None, first[page] if page else 0, how_shown(item))

    items.sort(key=order)


def how_shown(item: pytest.Item) -> int:
    """0: a test of its page at desktop width in the light scheme, 1: at a phone's
    width, 2: in the dark scheme."""
    callspec = getattr(item, "callspec", None)
    if "dark_page" in item.fixturenames or (callspec and callspec.params.get("scheme") == "dark"):
        return 2
    return 1 if "phone_page" in item.fixturenames else 0


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """pytest-xdist sends all tests of one page to one worker, where they share its loads;
    every other test goes alone to whichever worker is free.

    (Its own `--dist loadgroup` would do it with marks, but it marks node ids in a way
    pytest 9 no longer reads.)
    """
    return run_order.scheduler(config, log, page_in_id)


def page_in_id(nodeid: str) -> str | None:
    """The page a test's parameters name, if any."""
    match = PAGE_ID.search(nodeid)
    return match["page"] if match else None


@pytest.fixture(scope="session")
def site(pytestconfig) -> Path:
    return site_path(pytestconfig)


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    return site_pages(site)


@pytest.fixture(scope="session")
def nav(site) -> list[str]:
    """The pages in the order of the navigation."""
    return nav_pages(site)


@pytest.fixture(scope="session")
def server(site):
    with serve(site) as (url, log):
        yield Server(url, log)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright, chromium(playwright) as browser:
        yield browser


@pytest.fixture
def browse(browser, server):
    opened = Browse(browser, server)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def reader(browser, server) -> Browse:
    """The worker's reader, who goes from page to page in the same tabs (`tab`)."""
    opened = Browse(browser, server)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def tab(reader):
    """The tab each page's shared load opens in, in the light scheme; its context may
    read the clipboard and download."""
    return reader.tab(permissions=["clipboard-read", "clipboard-write"], accept_downloads=True)


@pytest.fixture(scope="session")
def script_free_tab(reader):
    """A tab with JavaScript off."""
    return reader.tab(javascript=False)


@pytest.fixture(scope="session")
def loaded_page(reader, tab, page_path):
    """The page, loaded once for all its tests (to its load event: test_pages.py waits
    for what it requests later), in the light scheme."""
    return reader.visit(tab, page_path)


@pytest.fixture
def light_page(loaded_page):
    return shown(loaded_page, "light", DESKTOP)


@pytest.fixture
def phone_page(loaded_page):
    """The page's one load, narrowed to a phone's width: the layout follows the width
    through CSS media queries, as on a phone."""
    return shown(loaded_page, "light", PHONE)


@pytest.fixture
def dark_page(loaded_page):
    """The page's one load, switched to the dark scheme."""
    return shown(loaded_page, "dark", DESKTOP)
