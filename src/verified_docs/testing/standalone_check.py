"""The test of each page's standalone copies: one pytest item per page.

A copy that is one program of snippets/ alone is left to tests/test_snippets.py, which
runs it as `python snippets/name.py` and compares it with every page that shows it.

Each copy (page/standalone_copy.py: a block with the earlier blocks it needs) must print,
run alone in a fresh Python process, what the page shows under each of its blocks. The
copies run in the fork server of checking/standalone_run.py, one per pytest worker,
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

from ..checking.standalone_run import checked_copies
from ..page.page_model import read_page
from ..page.standalone_copy import StandaloneCopy

STANDALONE = "verified_docs_standalone"  # user property: (copies run, copies verified)
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
        steps = SERVER.run(page.path, root)
        problems = {tuple(step["step"]): step["problem"] for step in steps}
        failures = []
        for copy in copies:
            failure = copy_failure(copy, problems)
            if failure:
                failures.append(failure)
        self.user_properties.append((STANDALONE, (len(copies), len(copies) - len(failures))))
        if failures:
            pytest.fail("\n\n".join(failures), pytrace=False)

    def reportinfo(self):
        return self.path, 0, f"{self.path.name}: {ITEM_NAME}"


def copy_failure(copy: StandaloneCopy, problems: dict) -> str | None:
    """Why the copy failed, naming its block, the blocks it ran and the first failure."""
    lines = ", ".join(str(block.fence.line) for block in copy.blocks)
    head = f"{copy.block.where}: the standalone copy of this block (the blocks at lines {lines})"
    for length in range(1, len(copy.steps) + 1):
        step = copy.steps[:length]
        if step not in problems:
            return f"{head} did not run to its end"
        if problems[step] is not None:
            return f"{head}, run alone, fails:\n{problems[step]}"
    return None


class ForkServer:
    """The worker's fork server (checking/standalone_run.py), started on first use."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's, for its life

    def run(self, page: str, root: Path) -> list[dict]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "verified_docs.checking.standalone_run"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                cwd=root,
                text=True,
            )
            atexit.register(self.close)
        self.process.stdin.write(json.dumps(page) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.log.seek(0)
            log = self.log.read().decode(errors="replace")[-3000:]
            pytest.fail(f"{page}: the standalone copies' fork server ended:\n{log}", False)
        return json.loads(answer)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


SERVER = ForkServer()
