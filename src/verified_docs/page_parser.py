"""Sybil's adapter for the guide's pages: one region per item of the page model.

The page is read once into `page_model.Page`; each Python block becomes an example that
runs in its page's namespace and checks what it printed, each problem a failing example,
each quiz an example that validates it (quiz/sybil_parser.py), and each skip directive
a region for Sybil's skipper, which evaluates its condition at run time.
"""

from collections.abc import Iterator
from pathlib import Path

from sybil import Document, Example, Region
from sybil.evaluators.skip import Skipper
from sybil.example import NotEvaluated

from .fences import line_of
from .output_updates import PageUpdates, new_output_text
from .outputs import Run, difference, run_code
from .page_model import CodeBlock, Problem, Quiz, Skip, page_path, parse_page
from .quiz.sybil_parser import evaluate_quiz

SKIP_DIRECTIVE = "skip"


class PageParser:
    """Yield a region for every block, quiz, skip directive and problem of a page.

    `updates`, when given, is told of every output that differs instead of failing,
    so that the update session can rewrite the pages.
    """

    def __init__(self, root: Path, updates: "PageUpdates | None" = None) -> None:
        self.root = root
        self.evaluate_block = BlockEvaluator(updates)
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


class BlockEvaluator:
    """Run a block in its page's namespace and check what it printed."""

    def __init__(self, updates: "PageUpdates | None" = None) -> None:
        self.updates = updates

    def __call__(self, example: Example) -> str | None:
        block: CodeBlock = example.parsed
        source_line = line_of(example.document.text, block.fence.source_start)
        filename = block.snippets[0] if block.snippets else block.page
        first_line = 1 if block.snippets else source_line
        run = run_code(block.source, filename, first_line, example.namespace, block.time_limit_s)
        problem = self._check(block, run)
        # What the page would show after this run: the stability run compares it.
        shows_page_output = block.output is not None and problem is None
        example.shown_output = (
            block.output.source if shows_page_output else new_output_text(block, run)
        )
        if problem and self.updates is not None and not _is_real_error(block, run):
            self.updates.record(example.document.path, block, run)
            return None
        return problem

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
            f"{block.fence.line}{snippet} printed\n{diff}"
        )


def _is_real_error(block: CodeBlock, run: Run) -> bool:
    """An exception the page does not show is a bug to fix, not an output to record."""
    return run.stopped is not None or (run.error is not None and not block.expects_error)


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
