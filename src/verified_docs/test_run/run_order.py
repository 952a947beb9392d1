"""The order in which a run takes its tests, and how pytest-xdist shares them out.

A page's examples share one namespace and run in page order, so they go to one worker
together: with `--dist loadscope`, a page is one scope, and every other test a scope of
its own, which goes to whichever worker is free. The test of the page's standalone
copies runs after its examples, on the same worker: what the examples left in the
on-disk caches (torch.compile's compiled graphs) the copies find there, rather than each
compiling them again beside the page on the other worker. The tests run first, then the
pages, longest first by the seconds the verification record holds for them (a long page
that started last would keep one core busy after the other has finished).
"""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .standalone_check import STANDALONE_SUFFIX

RECORD = "verified.json"  # read for the pages' seconds only: any other file orders nothing


def recorded_seconds(root: Path) -> dict[str, float]:
    """{page: seconds} from the verification record; empty without one."""
    try:
        pages = json.loads((root / RECORD).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return {}
    return {page: entry.get("seconds", 0.0) for page, entry in pages.items()}


def page_of(nodeid: str) -> str | None:
    """The page (docs/x.md, README.md) a test belongs to, if it is a page's example or
    the test of its standalone copies."""
    file = nodeid.split("::")[0].removesuffix(STANDALONE_SUFFIX)
    return file if file.endswith(".md") else None


def in_run_order(items: list[pytest.Item], root: Path) -> list[pytest.Item]:
    """The tests, then the pages, longest first: each page's examples in page order, then
    its standalone copies."""
    seconds = recorded_seconds(root)

    def order(item: pytest.Item) -> tuple:
        page = page_of(item.nodeid)
        if page is None:
            return (0,)
        copies = item.nodeid.startswith(page + STANDALONE_SUFFIX)
        return (1, -seconds.get(page, 0.0), page, copies)

    return sorted(items, key=order)


def scheduler(config: pytest.Config, log, scope_of: Callable[[str], str | None] = page_of):
    """xdist's scheduling by scope, where the tests of one page are one scope (the page
    `scope_of` a test's node id finds: by default the page whose blocks it runs) and
    any other test is one of its own. The browser tests' conftest.py finds pages in
    its tests' parameters."""
    from xdist.scheduler import LoadScopeScheduling

    class PagesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid) or nodeid

    return PagesTogether(config, log)
