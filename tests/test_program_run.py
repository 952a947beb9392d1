"""A program of snippets/ runs in the fork server as `python snippets/name.py` runs it.

The server is the worker's own, which the pages' copies and test_snippets.py use: each
request names the project it is for.
"""

from pathlib import Path

import pytest

from verified_docs.test_run.standalone_check import SERVER

AS_A_SCRIPT = """\
import atexit, os, subprocess, sys, threading, time
from pathlib import Path

import helper  # snippets/, the program's folder, is first on sys.path

print("argv", sys.argv, "main", __name__, "file", Path(__file__).as_posix(), flush=True)
print("folder holds", sorted(os.listdir("snippets")), "input", repr(sys.stdin.read()), flush=True)
os.write(1, b"written to the descriptor\\n")
subprocess.run([sys.executable, "-c", "print('from a process it started')"], check=True)
atexit.register(lambda: print("at exit"))
threading.Thread(target=lambda: (time.sleep(0.3), print("a thread the exit waits for"))).start()
open("left.txt", "w").close()
sys.exit(helper.CODE)
"""


def running(pid: int) -> bool:
    """Whether the process runs (a zombie, killed but not yet collected, does not)."""
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rpartition(")")[2].split()[0] not in "ZX"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The project the programs are of: its snippets/, where each test adds one."""
    root = tmp_path_factory.mktemp("project")
    (root / "snippets").mkdir()
    (root / "snippets" / "helper.py").write_text("CODE = 3\n", encoding="utf-8")
    return root


def program(root: Path, text: str) -> str:
    """A new program of the project's snippets/, as the server's request names it."""
    path = root / "snippets" / f"program{len(list(root.glob('snippets/program*')))}.py"
    path.write_text(text, encoding="utf-8")
    return path.relative_to(root).as_posix()


def test_a_program_runs_as_the_interpreter_runs_a_script(root):
    name = program(root, AS_A_SCRIPT)
    done = SERVER.run_program(name, root, 30)
    assert done["stderr"] == ""
    in_folder = sorted(path.name for path in (root / "snippets").iterdir())
    assert done["stdout"].splitlines() == [
        f"argv ['{name}'] main __main__ file {name}",
        f"folder holds {in_folder} input ''",
        "written to the descriptor",
        "from a process it started",
        "a thread the exit waits for",
        "at exit",
    ]
    assert done["returncode"] == 3
    assert not (root / "left.txt").exists()  # it ran in a folder of its own


def test_an_exception_ends_it_with_status_1_and_its_traceback(root):
    done = SERVER.run_program(program(root, "print('before')\n1 / 0\n"), root, 30)
    assert (done["stdout"], done["returncode"]) == ("before\n", 1)
    assert '.py", line 2' in done["stderr"]
    assert done["stderr"].endswith("ZeroDivisionError: division by zero\n")


def test_a_program_past_its_time_limit_is_killed_with_what_it_started(root):
    sleeper = "import subprocess, sys, time\n"
    sleeper += "started = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    sleeper += "print(started.pid, flush=True)\ntime.sleep(60)\n"
    done = SERVER.run_program(program(root, sleeper), root, 2)
    assert done["returncode"] is None
    assert not running(int(done["stdout"]))
    again = SERVER.run_program(program(root, "print('next')\n"), root, 30)
    assert (again["stdout"], again["returncode"]) == ("next\n", 0)
