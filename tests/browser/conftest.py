"""Fixtures of the browser tests: the built site, served on 127.0.0.1, and Chromium.

The site is the folder named by $VERIFIED_DOCS_SITE (`nox -s browser` builds it there
with `mkdocs build --strict`) or, without it, one built now into a temporary folder.
Tests that take a `page_path` argument run once per page of the site's sitemap.xml, so
they follow whatever pages the guide has. Screenshots go to $NOX_SCREENSHOTS, or to
build/screenshots/ (ignored by git).
"""

import os
from contextlib import ExitStack
from pathlib import Path

import pytest
from browsing import Browse, Server
from playwright.sync_api import sync_playwright
from site_server import ROOT, built_site, chromium, nav_pages, serve, site_pages

SITE = pytest.StashKey[Path]()
STACK = pytest.StashKey[ExitStack]()


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
        metafunc.parametrize("page_path", pages, ids=[page or "home" for page in pages])


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


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("NOX_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browse(browser, server):
    opened = Browse(browser, server)
    yield opened
    opened.close()
