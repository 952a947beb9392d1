"""The reports of a test run, page by page: which pages ran whole and passed.

Both records written at the end of a run need it: the verification record (record_writer.py)
and the record of shown outputs (output_record.py), which the stability run may reuse.
A plugin for the main process, where xdist's controller sees every report.
"""

from collections import defaultdict
from pathlib import Path

import pytest
from sybil import Sybil

from verified_docs.record import verification_record
from verified_docs.test_run.standalone_check import STANDALONE_SUFFIX


class PageReports:
    def __init__(self, root: Path, pages: Sybil) -> None:
        self.root = root
        self.pages = pages
        self.reports: dict[str, list[pytest.TestReport]] = defaultdict(list)
        self.copies_failed: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        page = report.nodeid.split("::")[0]
        if not page.startswith("docs/"):
            return
        if page.endswith(".md"):
            self.reports[page].append(report)
        elif page.endswith(f".md{STANDALONE_SUFFIX}") and report.failed:
            # Not one of the page's examples, but the page fails with its copies.
            self.copies_failed.add(page.removesuffix(STANDALONE_SUFFIX))

    def existing(self) -> set[str]:
        """Every page of the site, as docs/... paths."""
        return {path.relative_to(self.root).as_posix() for path in self.root.glob("docs/**/*.md")}

    def failed(self) -> set[str]:
        """The pages of which an example, or a standalone copy, failed."""
        failed = {page for page, reports in self.reports.items() if any(r.failed for r in reports)}
        return failed | self.copies_failed

    def passed_whole(self) -> dict[str, str]:
        """{page: hash} for each page of which every example ran and none failed."""
        failed, passed = self.failed(), {}
        for page in sorted(self.existing() - failed):
            calls = [report for report in self.reports.get(page, []) if report.when == "call"]
            if len(calls) == self._examples(page):  # not deselected, not stopped early
                passed[page] = self.hash(page)
        return passed

    def hash(self, page: str) -> str:
        return verification_record.file_hash(page, self.root)

    def text(self, page: str) -> str:
        return (self.root / page).read_text(encoding="utf-8", errors="replace")

    def _examples(self, page: str) -> int:
        try:
            return len(list(self.pages.parse(self.root / page)))
        except UnicodeDecodeError:  # an unreadable page is one failing item
            return -1
