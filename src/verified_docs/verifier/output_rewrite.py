"""Rewrite the output fences of pages from a real run: the update mode after an upgrade,
and what a page would show after a run (which the stability run compares)."""

from collections import defaultdict
from pathlib import Path

from ..page.page_model import CodeBlock
from .block_run import Run
from .output_check import any_number


class PageUpdates:
    """Collects new outputs during a run and writes them into the pages at the end."""

    def __init__(self) -> None:
        self.edits: dict[str, list[tuple[int, int, str]]] = defaultdict(list)

    def record(self, path: str, block: CodeBlock, run: Run) -> None:
        output = block.output
        text = run.trimmed_text  # a traceback trimmed to its first and last lines
        if output is None:
            indent = block.fence.indent
            fence = f"\n{indent}```output\n{_indented(text, indent)}{indent}```\n"
            self.edits[path].append((block.fence.end, block.fence.end, fence))
        else:
            replacement = _indented(text, output.indent)
            self.edits[path].append((output.source_start, output.source_end, replacement))

    def write(self) -> list[str]:
        """Apply the edits, last first so earlier offsets stay valid; return the pages."""
        for path, edits in self.edits.items():
            text = Path(path).read_text(encoding="utf-8")
            for start, end, replacement in sorted(edits, reverse=True):
                text = text[:start] + replacement + text[end:]
            Path(path).write_text(text, encoding="utf-8")
        return sorted(self.edits)


def rewritable(block: CodeBlock, run: Run) -> bool:
    """Whether the update mode may write what `run` printed under `block`: never a
    timeout or an exit, nor an exception the page does not ask for, which are bugs to
    fix. A page asks for one with a traceback, or with an empty fence to be filled."""
    asks = block.expects_error or (block.output is not None and not block.output.source.strip())
    return run.stopped is None and (run.error is None or asks)


def shown_output(block: CodeBlock, run: Run, passed: bool) -> str:
    """What the page would show under `block` after `run`: its own output when the block
    passed (a rounded number stays as written), else what it printed, with the trimmed
    traceback of any exception it raised (the page would need one to pass); of one run's
    measurements, with their numbers marked, since they differ from run to run."""
    if passed and block.output is not None:
        return block.output.source
    return any_number(run.trimmed_text) if block.measured else run.trimmed_text


def _indented(text: str, indent: str) -> str:
    # Blank lines at the end would only widen the fence: the comparison ignores them.
    text = text.rstrip("\n") + "\n" if text.strip() else ""
    return "".join(indent + line if line.strip() else line for line in text.splitlines(True))
