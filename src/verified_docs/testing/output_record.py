"""The record of a run: what each block's output fence would show after it, as JSON.

`pytest --record-outputs PATH` writes it; the stability run (verified_docs.testing.stability)
compares the records of runs under different CPU kernels and thread counts.
"""

import json
from pathlib import Path

import pytest

SHOWN = "verified_docs_shown"  # the user property that carries (page:line, text)


class OutputRecorder:
    """A pytest plugin for the main process: collects the shown outputs, writes the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == SHOWN:
                where, text = value
                self.shown[where] = text

    def pytest_sessionfinish(self) -> None:
        write(self.path, self.shown)


def write(path: Path, shown: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(shown, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"))
