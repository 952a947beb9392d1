"""Write the verification record from a test run: `pytest --verification-record PATH`.

`nox -s tests` passes the option, so ad-hoc pytest runs and the stability session's runs
leave the record alone. A pytest plugin for the main process (xdist's controller sees
every report): it counts each page's blocks, outputs, skips, quiz questions and seconds,
and, once the run ends, rewrites the entries of the pages it ran whole (verification_record),
from the reports that page_reports.py sorts by page.
"""

from pathlib import Path

import pytest

from verified_docs.page.fences import find_fences
from verified_docs.page.page_model import QUIZ
from verified_docs.quiz.schema import QuizError, parse_quiz
from verified_docs.record import verification_record
from verified_docs.test_run.page_reports import PageReports
from verified_docs.test_run.report_properties import KIND, WHERE, skip_reason


class RecordWriter:
    def __init__(self, path: Path, reports: PageReports) -> None:
        self.path = path
        self.pages = reports

    def pytest_sessionfinish(self) -> None:
        pages = self.pages
        results = {
            page: (hash_, _result(pages.reports[page], pages.text(page)))
            for page, hash_ in pages.passed_whole().items()
        }
        old = verification_record.read(self.path)
        record = verification_record.updated(old, results, pages.failed(), pages.existing())
        verification_record.write(self.path, record)


def _result(reports: list[pytest.TestReport], text: str) -> verification_record.PageResult:
    blocks = outputs = 0
    skipped = []
    for report in reports:
        properties = dict(report.user_properties)
        kind = properties.get(KIND)
        if report.when != "call" or kind not in ("code", "output"):
            continue
        if report.skipped:
            skipped.append((properties[WHERE], skip_reason(report)))
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
