"""Sybil parsers for the guide's pages: every Python block runs, every output is checked.

A page pairs a `python` fence with the `output` fence right below it. Blocks of one
page run in one namespace, in page order. Anything that looks like Python but would
not run (```py, an unknown attribute, a fence with no language, an output under no
block, a fence inside a blockquote, a `--8<--` include outside a fence) becomes a failing
example, so nothing on a page escapes the run unnoticed.

A block runs under a time limit (`block_guard.DEFAULT_TIME_LIMIT_S`); a page gives one
block more with `<!-- timeout: 120 -->` on the line right above it.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os.path import relpath
from pathlib import Path

from sybil import Document, Example, Region
from sybil.evaluators.skip import Skipper
from sybil.example import NotEvaluated
from sybil.parsers.markdown import SkipParser

from .block_guard import DEFAULT_TIME_LIMIT_S
from .fences import Fence, find_fences, line_of
from .figure_check import check_figures
from .output_updates import PageUpdates, new_output_text
from .outputs import Run, difference, run_code
from .snippets import SnippetError, expand, included_files

PYTHON = "python"
OUTPUT = "output"
PYTHON_ATTRIBUTES = {"title", "hl_lines", "linenums"}
PYTHON_LOOKALIKES = {"py", "py3", "python3", "pycon", "ipython", "ipython3", "pyi", "Python"}
# Fences in these languages hold text or commands for the reader, not code we run.
OTHER_LANGUAGES = {
    "bash", "console", "json", "markdown", "md", "quiz", "shell", "sh", "text", "toml", "yaml",
}  # fmt: skip
TIMEOUT = re.compile(r"<!--[ \t]*timeout:(?P<value>[^\n]*?)-->")
SECONDS = re.compile(r"[ \t]*(?P<seconds>[1-9][0-9]*)[ \t]*")
# Fences the verifier's scan cannot see: in a blockquote, or Markdown included at page level.
QUOTED_FENCE = re.compile(r"^[ \t]*>[ \t>]*(`{3,}|~{3,})", re.MULTILINE)
PAGE_INCLUDE = re.compile(r"^[ \t]*-+8<-+", re.MULTILINE)


@dataclass(frozen=True)
class CodeBlock:
    """A Python block as the reader sees it, with the output fence below it, if any."""

    page: str
    code: Fence
    source: str
    output: Fence | None
    time_limit_s: int = DEFAULT_TIME_LIMIT_S

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
        yield from self._hidden_blocks(page, document.text, fences)
        limits = yield from self._time_limits(page, document.text, fences)
        paired: set[int] = set()
        for index, fence in enumerate(fences):
            if index in paired:
                continue
            following = fences[index + 1] if index + 1 < len(fences) else None
            limit = limits.get(index, DEFAULT_TIME_LIMIT_S)
            if fence.language == PYTHON and self._is_output_of(fence, following, document):
                paired.add(index + 1)
                yield self._python_region(page, fence, following, limit)
            elif fence.language == PYTHON:
                yield self._python_region(page, fence, None, limit)
            else:
                problem = self._problem(page, fence)
                if problem is not None:
                    yield Region(fence.start, fence.end, problem, fail)

    def _relative(self, path: str) -> str:
        return relpath(path, self.root)

    @staticmethod
    def _hidden_blocks(page: str, text: str, fences: list[Fence]) -> Iterator[Region]:
        """A failing region for each fence in a blockquote and each page-level include."""
        hidden = [
            (match, "a fence inside a blockquote is shown but never run; move it out of the quote")
            for match in QUOTED_FENCE.finditer(text)
        ] + [
            (match, "--8<-- outside a fence includes Markdown the verifier never sees; "
             "include snippets only as the one line of a python fence")
            for match in PAGE_INCLUDE.finditer(text)
        ]  # fmt: skip
        for match, message in sorted(hidden, key=lambda pair: pair[0].start()):
            if not _inside(match.start(), fences):
                where = f"{page}:{line_of(text, match.start())}"
                yield Region(match.start(), match.end(), Problem(f"{where}: {message}"), fail)

    @staticmethod
    def _time_limits(page: str, text: str, fences: list[Fence]):
        """Yield a failing region for each bad timeout directive; return {fence index: s}."""
        limits: dict[int, int] = {}
        for match in TIMEOUT.finditer(text):
            if _inside(match.start(), fences):
                continue
            where = f"{page}:{line_of(text, match.start())}"
            after = [i for i, fence in enumerate(fences) if fence.start >= match.end()]
            seconds = SECONDS.fullmatch(match["value"])
            target = after[0] if after else None
            if target is None or text[match.end() : fences[target].start].strip():
                message = f"{where}: a timeout directive must be right above a python fence"
            elif fences[target].language != PYTHON:
                message = f"{where}: a timeout directive applies only to a python fence"
            elif seconds is None:
                message = f"{where}: write the time limit in whole seconds: <!-- timeout: 120 -->"
            else:
                limits[target] = int(seconds["seconds"])
                continue
            yield Region(match.start(), match.end(), Problem(message), fail)
        return limits

    @staticmethod
    def _is_output_of(fence: Fence, following: Fence | None, document: Document) -> bool:
        if following is None or following.language != OUTPUT:
            return False
        return not document.text[fence.end : following.start].strip()

    def _python_region(
        self, page: str, fence: Fence, output: Fence | None, time_limit_s: int
    ) -> Region:
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
        block = CodeBlock(page, fence, source, output, time_limit_s)
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


def _inside(offset: int, fences: list[Fence]) -> bool:
    return any(fence.start <= offset < fence.end for fence in fences)


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
        run = run_code(block.source, filename, first_line, example.namespace, block.time_limit_s)
        document = example.document
        updating = self.updates is not None and run.error is None
        figures = check_figures(block, document.text, document.path, updating)
        problem = self._check(block, run)
        # What the page would show after this run: the stability run compares it.
        shows_page_output = block.output is not None and problem is None
        example.shown_output = (
            block.output.source if shows_page_output else new_output_text(block, run)
        )
        if problem and self.updates is not None and not _is_real_error(block, run):
            self.updates.record(example.document.path, block, run)
            return figures
        return problem or figures

    @staticmethod
    def _check(block: CodeBlock, run: Run) -> str | None:
        if run.stopped:
            return f"{block.where}: the block {run.stopped}\n{run.error}"
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
    return run.stopped is not None or (
        run.error is not None and (block.output is None or "Traceback" not in block.output.source)
    )


class GateKeepingSkipper(Skipper):
    """Sybil's skipper, except that a fence the verifier refuses fails even when skipped,
    and a directive that cannot be evaluated fails naming its page and line (and skips
    nothing, where Sybil's would leave later blocks passing unrun)."""

    def __init__(self, directive: str, root: Path) -> None:
        super().__init__(directive)
        self.root = root

    def __call__(self, example: Example) -> str | None:
        if example.region.evaluator is not self:
            return self.evaluate_other_example(example)
        try:
            self.evaluate_skip_example(example)
        except Exception as error:
            example.document.pop_evaluator(self)
            self.document_state.pop(example.document, None)
            where = f"{relpath(example.path, self.root)}:{example.line}"
            return f"{where}: the skip directive fails: {type(error).__name__}: {error}"
        return None

    def evaluate_other_example(self, example: Example) -> None:
        if not isinstance(example.parsed, Problem):
            return super().evaluate_other_example(example)
        if self.state_for(example).remove:  # a `skip: next` ends at this fence
            self.remove(example)
        raise NotEvaluated()


class ReasonedSkipParser(SkipParser):
    """Sybil's `<!-- skip: next "reason" -->`, refusing a skip that gives no reason and
    a `skip: start` that no `skip: end` closes."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.skipper = GateKeepingSkipper(self.directive, root)
        self.root = root

    def __call__(self, document: Document) -> Iterable[Region]:
        regions = list(super().__call__(document))
        unclosed = _unclosed_start(regions)
        for region in regions:
            action, reason = region.parsed
            where = f"{relpath(document.path, self.root)}:{line_of(document.text, region.start)}"
            if action in ("next", "start") and not (reason and reason.strip()):
                message = (
                    f"{where}: 'skip: {action}' gives no reason; "
                    f'write <!-- skip: {action} "why this block cannot run here" -->'
                )
                yield Region(region.start, region.end, Problem(message), fail)
            elif region is unclosed:
                message = f"{where}: 'skip: start' has no '<!-- skip: end -->' after it"
                yield Region(region.start, region.end, Problem(message), fail)
            else:
                yield region


def _unclosed_start(regions: list[Region]) -> Region | None:
    """The last `skip: start` region when no `skip: end` follows it."""
    last_start = None
    for region in regions:
        action = region.parsed[0]
        if action == "start":
            last_start = region
        elif action == "end":
            last_start = None
    return last_start
