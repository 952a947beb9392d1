"""The pytest side of the verification: collect the pages, count what ran, update outputs.

Enabled by `-p verified_docs.test_run.pytest_plugin` in pyproject.toml. Pages under docs/ are
collected by Sybil; README.md's Python blocks by pytest-codeblocks, with the same
coverage gate for fences that would escape it.
"""

import os
import statistics
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from pytest_codeblocks.plugin import MarkdownFile
from sybil import Sybil
from sybil.integration.pytest import SybilItem

from ..page.page_encoding import utf8_problem
from ..page.page_model import CodeBlock, Problem, Quiz, page_path
from ..verifier.output_rewrite import PageUpdates
from . import run_order
from .output_record import CONFIGURATION, SHOWN, OutputRecorder, running_configuration
from .page_reports import PageReports
from .page_state import PageState
from .readme_gate import ReadmeGate
from .record_writer import RecordWriter
from .report_properties import KIND, WHERE, skip_reason
from .standalone_check import STANDALONE, STANDALONE_SUFFIX, StandalonePage
from .sybil_pages import PageParser


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output fences of the pages from this run instead of failing",
    )
    parser.addoption(
        "--record-outputs",
        metavar="PATH",
        help="write, as JSON, what each block's output fence would show after this run",
    )
    parser.addoption(
        "--standalone-copies",
        action="store_true",
        help="also run each page block's standalone copy alone, in a fresh process, and "
        "check what it prints (nox -s tests does)",
    )
    parser.addoption(
        "--verification-record",
        metavar="PATH",
        help="rewrite the verification record (verified.json) of the pages this run verified",
    )


def pytest_configure(config: pytest.Config) -> None:
    separate_compile_caches()
    os.environ["MPLBACKEND"] = "Agg"  # pages draw headless, as in CI: no window opens
    root = config.rootpath
    updates = PageUpdates() if config.getoption("update_outputs") else None
    config.stash[UPDATES] = updates
    state = PageState(root)
    parser = config.stash[PARSER] = PageParser(root, updates)
    pages = Sybil(
        parsers=[parser],
        path=str(root / "docs"),
        patterns=["*.md"],
        setup=state.setup,
        teardown=state.teardown,
    )
    readme = Sybil(parsers=[ReadmeGate(root)], path=str(root), filenames=["README.md"])
    config.pluginmanager.register(SybilPages(pages + readme), "verified_docs_sybil")
    config.pluginmanager.register(ReadmeBlocks(root / "README.md"), "verified_docs_readme")
    if config.getoption("standalone_copies") and not updates:
        config.pluginmanager.register(StandaloneCopies(root / "docs"), "verified_docs_copies")
    record = config.getoption("record_outputs")
    verification = config.getoption("verification_record")
    if hasattr(config, "workerinput") or not (record or verification):
        return  # xdist's main process writes the records, from every worker's reports
    reports = PageReports(root, pages)
    config.pluginmanager.register(reports, "verified_docs_page_reports")
    if record:
        config.pluginmanager.register(OutputRecorder(Path(record), reports), "verified_docs_record")
    if verification:
        writer = RecordWriter(root / verification, reports)
        config.pluginmanager.register(writer, "verified_docs_verification")


def separate_compile_caches() -> None:
    """Give torch.compile an on-disk cache of its own for each CPU kernel set.

    Inductor reuses C++ kernels cached under one ATEN_CPU_CAPABILITY when run under
    another, and they then fail to compile (`'at::vec' has not been declared`), as the
    stability run's kernel sets would one after another on one machine.
    """
    capability = os.environ.get("ATEN_CPU_CAPABILITY", "native")
    cache = os.path.join(tempfile.gettempdir(), f"verified-docs-inductor-{capability}")
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", cache)


UPDATES = pytest.StashKey[PageUpdates | None]()
PARSER = pytest.StashKey[PageParser]()  # the pages' parser: what each block run would show
REWRITTEN = pytest.StashKey[list[str]]()


class SybilPages:
    """Hands docs/**/*.md, and README.md for its coverage gate, to Sybil.

    A page that is not valid UTF-8 becomes one failing item naming its line, where
    Sybil would stop the collection with a traceback.
    """

    def __init__(self, sybils) -> None:
        self.collect_with_sybil = sybils.pytest()

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        collector = self.collect_with_sybil(file_path, parent)
        if collector is None:
            return None
        where = page_path(file_path, parent.config.rootpath)
        problem = utf8_problem(file_path, where)
        if problem:
            return UnreadablePage.from_parent(parent, path=file_path, problem=problem)
        return collector


class UnreadablePage(pytest.File):
    def __init__(self, *, problem: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def collect(self):
        yield UnreadablePageItem.from_parent(self, name="encoding", problem=self.problem)


class UnreadablePageItem(pytest.Item):
    def __init__(self, *, problem: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem = problem
        self.user_properties.append((KIND, "problem"))

    def runtest(self) -> None:
        pytest.fail(self.problem, pytrace=False)

    def reportinfo(self):
        return self.path, 0, self.problem


class ReadmeBlocks:
    """Hands README.md to pytest-codeblocks, which runs its ```python blocks."""

    def __init__(self, readme: Path) -> None:
        self.readme = readme

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        if file_path == self.readme:
            return MarkdownFile.from_parent(parent, path=file_path)
        return None


class StandaloneCopies:
    """Adds to each page under docs/ the test of its blocks' standalone copies."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        if file_path.suffix != ".md" or not file_path.is_relative_to(self.docs):
            return None
        if utf8_problem(file_path, page_path(file_path, parent.config.rootpath)):
            return None  # SybilPages reports it
        # A node id of its own, which the records, counting a page's examples, do not
        # count; run_order.py runs it after the page's examples, on their worker.
        nodeid = f"{page_path(file_path, parent.config.rootpath)}{STANDALONE_SUFFIX}"
        return StandalonePage.from_parent(parent, path=file_path, nodeid=nodeid)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Attach what the block's output fence would show, and the CPU kernels and threads
    it ran under, so that they reach OutputRecorder."""
    report = yield
    block = item.example.parsed if isinstance(item, SybilItem) else None
    if call.when != "call" or not isinstance(block, CodeBlock):
        return report
    shown = item.config.stash[PARSER].shown.pop(block.where, None)  # None: it did not run
    if shown is not None:
        report.user_properties.append((SHOWN, (block.where, shown)))
        report.user_properties.append((CONFIGURATION, running_configuration()))
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        kind = _kind(item)
        if kind:
            item.user_properties.append((KIND, kind))
            item.user_properties.append((WHERE, _where(item, config.rootpath)))
    items[:] = run_order.in_run_order(items, config.rootpath)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """With `--dist loadscope`, each page's examples go to one worker, together."""
    if config.getvalue("dist") == "loadscope":
        return run_order.scheduler(config, log)
    return None


def _kind(item: pytest.Item) -> str | None:
    """What a test item checks: a page's block ("output" if it shows one, else "code", as
    for the README's blocks), a "problem" on a page, a "quiz", or nothing of ours."""
    if isinstance(item, SybilItem):
        parsed = item.example.parsed
        if isinstance(parsed, CodeBlock):
            return "output" if parsed.output else "code"
        if isinstance(parsed, Problem):
            return "problem"
        if isinstance(parsed, Quiz):
            return "quiz"
        return None
    block = getattr(item, "obj", None)
    if isinstance(item.parent, MarkdownFile) and block is not None:
        return "output" if block.expected_output is not None else "code"
    return None


def _where(item: pytest.Item, root: Path) -> str:
    path, line, _ = item.location
    if isinstance(item, SybilItem):
        return f"{page_path(item.example.path, root)}:{item.example.line}"
    return f"{path}:{(line or 0) + 1}"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    counts, skips, lengths = Counter(), [], []
    for reports in terminalreporter.stats.values():
        for report in reports:
            properties = dict(getattr(report, "user_properties", ()))
            if STANDALONE in properties and report.when == "call":
                run, verified, printing, copy_lengths = properties[STANDALONE]
                counts["standalone", "run"] += run
                counts["standalone", "verified"] += verified
                counts["standalone", "printing"] += printing
                lengths += copy_lengths
            kind = properties.get(KIND)
            if kind and getattr(report, "when", None) == "call":  # "deselected" holds items
                counts[kind, report.outcome] += 1
                if report.skipped:
                    skips.append((properties[WHERE], skip_reason(report)))
    failures = [*terminalreporter.stats.get("failed", ()), *terminalreporter.stats.get("error", ())]
    failed = len(failures)
    # Pages ran, or one failed before its report could say what it held (a crashed
    # worker); a run of the project's other tests alone (tests/browser) has no summary.
    if not counts and not any(report.nodeid.startswith("docs/") for report in failures):
        return
    terminalreporter.write_sep("=", "verification summary")
    terminalreporter.write_line(summary_line(counts, failed, exitstatus))
    for where, reason in sorted(skips):
        terminalreporter.write_line(f"skipped {where}: {reason}")
    if counts["standalone", "run"]:
        terminalreporter.write_line(
            f"standalone copies: {counts['standalone', 'run']} run, "
            f"{counts['standalone', 'verified']} verified, "
            f"{counts['standalone', 'printing']} print before their block's output; "
            f"lines: median {statistics.median(lengths):g}, largest {max(lengths)}"
        )
    quizzes = counts["quiz", "passed"] + counts["quiz", "failed"]
    if quizzes:
        terminalreporter.write_line(
            f"quiz blocks: {quizzes} checked, {counts['quiz', 'failed']} failed"
        )
    for page in config.stash.get(REWRITTEN, []):
        terminalreporter.write_line(f"outputs rewritten in {page}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Runs in each xdist worker too, and each page runs on one worker (run_order.py).
    updates = session.config.stash.get(UPDATES, None)
    if updates is not None:
        session.config.stash[REWRITTEN] = updates.write()


def summary_line(counts: Counter, failed: int, exitstatus: int = 0) -> str:
    """`blocks: 40 executed, 31 outputs verified, 1 skipped (reason given), 0 unverified,
    0 failed`, where `failed` counts every failure and error of the run, of any kind."""
    blocks = ("code", "output")
    executed = sum(counts[kind, outcome] for kind in blocks for outcome in ("passed", "failed"))
    skipped = sum(counts[kind, "skipped"] for kind in blocks)
    unverified = sum(counts["problem", outcome] for outcome in ("passed", "failed", "skipped"))
    line = (
        f"blocks: {executed} executed, {counts['output', 'passed']} outputs verified, "
        f"{skipped} skipped (reason given), {unverified} unverified, {failed} failed"
    )
    if exitstatus and not failed:
        line += f"; the run did not complete (pytest exit status {int(exitstatus)})"
    return line
