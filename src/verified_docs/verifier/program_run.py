"""Run a program of snippets/ as `python snippets/name.py` runs it, in a child of the fork
server (standalone_run.py), which has imported torch, NumPy, scikit-learn and matplotlib:
a fresh process that has imported them prints the same, and the seconds the interpreter
takes to import them are paid once.

The child starts as the interpreter starts a script: in a folder of its own holding a
copy of snippets/, as the page run's, with `sys.argv` the program's path, the program's
folder first on `sys.path`, `__name__` "__main__" and standard input empty. Its standard
output and error are files at file descriptors 1 and 2, so what a library, or a process
the program starts, writes there is caught too. It ends as the interpreter ends a script:
the fork server's `main` calls `sys.exit` in it (threads joined, exit handlers run,
output flushed), with 0, the code the program gave `sys.exit`, or 1 after the traceback.
"""

import os
import runpy
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .run_folder import run_folder

POLL_S = 0.02


class ProgramExit(BaseException):
    """Raised in the child once the program has run, up to the fork server's `main`,
    which exits with `code` as the interpreter would (not an `Exception`, which the
    server's own code might catch)."""

    def __init__(self, code) -> None:
        super().__init__(code)
        self.code = code


def run_program(program: str, root: Path, time_limit_s: float) -> dict:
    """Run `program` (a path under `root`) alone: {"stdout", "stderr", "returncode"},
    the status None when it ran past `time_limit_s` and was killed, with every process
    it started."""
    folder = run_folder(root, "verified-program-")
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _run_as_script(program, folder, out.fileno(), err.fileno())
    try:
        status = _wait(pid, time_limit_s)
        return {"stdout": _text(out), "stderr": _text(err), "returncode": status}
    finally:
        out.close()
        err.close()
        shutil.rmtree(folder, ignore_errors=True)


def _run_as_script(program: str, folder: str, out: int, err: int) -> None:
    """In the child: run the program, then raise ProgramExit with its exit code."""
    os.setpgid(0, 0)  # a group of its own, which a timeout kills whole
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.chdir(folder)
    sys.argv = [program]
    sys.path[0] = str(Path(folder, program).parent)
    try:
        runpy.run_path(program, run_name="__main__")
    except SystemExit as exit_:
        raise ProgramExit(exit_.code) from None
    except BaseException:  # the interpreter prints it and exits with 1
        traceback.print_exc()
        raise ProgramExit(1) from None
    raise ProgramExit(0)


def _wait(pid: int, time_limit_s: float) -> int | None:
    """The child's exit status; None if it was still running at the limit (then killed)."""
    deadline = time.monotonic() + time_limit_s
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(POLL_S)
    os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def _text(file) -> str:
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")
