"""What the test run's reports carry for the summary and the record (user properties):
what kind of example an item was and where on its page. pytest_plugin.py sets them;
its summary and record_writer.py read them, in xdist's controller."""

import pytest

KIND = "verified_docs_kind"  # code, output, quiz or problem
WHERE = "verified_docs_where"  # page:line


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")
