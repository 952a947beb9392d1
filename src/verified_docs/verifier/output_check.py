"""Compare what a block printed (a `block_run.Run`) with its page: the verdict on a
block (`verdict`), for the test run and anything else that checks one.

The comparison is doctest's with ELLIPSIS (`...` stands for any text), line by line:
trailing spaces and blank lines at the very end aside, a missing or extra line fails.
Numbers compare in a stricter form than Sybil's NUMBER: a printed number matches the page
when it rounds to the digits the page shows (0.08666 matches 0.0867), and a number shown
without decimals (`0.`, `3.`, as PyTorch prints integral values) must be exactly that.

An output fence marked `measured` shows one run's measurements (timings): any number
matches any number there, and the rest of the text must match as usual.

An exception is never matched by `...`: a block that raises passes only when the page
shows a traceback, and then the exception's type must be the same and its message must
match the page's (numbers rounded, no `...`).
"""

import doctest
import re

from sybil.evaluators.doctest import OutputChecker

from ..page.page_model import TRACEBACK_HEADER, CodeBlock, shows_traceback
from .block_run import Run


class RoundingChecker(OutputChecker):
    """doctest's checker, where numbers compare after rounding to the page's digits."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want, self.round_like(want, got), optionflags)

    def round_like(self, want: str, got: str) -> str:
        wants = list(self._number_re.finditer(want))
        gots = list(self._number_re.finditer(got))
        if len(wants) != len(gots):
            return got
        for w, g in reversed(list(zip(wants, gots, strict=True))):
            if _rounds_to(g.group(), w):
                got = got[: g.start()] + w.group() + got[g.end() :]
        return got


def _rounds_to(got: str, want: re.Match[str]) -> bool:
    fraction = want.group("fraction") or ""
    exponent = want.group("exponent1") or want.group("exponent2")
    if not fraction and exponent is None:  # 0. or 3.: an integral value, exactly
        return float(got) == float(want.group())
    precision = len(fraction) - int(exponent or "0")
    half_unit = 0.5 * 10.0**-precision
    return abs(float(got) - float(want.group())) <= half_unit * (1 + 1e-9)


CHECKER = RoundingChecker()
ANY_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def verdict(block: CodeBlock, run: Run) -> str | None:
    """None when the block passes: it printed what its page shows, or printed nothing and
    raised nothing where the page shows no output; else why it fails, naming page and line."""
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
    if block.measured:
        diff = compare(any_number(block.output.source), any_number(run.trimmed_text), 0)
    else:
        diff = difference(block.output.source, run)
    if diff is None:
        return None
    snippet = f" (snippet {', '.join(block.snippets)})" if block.snippets else ""
    return (
        f"{block.page}:{block.output.line}: the output differs from what the block at line "
        f"{block.fence.line}{snippet} printed\n{diff}"
        f"If PyTorch really prints that: nox -s update-outputs -- {block.page}\n"
    )


def difference(want: str, run: Run) -> str | None:
    """None when `run` printed what the page shows, else a readable diff."""
    shows_exception = shows_traceback(want)
    if run.error is None:
        if shows_exception:
            return "the page shows an exception, but the block raised none; it printed:\n" + (
                run.stdout or "(nothing)\n"
            )
        return compare(want, run.stdout, doctest.ELLIPSIS)
    if not shows_exception:
        return f"the block raised an exception, which the page does not show:\n{run.error}"
    want_stdout, _, want_traceback = want.partition(TRACEBACK_HEADER)
    printed = compare(want_stdout, run.stdout, doctest.ELLIPSIS)
    if printed is not None:
        return printed
    return _exception_difference(_exception_lines(want_traceback), run.error_summary or "")


def _exception_lines(traceback_text: str) -> str:
    """The `Type: message` lines of a page's traceback: what follows the frames (or ...)."""
    lines = traceback_text.splitlines(keepends=True)[1:]
    while lines and (lines[0].startswith((" ", "\t")) or lines[0].strip() in ("", "...")):
        lines.pop(0)
    return "".join(lines)


def _exception_difference(want: str, got: str) -> str | None:
    want_type, got_type = want.partition(":")[0].strip(), got.partition(":")[0].strip()
    if want_type != got_type:
        return f"the page shows {want_type or 'no exception type'}, but the block raised:\n{got}"
    return compare(want, got, 0)


def compare(want: str, got: str, flags: int) -> str | None:
    """None when `got` matches `want` line by line (numbers rounded), else a diff."""
    want, got = _lines(want), _lines(got)
    if CHECKER.check_output(want, got, flags):
        return None
    example = doctest.Example(source="", want=want)
    return CHECKER.output_difference(example, got, flags | doctest.REPORT_UDIFF)


def any_number(text: str) -> str:
    """`text` with every number replaced by one mark, for a measured output."""
    return ANY_NUMBER.sub("<number>", text)


def _lines(text: str) -> str:
    """`text` without trailing spaces on its lines and without blank lines at its end."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)
