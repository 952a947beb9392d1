"""Run a block of Python, capture what it prints, and compare that with the page.

The comparison is doctest's, with ELLIPSIS and NORMALIZE_WHITESPACE, and NUMBER in a
stricter form than Sybil's: a printed number matches the page when it rounds to the
digits the page shows (0.08666 matches 0.0867), so a page edited by one digit fails.
"""

import doctest
import io
import re
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass

from sybil.evaluators.doctest import OutputChecker

TRACEBACK_HEADER = "Traceback (most recent call last):"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


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
    exponent = want.group("exponent1") or want.group("exponent2") or "0"
    precision = len(fraction) - int(exponent)
    half_unit = 0.5 * 10.0**-precision
    return abs(float(got) - float(want.group())) <= half_unit * (1 + 1e-9)


CHECKER = RoundingChecker()


@dataclass
class Run:
    """What a block printed, and the traceback of the exception it raised, if any."""

    stdout: str
    error: str | None = None
    error_summary: str | None = None

    @property
    def text(self) -> str:
        """What a reader running the block sees: its output, then any traceback."""
        return self.stdout + (self.error or "")

    @property
    def trimmed_text(self) -> str:
        """The output with any traceback trimmed to its header and last line, for pages."""
        if self.error is None:
            return self.stdout
        return f"{self.stdout}{TRACEBACK_HEADER}\n  ...\n{self.error_summary}"


def run_code(source: str, filename: str, first_line: int, namespace: dict) -> Run:
    """Execute `source` in `namespace`; tracebacks name `filename` and its real lines."""
    code = compile("\n" * (first_line - 1) + source, filename, "exec", dont_inherit=True)
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        try:
            exec(code, namespace)
        except Exception as error:
            frames = traceback.extract_tb(error.__traceback__)[1:]
            lines = [TRACEBACK_HEADER + "\n", *traceback.format_list(frames)]
            summary = "".join(traceback.format_exception_only(error))
            return Run(buffer.getvalue(), "".join(lines) + summary, summary)
    return Run(buffer.getvalue())


def difference(want: str, run: Run) -> str | None:
    """None when `run` printed what the page shows, else a readable diff."""
    if TRACEBACK_HEADER in want and run.error is None:
        return "the page shows an exception, but the block raised none; it printed:\n" + (
            run.stdout or "(nothing)\n"
        )
    if CHECKER.check_output(want, run.text, FLAGS):
        return None
    example = doctest.Example(source="", want=want)
    return CHECKER.output_difference(example, run.text, FLAGS | doctest.REPORT_UDIFF)
