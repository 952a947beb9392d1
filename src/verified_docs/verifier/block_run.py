"""Run a block of Python as a page's reader would, and capture what it prints.

The block runs under the guard of `block_guard` (a time limit; exits and interrupts
caught), and its traceback names its page (or snippet) and real lines.
"""

import io
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass

from ..page.page_model import DEFAULT_TIME_LIMIT_S, TRACEBACK_HEADER
from . import block_guard
from .block_guard import guarded, stop_reason

MARKDOWN_TAB = 4  # Python-Markdown's tab_length, which MkDocs keeps


@dataclass
class Run:
    """What a block printed, and the traceback of the exception it raised, if any.

    `stopped` says why the block failed whatever its page shows: it timed out, or it
    tried to end the process (sys.exit, os._exit, KeyboardInterrupt).
    """

    stdout: str
    error: str | None = None
    error_summary: str | None = None
    stopped: str | None = None

    def __post_init__(self) -> None:
        # A tab shows on a page as Markdown turns it, into spaces to the next multiple of
        # 4 (its tab_length): kept that way, the output fence holds what a reader sees.
        self.stdout = self.stdout.expandtabs(MARKDOWN_TAB)
        if self.error is not None:
            self.error = self.error.expandtabs(MARKDOWN_TAB)
        if self.error_summary is not None:
            self.error_summary = self.error_summary.expandtabs(MARKDOWN_TAB)

    @property
    def trimmed_text(self) -> str:
        """The output with any traceback trimmed to its header and last line, for pages."""
        if self.error is None:
            return self.stdout
        return f"{self.stdout}{TRACEBACK_HEADER}\n  ...\n{self.error_summary}"


def run_code(
    source: str,
    filename: str,
    first_line: int,
    namespace: dict,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Run:
    """Execute `source` in `namespace`; tracebacks name `filename` and its real lines."""
    code = compile("\n" * (first_line - 1) + source, filename, "exec", dont_inherit=True)
    buffer = io.StringIO()
    try:
        with redirect_stdout(buffer), guarded(time_limit_s):
            exec(code, namespace)
    except BaseException as error:  # a block may not stop the run, whatever it raises
        # Not run_code's own frame, nor the guard's timer that interrupted the block.
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)[1:]
            if frame.filename != block_guard.__file__
        ]
        lines = [TRACEBACK_HEADER + "\n", *traceback.format_list(frames)]
        summary = "".join(traceback.format_exception_only(error))
        error_text = "".join(lines) + summary
        return Run(buffer.getvalue(), error_text, summary, stop_reason(error))
    return Run(buffer.getvalue())
