"""Run a page's code so that it can neither hang the test run nor end it.

While a block runs:

- a timer (SIGALRM) interrupts it after its time limit: it fails "timed out after N s";
- standard input is empty, so `input()` fails at once instead of waiting for a reader;
- `os._exit` raises instead of ending the process (a forked child, such as a DataLoader
  worker, still exits as usual), and `sys.exit()` and `KeyboardInterrupt` are caught by
  the caller: the block fails and the run goes on.

If the timer's exception cannot get through (a C call that never returns to Python),
faulthandler prints where the block hangs and ends the process with status 1 once a
grace period has passed, so that even then the run fails instead of hanging.
"""

import faulthandler
import io
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

GRACE_S = 30


class Stopped(BaseException):
    """A block that ran out of time or tried to end the process (not an `Exception`,
    so that the block's own `except Exception` cannot swallow it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def stop_reason(error: BaseException) -> str | None:
    """Why `error` stops a block whatever its page shows; None for an ordinary exception."""
    if isinstance(error, Stopped):
        return error.reason
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r}); a block must not end the run"
    if isinstance(error, KeyboardInterrupt):
        return "was interrupted (KeyboardInterrupt)"
    return None


@contextmanager
def guarded(time_limit_s: float) -> Iterator[None]:
    """Run the body under a time limit, with standard input empty and os._exit refused."""
    owner, real_exit = os.getpid(), os._exit

    def refuse_exit(status: int) -> None:
        if os.getpid() != owner:
            real_exit(status)
        raise Stopped(f"called os._exit({status}); a block must not end the run")

    def time_up(signum, frame) -> None:
        raise Stopped(f"timed out after {time_limit_s:g} s")

    previous_handler = signal.signal(signal.SIGALRM, time_up)
    previous_stdin, sys.stdin = sys.stdin, io.StringIO()
    os._exit = refuse_exit
    faulthandler.dump_traceback_later(time_limit_s + GRACE_S, exit=True, file=sys.__stderr__)
    signal.setitimer(signal.ITIMER_REAL, time_limit_s)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous_handler)
        os._exit, sys.stdin = real_exit, previous_stdin
