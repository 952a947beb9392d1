"""The order in which a run takes its tests, and how pytest-xdist shares them out.

A page's examples share one namespace and run in page order, so they go to one worker
together: with `--dist loadscope`, a page is one scope, and every other test a scope of
its own, which goes to whichever worker is free. The tests run first, then the pages,
longest first by the seconds the verification record holds for them (a long page that
started last would keep one core busy after the other has finished).
"""

import json
from pathlib import Path

import pytest

RECORD = "verified.json"  # read for the pages' seconds only: any other file orders nothing


def recorded_seconds(root: Path) -> dict[str, float]:
    """{page: seconds} from the verification record; empty without one."""
    try:
        pages = json.loads((root / RECORD).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return {}
    return {page: entry.get("seconds", 0.0) for page, entry in pages.items()}


def page_of(nodeid: str) -> str | None:
    """The page (docs/x.md, README.md) a test belongs to, if it is a page's example."""
    file = nodeid.split("::")[0]
    return file if file.endswith(".md") else None


def in_run_order(items: list[pytest.Item], root: Path) -> list[pytest.Item]:
    """The tests, then the pages' examples, longest page first (each page's in page order)."""
    seconds = recorded_seconds(root)

    def order(item: pytest.Item) -> tuple[int, float]:
        page = page_of(item.nodeid)
        return (0, 0.0) if page is None else (1, -seconds.get(page, 0.0))

    return sorted(items, key=order)


def scheduler(config: pytest.Config, log):
    """xdist's scheduling by scope, where a page is a scope and any other test is one."""
    from xdist.scheduler import LoadScopeScheduling

    class PagesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return page_of(nodeid) or nodeid

    return PagesTogether(config, log)
