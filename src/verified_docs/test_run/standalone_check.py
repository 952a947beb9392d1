"""The test of each page's standalone copies: one pytest item per page.

A copy that is one program of snippets/ alone is left to tests/test_snippets.py, which
runs it as `python snippets/name.py` does, in the same fork server (`run_program`), and
compares it with every page that shows it.

Each copy (page/standalone_copy.py: a block with the earlier blocks it needs) must print,
run alone in a fresh Python process, what the page shows under each of its blocks. The
copies run in the fork server of verifier/standalone_run.py, one per pytest worker,
started on first use; the item fails naming the page and line of each block whose copy
fails, and the blocks that copy ran.
"""

import atexit
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ..page.page_model import read_page
from ..page.standalone_copy import StandaloneCopy
from ..verifier.standalone_run import checked_copies

# A user property: (copies run, copies verified, copies that print before their block's
# output, each copy's length in lines).
STANDALONE = "verified_docs_standalone"
ITEM_NAME = "standalone copies"
STANDALONE_SUFFIX = "[standalone]"  # of a page's node id: docs/page.md[standalone]


class StandalonePage(pytest.File):
    def collect(self):
        yield StandaloneItem.from_parent(self, name=ITEM_NAME)


class StandaloneItem(pytest.Item):
    """Runs the standalone copy of every block of one page that the test run executes."""

    def runtest(self) -> None:
        root = self.config.rootpath
        page = read_page(self.path, root)
        copies = checked_copies(page)
        steps = {tuple(step["step"]): step for step in SERVER.run(page.path, root)}
        failures = copy_failures(copies, {step: done["problem"] for step, done in steps.items()})
        failed = sum(len(stopped) for stopped in failures.values())
        printing = sum(prints_before(copy, steps) for copy in copies)
        lengths = [copy.text.count("\n") for copy in copies]
        counts = (len(copies), len(copies) - failed, printing, lengths)
        self.user_properties.append((STANDALONE, counts))
        if failures:
            pytest.fail("\n\n".join(reports(failures)), pytrace=False)

    def reportinfo(self):
        return self.path, 0, f"{self.path.name}: {ITEM_NAME}"


def copy_failure(copy: StandaloneCopy, problems: dict) -> tuple[tuple, str] | None:
    """The first step of the copy that failed, and why; None if none did."""
    for length in range(1, len(copy.steps) + 1):
        step = copy.steps[:length]
        if step not in problems:
            return step, "it did not run to its end"
        if problems[step] is not None:
            return step, problems[step]
    return None


def copy_failures(copies: list[StandaloneCopy], problems: dict) -> dict[tuple, list]:
    """{(step, why): the copies that failed there}: a block that fails fails every copy
    that runs it, and is reported once."""
    failures: dict[tuple, list] = {}
    for copy in copies:
        failure = copy_failure(copy, problems)
        if failure is not None:
            failures.setdefault(failure, []).append(copy)
    return failures


def reports(failures: dict[tuple, list]) -> list[str]:
    """One report per failure: the first copy it stopped, and the others, in one line."""
    texts = []
    for (_, why), stopped in failures.items():
        first, *others = stopped
        lines = ", ".join(str(block.fence.line) for block in first.blocks)
        text = (
            f"{first.block.where}: the standalone copy of this block (the blocks at lines "
            f"{lines}), run alone, fails:\n{why.rstrip()}"
        )
        if others:
            also = ", ".join(str(copy.block.fence.line) for copy in others)
            text += f"\nThe same failure stops the copies of the blocks at lines {also}."
        texts.append(text)
    return texts


def prints_before(copy: StandaloneCopy, steps: dict[tuple, dict]) -> bool:
    """Whether the copy, run alone, prints anything before its own block's output."""
    return any(
        steps.get(copy.steps[:length], {}).get("printed") for length in range(1, len(copy.steps))
    )


class ForkServer:
    """The worker's fork server (verifier/standalone_run.py), started on first use."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's, for its life

    def run(self, page: str, root: Path) -> list[dict]:
        """The results of each step of the copies of `page`, of the project at `root`."""
        return self._ask({"page": page, "root": str(root)})

    def run_program(self, program: str, root: Path, time_limit_s: float) -> dict:
        """How `python program`, from a folder holding a copy of `root`'s snippets/, ran:
        {"stdout", "stderr", "returncode"}, the status None past the time limit."""
        return self._ask({"program": program, "time_limit_s": time_limit_s, "root": str(root)})

    def _ask(self, request: dict):
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "verified_docs.verifier.standalone_run"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                cwd=request["root"],
                text=True,
            )
            atexit.register(self.close)
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.log.seek(0)
            log = self.log.read().decode(errors="replace")[-3000:]
            pytest.fail(f"{request}: the standalone copies' fork server ended:\n{log}", False)
        return json.loads(answer)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


SERVER = ForkServer()
