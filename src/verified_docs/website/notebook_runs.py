"""The build runs the notebook pages (docs/**/*.ipynb) itself: all at once, before any page
is rendered; mkdocs-jupyter renders each as it ran. (Its own `execute` would run them one
after the other, with no time limit.)

Each notebook runs top to bottom in a kernel of its own (nbclient, the python3 kernel),
in its folder, each cell under the blocks' time limit. A cell that raises or runs out of
time stops the build, naming the notebook, the cell and the error.

The notebook as it ran is kept in .cache/verified-docs/notebooks/, under a folder for the
environment (Python and every installed distribution's version) and one for the
notebook's text: a rebuild (`mkdocs serve`) does not run an unchanged notebook again,
and after an upgrade of PyTorch each runs again. The build points the page's file at it,
so the page shows its outputs and the notebook the page offers for download has them.
"""

import hashlib
import os
import platform
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import distributions
from itertools import repeat
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbformat.reader import NotJSONError
from traitlets.config import Config

from verified_docs.page.page_model import DEFAULT_TIME_LIMIT_S, page_path

CACHE = Path(".cache") / "verified-docs" / "notebooks"
KERNEL = "python3"
TIME_LIMIT_S = DEFAULT_TIME_LIMIT_S  # for each cell, as for each block of a page


def run_notebooks(files, config) -> None:
    """on_files: run each notebook page not yet run as it is in this environment, all at
    once, and point its file at the notebook as it ran; PluginError naming every failure."""
    root = Path(config.config_file_path).parent
    folder = root / CACHE / environment_key()
    notebooks = [file for file in files.documentation_pages() if file.src_uri.endswith(".ipynb")]
    runs = {file: _ran_path(folder, Path(file.abs_src_path)) for file in notebooks}
    missing = {Path(file.abs_src_path): ran for file, ran in runs.items() if not ran.exists()}
    with ThreadPoolExecutor() as pool:  # a kernel each, side by side
        problems = pool.map(run_notebook, missing, missing.values(), repeat(root))
        problems = [problem for problem in problems if problem]
    if problems:
        raise PluginError("\n".join(problems))
    _forget_others(folder, {ran.parent for ran in runs.values()})
    for file, ran in runs.items():
        file.abs_src_path = str(ran)


def run_notebook(notebook: Path, ran: Path, root: Path) -> str | None:
    """Run `notebook` top to bottom, writing it as it ran to `ran`; why it failed, or None."""
    try:
        cells = nbformat.read(notebook, as_version=4)
    except NotJSONError:
        return f"{page_path(notebook, root)}: not a notebook (not JSON)"
    started = []  # the index of each cell the kernel was given
    sockets = tempfile.mkdtemp(prefix="verified-kernel-")
    client = NotebookClient(
        cells,
        config=kernel_transport(sockets),
        timeout=TIME_LIMIT_S,
        kernel_name=KERNEL,
        record_timing=False,
        coalesce_streams=True,  # a cell's printed lines in one output, as Jupyter shows them
        resources={"metadata": {"path": str(notebook.parent)}},
        on_cell_start=lambda cell, cell_index: started.append(cell_index),
    )
    try:
        client.execute()
    except CellTimeoutError:
        return f"{_where(notebook, root, started)}: ran past the time limit of {TIME_LIMIT_S} s"
    except CellExecutionError as error:
        return f"{_where(notebook, root, started)}: raised {error.ename}: {error.evalue}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    ran.parent.mkdir(parents=True, exist_ok=True)
    written = ran.with_suffix(".partial")  # renamed whole: a stopped build leaves no half
    nbformat.write(cells, written)
    written.replace(ran)
    return None


def kernel_transport(sockets: str) -> Config:
    """The kernel talks over Unix sockets in the folder `sockets`, where the system has
    them, not over TCP (which nothing else reaches here, and for which Jupyter warns)."""
    if os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}})


def environment_key() -> str:
    """A short hash of the Python version and every installed distribution's version."""
    installed = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in distributions())
    return _hash("\n".join([platform.python_version(), *installed]))


def _where(notebook: Path, root: Path, started: list[int]) -> str:
    return f"{page_path(notebook, root)}, cell {started[-1] + 1 if started else 1}"


def _ran_path(folder: Path, notebook: Path) -> Path:
    """Where `notebook`, as its text is now, is kept as it ran: under the same name."""
    return folder / _hash(notebook.read_text(encoding="utf-8")) / notebook.name


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _forget_others(folder: Path, kept: set[Path]) -> None:
    """Remove this environment's runs of notebooks that are no longer as they were."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry not in kept:
            shutil.rmtree(entry, ignore_errors=True)
