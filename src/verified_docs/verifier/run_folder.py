"""The folder code runs in: a temporary one of its own, holding a copy of snippets/.

A page's blocks, a standalone copy and a program of snippets/ each run in such a folder,
so what they write stays there and nothing another run sees; snippets/ is there as a
reader who saved the page's programs has it.
"""

import shutil
import tempfile
from pathlib import Path

SNIPPETS = "snippets"


def run_folder(root: Path, prefix: str) -> str:
    """A new temporary folder holding a copy of `root`'s snippets/, if it has one."""
    folder = tempfile.mkdtemp(prefix=prefix)
    if (root / SNIPPETS).is_dir():
        shutil.copytree(root / SNIPPETS, Path(folder) / SNIPPETS)
    return folder
