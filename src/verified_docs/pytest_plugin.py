"""The pytest side of the verification: collect the pages, count what ran, update outputs.

Enabled by `-p verified_docs.pytest_plugin` in pyproject.toml. Pages under docs/ are
collected by Sybil; README.md's Python blocks by pytest-codeblocks, with the same
coverage gate for fences that would escape it.
"""

from collections import Counter
from pathlib import Path

import matplotlib
import pytest
from pytest_codeblocks.plugin import MarkdownFile
from sybil import Sybil
from sybil.integration.pytest import SybilItem

from . import page_state
from .output_updates import PageUpdates
from .page_parser import CodeBlock, PageParser, Problem, ReasonedSkipParser
from .quiz.sybil_parser import QuizParser
from .readme_gate import ReadmeGate

KIND = "verified_docs_kind"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output fences of the pages from this run instead of failing",
    )


def pytest_configure(config: pytest.Config) -> None:
    matplotlib.use("Agg")  # pages draw headless, as in CI: plt.show() opens no window
    # Simplifying a line drops points by a threshold that the last digits of the data
    # can cross on one CPU and not another; figures keep every point they plot.
    matplotlib.rcParams["path.simplify"] = False
    root = config.rootpath
    updates = PageUpdates() if config.getoption("update_outputs") else None
    config.stash[UPDATES] = updates
    pages = Sybil(
        parsers=[PageParser(root, updates), ReasonedSkipParser(root), QuizParser(root)],
        path=str(root / "docs"),
        patterns=["*.md"],
        setup=page_state.setup,
        teardown=page_state.teardown,
    )
    readme = Sybil(parsers=[ReadmeGate()], path=str(root), filenames=["README.md"])
    config.pluginmanager.register(SybilPages(pages + readme), "verified_docs_sybil")
    config.pluginmanager.register(ReadmeBlocks(root / "README.md"), "verified_docs_readme")


UPDATES = pytest.StashKey[PageUpdates | None]()
REWRITTEN = pytest.StashKey[list[str]]()


class SybilPages:
    """Hands docs/**/*.md, and README.md for its coverage gate, to Sybil."""

    def __init__(self, sybils) -> None:
        self.pytest_collect_file = sybils.pytest()


class ReadmeBlocks:
    """Hands README.md to pytest-codeblocks, which runs its ```python blocks."""

    def __init__(self, readme: Path) -> None:
        self.readme = readme

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        if file_path == self.readme:
            return MarkdownFile.from_parent(parent, path=file_path)
        return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        kind = _kind(item)
        if kind:
            item.user_properties.append((KIND, kind))


def _kind(item: pytest.Item) -> str | None:
    if isinstance(item, SybilItem):
        parsed = item.example.parsed
        if isinstance(parsed, CodeBlock):
            return "output" if parsed.output else "code"
        if isinstance(parsed, Problem):
            return "problem"
        return getattr(parsed, "summary_kind", None)
    block = getattr(item, "obj", None)
    if isinstance(item.parent, MarkdownFile) and block is not None:
        return "output" if block.expected_output is not None else "code"
    return None


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    counts = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            kind = dict(getattr(report, "user_properties", ())).get(KIND)
            if kind and getattr(report, "when", None) == "call":  # "deselected" holds items
                counts[kind, report.outcome] += 1
    if not counts:
        return
    terminalreporter.write_sep("=", "verification summary")
    terminalreporter.write_line(summary_line(counts))
    quizzes = counts["quiz", "passed"] + counts["quiz", "failed"]
    if quizzes:
        terminalreporter.write_line(
            f"quiz blocks: {quizzes} checked, {counts['quiz', 'failed']} failed"
        )
    for page in config.stash.get(REWRITTEN, []):
        terminalreporter.write_line(f"outputs rewritten in {page}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Runs in each xdist worker too, and each page runs on one worker (--dist loadfile).
    updates = session.config.stash.get(UPDATES, None)
    if updates is not None:
        session.config.stash[REWRITTEN] = updates.write()


def summary_line(counts: Counter) -> str:
    """`blocks: 40 executed, 31 outputs verified, 1 skipped (reason given), 0 unverified`."""
    blocks = ("code", "output")
    executed = sum(counts[kind, outcome] for kind in blocks for outcome in ("passed", "failed"))
    skipped = sum(counts[kind, "skipped"] for kind in blocks)
    failed = sum(counts[kind, "failed"] for kind in blocks)
    unverified = sum(counts["problem", outcome] for outcome in ("passed", "failed", "skipped"))
    return (
        f"blocks: {executed} executed, {counts['output', 'passed']} outputs verified, "
        f"{skipped} skipped (reason given), {unverified} unverified, {failed} failed"
    )
