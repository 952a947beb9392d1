"""Set up and tear down what the blocks of one page share: a namespace and a folder.

Each page runs in a temporary working directory of its own, removed afterwards, so a
page that writes files or calls os.chdir leaves nothing in the repository and changes
nothing another page sees. The folder holds a copy of snippets/, as a reader who saved
the page's programs would have them.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

SNIPPETS = "snippets"


class PageState:
    """Sybil's setup and teardown for the pages of the project at `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: list[tuple[str, str]] = []  # (where the run was, the page's folder)

    def setup(self, namespace: dict) -> None:
        # Snippets end in `if __name__ == "__main__": main()`, as the reader runs them.
        namespace["__name__"] = "__main__"
        folder = tempfile.mkdtemp(prefix="verified-page-")
        if (self.root / SNIPPETS).is_dir():
            shutil.copytree(self.root / SNIPPETS, Path(folder) / SNIPPETS)
        self.folders.append((os.getcwd(), folder))
        os.chdir(folder)

    def teardown(self, namespace: dict) -> None:
        """Undo what a page may change, so the next page starts as a reader's would."""
        torch = sys.modules.get("torch")
        if torch is not None:
            torch.set_printoptions(profile="default")
            torch.use_deterministic_algorithms(False)
            torch.set_default_dtype(torch.float32)
            torch.set_grad_enabled(True)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close("all")
        namespace.clear()
        if self.folders:
            previous, folder = self.folders.pop()
            os.chdir(previous)
            shutil.rmtree(folder, ignore_errors=True)
