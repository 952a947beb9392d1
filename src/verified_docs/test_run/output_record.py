"""The record of a run: what each block's output fence would show after it, as JSON.

`pytest --record-outputs PATH` writes it; the stability run (verified_docs.test_run.stability)
compares the records of runs under different CPU kernels and thread counts. Besides the
shown outputs, a record names the configuration the blocks ran under (as each xdist
worker's torch reports it), the PyTorch version, and the hash of each page that ran whole
and passed: so the stability run can take the record of `nox -s tests` for that
configuration instead of running the same pages the same way again.
"""

import json
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from .page_reports import PageReports

SHOWN = "verified_docs_shown"  # the user property that carries (page:line, text)
CONFIGURATION = "verified_docs_configuration"  # and the one that names the configuration


@dataclass(frozen=True)
class OutputRecord:
    shown: dict[str, str]  # page:line -> what its output fence would show
    configuration: str | None  # "avx512, 1 thread"; None when the blocks disagree or ran none
    torch: str
    passed: dict[str, str]  # page -> hash, for each page that ran whole and passed


def configuration_name(capability: str, threads: int) -> str:
    return f"{capability}, {threads} thread{'s' if threads > 1 else ''}"


def running_configuration() -> str | None:
    """The configuration a block just ran under, if the block's process imported torch."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    capability = torch.backends.cpu.get_cpu_capability().lower()
    return configuration_name(capability, torch.get_num_threads())


class OutputRecorder:
    """A pytest plugin for the main process: collects the shown outputs, writes the file."""

    def __init__(self, path: Path, reports: PageReports) -> None:
        self.path = path
        self.reports = reports
        self.shown: dict[str, str] = {}
        self.configurations: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == SHOWN:
                where, text = value
                self.shown[where] = text
            elif name == CONFIGURATION and value is not None:
                self.configurations.add(value)

    def pytest_sessionfinish(self) -> None:
        configuration = next(iter(self.configurations)) if len(self.configurations) == 1 else None
        record = OutputRecord(
            self.shown, configuration, version("torch"), self.reports.passed_whole()
        )
        write(self.path, record)


def write(path: Path, record: OutputRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record.__dict__, indent=1, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def read(path: Path) -> OutputRecord:
    return OutputRecord(**json.loads(path.read_text(encoding="utf-8")))
