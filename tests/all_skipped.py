"""A pytest plugin that fails the run when a parametrized test was skipped in every one
of its cases: a test that never runs anywhere is a broken test, however green the run.
(A browser test once skipped itself on every page, because the HTML it looked for had
changed.) tests/conftest.py loads it; it runs in the process that sees every report."""

from collections import defaultdict

import pytest


class AllSkipped:
    def __init__(self) -> None:
        self.outcomes: dict[str, set[str]] = defaultdict(set)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        test, _, case = report.nodeid.partition("[")
        if case and (report.when == "call" or report.outcome != "passed"):
            self.outcomes[test].add(report.outcome)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        never = sorted(test for test, outcomes in self.outcomes.items() if outcomes == {"skipped"})
        if never:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            for test in never:
                reporter.write_line(f"{test}: skipped in every case; it never runs", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # xdist's controller, or a run without it
        config.pluginmanager.register(AllSkipped(), "all_skipped_check")
