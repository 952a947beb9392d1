"""Write the verification record from a test run: `pytest --verification-record PATH`.

`nox -s tests` passes the option, so ad-hoc pytest runs and the stability session's runs
leave the record alone. A pytest plugin for the main process (xdist's controller sees
every report): it counts each page's blocks, outputs, skips, quiz questions and seconds,
and, once the run ends, rewrites the entries of the pages it ran whole (verification_record).
"""

from collections import defaultdict
from pathlib import Path

import pytest
from sybil import Sybil

from verified_docs.page.fences import find_fences
from verified_docs.page.page_model import QUIZ
from verified_docs.quiz.schema import QuizError, parse_quiz
from verified_docs.testing import verification_record
from verified_docs.testing.pytest_plugin import KIND, WHERE, _skip_reason


class RecordWriter:
    def __init__(self, path: Path, root: Path, pages: Sybil) -> None:
        self.path = path
        self.root = root
        self.pages = pages
        self.reports: dict[str, list[pytest.TestReport]] = defaultdict(list)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        page = report.nodeid.split("::")[0]
        if page.startswith("docs/") and page.endswith(".md"):
            self.reports[page].append(report)

    def pytest_sessionfinish(self) -> None:
        existing = {path.relative_to(self.root).as_posix() for path in self._page_files()}
        results, failed = {}, set()
        for page in sorted(existing):
            reports = self.reports.get(page, [])
            if any(report.failed for report in reports):
                failed.add(page)
                continue
            text = (self.root / page).read_text(encoding="utf-8", errors="replace")
            calls = [report for report in reports if report.when == "call"]
            if len(calls) != self._examples(page):  # deselected, or the run stopped early
                continue
            hash_ = verification_record.page_hash(text, self.root, (self.root / page).parent)
            results[page] = (hash_, _result(reports, text))
        old = verification_record.read(self.path)
        record = verification_record.updated(old, results, failed, existing)
        verification_record.write(self.path, record)

    def _page_files(self) -> list[Path]:
        return sorted((self.root / "docs").rglob("*.md"))

    def _examples(self, page: str) -> int:
        try:
            return len(list(self.pages.parse(self.root / page)))
        except UnicodeDecodeError:  # an unreadable page is one failing item
            return -1


def _result(reports: list[pytest.TestReport], text: str) -> verification_record.PageResult:
    blocks = outputs = 0
    skipped = []
    for report in reports:
        properties = dict(report.user_properties)
        kind = properties.get(KIND)
        if report.when != "call" or kind not in ("code", "output"):
            continue
        if report.skipped:
            skipped.append((properties[WHERE], _skip_reason(report)))
        else:
            blocks += 1
            outputs += kind == "output"
    return verification_record.PageResult(
        blocks=blocks,
        outputs=outputs,
        quiz_questions=_quiz_questions(text),
        skipped=[reason for _, reason in sorted(skipped, key=_page_order)],
        seconds=sum(report.duration for report in reports),
    )


def _page_order(skip: tuple[str, str]) -> int:
    return int(skip[0].rpartition(":")[2])


def _quiz_questions(text: str) -> int:
    count = 0
    for fence in find_fences(text):
        if fence.language == QUIZ:
            try:
                count += len(parse_quiz(fence.source))
            except QuizError:  # a quiz that fails validation fails the page first
                continue
    return count
