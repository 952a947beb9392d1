"""Run every standalone copy of a page, each as if pasted into a fresh Python process.

`python -m verified_docs.verifier.standalone_run` is a fork server: it imports torch,
NumPy, scikit-learn and matplotlib once, then reads requests, one JSON line each, on
standard input, and answers each with one JSON line: for a page, the results of the
page's copies; for a program of snippets/, how it ran alone (program_run.py).

A page's copies (page/standalone_copy.py) share their beginnings (the copy of block 6
is blocks 1, 2, 5, 6; that of block 5 is blocks 1, 2, 5), so they run as a tree: a
process runs one block, then forks a child for each way the copies go on but the last,
which it takes itself once the children are done (forking a process that has imported
torch takes tens of milliseconds). Each step checks only what its own block printed,
with the page run's verdict (output_check.verdict) and time limit (block_guard). Each
path from the root is thus exactly a fresh process that ran that copy: every step
starts from the server's state after its imports, in a working directory of its own (a
copy of its parent's, holding snippets/ as the page run's does), so files one copy
writes never reach another.
"""

import ast
import contextlib
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..page.fences import line_of
from ..page.page_model import CodeBlock, Page, read_page
from ..page.standalone_copy import BlockPart, StandaloneCopy, standalone_copies
from .block_run import Run, run_code
from .output_check import verdict
from .program_run import ProgramExit, run_program
from .run_folder import run_folder

REPLAY = 3  # a child's exit status: it has threads, so its parent forks what follows it
Steps = tuple[str, ...]  # a beginning shared by copies: `StandaloneCopy.steps`


def checked_copies(page: Page) -> list[StandaloneCopy]:
    """The copies to run: all but a snippets/ program alone, which its own test runs."""
    copies = standalone_copies(page).values()
    return [copy for copy in copies if not copy.is_program and copy.skipped is None]


def copy_paths(page: Page) -> tuple[dict[Steps, list[str]], dict[str, CodeBlock]]:
    """{each beginning of a copy: the steps that may follow it}, the tree to run, and
    the block (or setup) of each step."""
    tree: dict[Steps, list[str]] = {(): []}
    blocks: dict[str, CodeBlock] = {}
    for copy in checked_copies(page):
        blocks.update(zip(copy.steps, copy.blocks, strict=True))
        for length in range(1, len(copy.steps) + 1):
            if copy.steps[:length] not in tree:
                tree[copy.steps[:length]] = []
                tree[copy.steps[: length - 1]].append(copy.steps[length - 1])
    return tree, blocks


def run_page(page: Page, root: Path, results: Path) -> None:
    """Run the tree of `page`'s copies; each step appends a JSON line to `results`."""
    tree, blocks = copy_paths(page)
    folder = run_folder(root, "verified-copy-")
    try:
        run = Tree(page.text, tree, blocks, results)
        _fork(run.children, (), (), folder, {"__name__": "__main__"})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Tree:
    """The steps of a page's copies, run in forked processes.

    A process with threads besides its main one (torch.compile's workers, gloo's) must
    not fork: a child could wait forever on a lock a thread held. Such a process goes
    on by itself where one step follows; where several do, it stops, and the process
    it was forked from forks one child per step instead, which first runs again
    (`replay`) what the stopped process ran.
    """

    def __init__(self, text: str, tree: dict, blocks: dict, results: Path) -> None:
        self.text, self.tree, self.blocks, self.results = text, tree, blocks, results
        self.branch = results.with_suffix(".branch")  # where a threaded process stopped

    def children(
        self, steps: Steps, replay: Steps, folder: str, namespace: dict, keys: list | None = None
    ) -> None:
        """Run each step that follows `steps` (those of `keys` only, if given) in a child
        of this process, which first runs `replay` (the last steps of `steps`, which this
        process did not run)."""
        for key in self.tree[steps] if keys is None else keys:
            step = (*steps, key)
            status = _fork(self.step, step, replay, folder, namespace)
            if status == REPLAY:
                stopped = tuple(json.loads(self.branch.read_text("utf-8")))
                self.children(stopped, (*replay, *stopped[len(steps) :]), folder, namespace)
            elif status:
                _report(self.results, step, f"the process running it ended with status {status}")

    def step(self, step: Steps, replay: Steps, parent_folder: str, namespace: dict) -> None:
        """In a forked child: in a copy of the parent's folder, run `replay` unchecked,
        then the last block of `step` and what follows it."""
        folder = tempfile.mkdtemp(prefix="verified-copy-")
        shutil.copytree(parent_folder, folder, dirs_exist_ok=True, symlinks=True)
        os.chdir(folder)
        stopped = None
        try:
            for key in replay:
                self.run(key, namespace)
            stopped = self.go_on(step, folder, namespace)
        finally:
            os.chdir(parent_folder)
            shutil.rmtree(folder, ignore_errors=True)
        if stopped is not None:
            self.branch.write_text(json.dumps(stopped), "utf-8")
            os._exit(REPLAY)

    def go_on(self, step: Steps, folder: str, namespace: dict) -> Steps | None:
        """Run the last block of `step`, check it, and go on: fork a child for each step
        that follows but the last, which this process then runs itself. The step after
        which this process, having threads, stopped before several steps, or None."""
        while True:
            started = time.perf_counter()
            block = self.blocks[step[-1]]
            run = self.run(step[-1], namespace)
            problem = (
                part_verdict(block, run) if isinstance(block, BlockPart) else verdict(block, run)
            )
            _report(self.results, step, problem, time.perf_counter() - started, run.stdout)
            following = self.tree[step]
            if problem is not None or not following:
                return None
            if len(os.listdir("/proc/self/task")) == 1:  # no thread: forking is safe
                self.children(step, (), folder, namespace, following[:-1])
            elif len(following) > 1:
                return step
            step = (*step, following[-1])

    def run(self, key: str, namespace: dict) -> Run:
        block = self.blocks[key]
        filename = block.snippets[0] if block.snippets else block.page
        first_line = 1 if block.snippets else line_of(self.text, block.fence.source_start)
        return run_code(block.source, filename, first_line, namespace, block.time_limit_s)


def _fork(body, *arguments) -> int:
    """Run `body(*arguments)` in a child process; its exit status (0 when it returned)."""
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            body(*arguments)
        except BaseException:
            status = 1
        os._exit(status)
    _, wait_status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(wait_status)


def part_verdict(part: BlockPart, run: Run) -> str | None:
    """A part of a block passes when it runs: the page shows the whole block's output."""
    if run.stopped or run.error:
        what = run.stopped or "raised an exception"
        return f"{part.where}: the statements a copy takes from this block: {what}\n{run.error}"
    return None


def _report(
    results: Path, step: Steps, problem: str | None, seconds: float = 0.0, printed: str = ""
) -> None:
    report = {"step": list(step), "problem": problem, "seconds": seconds, "printed": bool(printed)}
    line = json.dumps(report) + "\n"
    with open(results, "a", encoding="utf-8") as file:  # one write, appended whole
        file.write(line)


def serve(requests, answers) -> None:
    """Answer each request, on the project in its "root": {"page": path}, the results of
    the page's copies, or {"program": path, "time_limit_s": seconds}, how a program of
    snippets/ ran alone (program_run.py)."""
    for line in requests:
        request = json.loads(line)
        root = Path(request["root"])
        if "program" in request:
            answer = run_program(request["program"], root, request["time_limit_s"])
        else:
            answer = page_results(read_page(root / request["page"], root), root)
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def page_results(page: Page, root: Path) -> list[dict]:
    """Run the page's copies: what each step did."""
    preload(page)
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as results:
        path = Path(results.name)
    try:
        run_page(page, root, path)
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    finally:
        path.unlink()
        path.with_suffix(".branch").unlink(missing_ok=True)


def preload(page: Page) -> None:
    """Import here, once, the modules the page's blocks import, so that each child does
    not: a fresh process that has imported them prints the same (torch._dynamo, which
    an optimizer's first step imports, alone takes seconds)."""
    importlib.import_module("torch._dynamo")
    for block in page.blocks:
        try:
            tree = ast.parse(block.source)
        except SyntaxError:  # the block's own run reports it
            continue
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                with contextlib.suppress(Exception):
                    importlib.import_module(name)


def main() -> None:
    """Import what pages use once; answer on a private copy of standard output.

    Blocks, and programs they start, write to file descriptors 0-2 directly (torchrun),
    so those point elsewhere: input at /dev/null, output at standard error.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot
    import numpy  # noqa: F401
    import sklearn.datasets
    import sklearn.model_selection  # noqa: F401
    import torch  # noqa: F401

    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    try:
        serve(requests, answers)
    except ProgramExit as end:  # in a program's process: it ends as the interpreter would
        sys.exit(end.code)


if __name__ == "__main__":
    main()
