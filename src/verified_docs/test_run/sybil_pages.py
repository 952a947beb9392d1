"""Sybil's adapter for the guide's pages: one region per item of the page model.

The page is read once into `page_model.Page`; each Python block becomes an example that
runs in its page's namespace and checks what it printed, each problem a failing example,
each quiz an example that validates it and runs its code (quiz/check.py), as the build
does, and each skip directive a region for Sybil's skipper, which evaluates its condition
at run time.
"""

from collections.abc import Iterator
from pathlib import Path

from sybil import Document, Example, Region
from sybil.evaluators.skip import Skipper
from sybil.example import NotEvaluated

from ..page.fences import line_of
from ..page.page_model import CodeBlock, Problem, Quiz, Skip, page_path, parse_page
from ..quiz.check import load_quiz
from ..quiz.schema import QuizError
from ..verifier.block_run import run_code
from ..verifier.figure_check import check_figures
from ..verifier.output_check import verdict
from ..verifier.output_rewrite import PageUpdates, rewritable, shown_output

SKIP_DIRECTIVE = "skip"


class PageParser:
    """Yield a region for every block, quiz, skip directive and problem of a page.

    `updates`, when given, is told of every output that differs instead of failing,
    so that the update session can rewrite the pages. `shown` holds, for each block run
    (by its page:line), what its output fence would show after the run.
    """

    def __init__(self, root: Path, updates: "PageUpdates | None" = None) -> None:
        self.root = root
        self.evaluate_block = BlockEvaluator(updates)
        self.shown = self.evaluate_block.shown
        self.skipper = GateKeepingSkipper(SKIP_DIRECTIVE, root)

    def __call__(self, document: Document) -> Iterator[Region]:
        page = parse_page(document.text, page_path(document.path, self.root), self.root)
        for item in page.items:
            yield Region(item.start, item.end, item.parsed, self._evaluator(item.parsed))

    def _evaluator(self, parsed):
        if isinstance(parsed, CodeBlock):
            return self.evaluate_block
        if isinstance(parsed, Quiz):
            return evaluate_quiz
        if isinstance(parsed, Skip):
            return self.skipper
        return fail


def fail(example: Example) -> str:
    """The evaluator of a fence the verifier cannot run."""
    return example.parsed.message


def evaluate_quiz(example: Example) -> str | None:
    """The evaluator of a quiz: counted apart in the summary ("quiz blocks: N checked")."""
    try:
        load_quiz(example.parsed)
    except QuizError as error:
        return str(error)
    return None


class BlockEvaluator:
    """Run a block in its page's namespace and check what it printed."""

    def __init__(self, updates: "PageUpdates | None" = None) -> None:
        self.updates = updates
        self.shown: dict[str, str] = {}  # page:line: what the fence would show

    def __call__(self, example: Example) -> str | None:
        block: CodeBlock = example.parsed
        source_line = line_of(example.document.text, block.fence.source_start)
        filename = block.snippets[0] if block.snippets else block.page
        first_line = 1 if block.snippets else source_line
        run = run_code(block.source, filename, first_line, example.namespace, block.time_limit_s)
        document = example.document
        updating = self.updates is not None and run.error is None
        figures = check_figures(block, document.text, document.path, updating)
        problem = verdict(block, run)
        # What the page would show after this run: the stability run compares it.
        self.shown[block.where] = shown_output(block, run, problem is None)
        if problem and self.updates is not None and rewritable(block, run):
            self.updates.record(example.document.path, block, run)
            return figures
        return problem or figures


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
            where = f"{page_path(example.path, self.root)}:{example.line}"
            return f"{where}: the skip directive fails: {type(error).__name__}: {error}"
        return None

    def evaluate_other_example(self, example: Example) -> None:
        if not isinstance(example.parsed, Problem):
            return super().evaluate_other_example(example)
        if self.state_for(example).remove:  # a `skip: next` ends at this fence
            self.remove(example)
        raise NotEvaluated()
