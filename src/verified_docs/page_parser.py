"""Sybil parsers for the guide's pages: every Python block runs, every output is checked.

A page pairs a `python` fence with the `output` fence right below it. Blocks of one
page run in one namespace, in page order. Anything that looks like Python but would
not run (```py, an unknown attribute, a fence with no language, an output under no
block) becomes a failing example, so nothing on a page escapes the run unnoticed.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os.path import relpath
from pathlib import Path
from typing import TYPE_CHECKING

from sybil import Document, Example, Region
from sybil.parsers.markdown import SkipParser

from .fences import Fence, find_fences, line_of
from .figure_check import check_figures
from .outputs import Run, difference, run_code
from .snippets import SnippetError, expand, included_files

if TYPE_CHECKING:
    from .output_updates import PageUpdates

PYTHON = "python"
OUTPUT = "output"
PYTHON_ATTRIBUTES = {"title", "hl_lines", "linenums"}
PYTHON_LOOKALIKES = {"py", "py3", "python3", "pycon", "ipython", "ipython3", "pyi", "Python"}
# Fences in these languages hold text or commands for the reader, not code we run.
OTHER_LANGUAGES = {
    "bash", "console", "json", "markdown", "md", "quiz", "shell", "sh", "text", "toml", "yaml",
}  # fmt: skip


@dataclass(frozen=True)
class CodeBlock:
    """A Python block as the reader sees it, with the output fence below it, if any."""

    page: str
    code: Fence
    source: str
    output: Fence | None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.code.line}"

    @property
    def snippets(self) -> list[str]:
        return included_files(self.code.source)


@dataclass(frozen=True)
class Problem:
    """A fence the verifier cannot run; evaluating it fails with `message`."""

    message: str


class PageParser:
    """Yield one region per Python block (with its output) and per unrunnable fence.

    `updates`, when given, is told of every output that differs instead of failing,
    so that the update session can rewrite the pages.
    """

    def __init__(self, root: Path, updates: "PageUpdates | None" = None) -> None:
        self.root = root
        self.updates = updates

    def __call__(self, document: Document) -> Iterator[Region]:
        page = self._relative(document.path)
        fences = list(find_fences(document.text))
        paired: set[int] = set()
        for index, fence in enumerate(fences):
            if index in paired:
                continue
            following = fences[index + 1] if index + 1 < len(fences) else None
            if fence.language == PYTHON and self._is_output_of(fence, following, document):
                paired.add(index + 1)
                yield self._python_region(page, fence, following)
            elif fence.language == PYTHON:
                yield self._python_region(page, fence, None)
            else:
                problem = self._problem(page, fence)
                if problem is not None:
                    yield Region(fence.start, fence.end, problem, fail)

    def _relative(self, path: str) -> str:
        return relpath(path, self.root)

    @staticmethod
    def _is_output_of(fence: Fence, following: Fence | None, document: Document) -> bool:
        if following is None or following.language != OUTPUT:
            return False
        return not document.text[fence.end : following.start].strip()

    def _python_region(self, page: str, fence: Fence, output: Fence | None) -> Region:
        end = output.end if output else fence.end
        unknown = sorted(set(fence.attributes) - PYTHON_ATTRIBUTES)
        if unknown:
            message = (
                f"{page}:{fence.line}: python fence has attributes the verifier does not "
                f"know: {', '.join(unknown)} (known: {', '.join(sorted(PYTHON_ATTRIBUTES))})"
            )
            return Region(fence.start, end, Problem(message), fail)
        if fence.source.lstrip().startswith(">>>"):
            message = (
                f"{page}:{fence.line}: python block uses >>> prompts, which the copy button "
                "would copy; write plain code and put what it prints in an output fence below"
            )
            return Region(fence.start, end, Problem(message), fail)
        if not fence.closed:
            return Region(
                fence.start, end, Problem(f"{page}:{fence.line}: fence never closes"), fail
            )
        try:
            source = expand(fence.source, self.root, f"{page}:{fence.line}")
        except SnippetError as error:
            return Region(fence.start, end, Problem(str(error)), fail)
        block = CodeBlock(page, fence, source, output)
        return Region(fence.start, end, block, BlockEvaluator(self.updates))

    @staticmethod
    def _problem(page: str, fence: Fence) -> Problem | None:
        where = f"{page}:{fence.line}"
        language = fence.language
        if language == OUTPUT:
            return Problem(f"{where}: output fence with no python block right above it")
        if not language:
            return Problem(f"{where}: fence names no language; use ```python or ```text")
        if language in PYTHON_LOOKALIKES or PYTHON in language.lower():
            return Problem(
                f"{where}: ```{fence.info.strip()} is not run by the verifier; "
                f'open Python blocks with ```python (attributes: title="...", hl_lines, linenums)'
            )
        if language not in OTHER_LANGUAGES:
            return Problem(
                f"{where}: unknown fence language {language!r}; "
                f"use python, output, or one of {', '.join(sorted(OTHER_LANGUAGES))}"
            )
        return None


def fail(example: Example) -> str:
    """The evaluator of a fence the verifier cannot run."""
    return example.parsed.message


class BlockEvaluator:
    """Run a block in its page's namespace and check what it printed."""

    def __init__(self, updates: "PageUpdates | None" = None) -> None:
        self.updates = updates

    def __call__(self, example: Example) -> str | None:
        block: CodeBlock = example.parsed
        source_line = line_of(example.document.text, block.code.source_start)
        filename = block.snippets[0] if block.snippets else block.page
        first_line = 1 if block.snippets else source_line
        run = run_code(block.source, filename, first_line, example.namespace)
        document = example.document
        updating = self.updates is not None and run.error is None
        figures = check_figures(block, document.text, document.path, updating)
        problem = self._check(block, run, document.text)
        if problem and self.updates is not None and not _is_real_error(block, run):
            self.updates.record(example.document.path, block, run)
            return figures
        return problem or figures

    @staticmethod
    def _check(block: CodeBlock, run: Run, text: str) -> str | None:
        if block.output is None:
            if run.error:
                return f"{block.where}: the block raised an exception\n{run.error}"
            if run.stdout:
                return (
                    f"{block.where}: the block prints, but the page shows no output fence "
                    f"below it; it printed:\n{run.stdout}"
                )
            return None
        diff = difference(block.output.source, run)
        if diff is None:
            return None
        output_line = block.output.line
        snippet = f" (snippet {', '.join(block.snippets)})" if block.snippets else ""
        return (
            f"{block.page}:{output_line}: the output differs from what the block at line "
            f"{block.code.line}{snippet} printed\n{diff}"
        )


def _is_real_error(block: CodeBlock, run: Run) -> bool:
    """An exception the page does not show is a bug to fix, not an output to record."""
    return run.error is not None and (
        block.output is None or "Traceback" not in block.output.source
    )


class ReasonedSkipParser(SkipParser):
    """Sybil's `<!-- skip: next "reason" -->`, refusing a skip that gives no reason."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            action, reason = region.parsed
            if action in ("next", "start") and not (reason and reason.strip()):
                where = (
                    f"{relpath(document.path, self.root)}:{line_of(document.text, region.start)}"
                )
                message = (
                    f"{where}: 'skip: {action}' gives no reason; "
                    f'write <!-- skip: {action} "why this block cannot run here" -->'
                )
                yield Region(region.start, region.end, Problem(message), fail)
            else:
                yield region
