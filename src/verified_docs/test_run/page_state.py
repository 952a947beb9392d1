"""Set up and tear down what the blocks of one page share: a namespace and a folder.

Each page runs in a temporary working directory of its own, removed afterwards, so a
page that writes files or calls os.chdir leaves nothing in the repository and changes
nothing another page sees. The folder holds a copy of snippets/, as a reader who saved
the page's programs would have them.
"""

import logging
import os
import shutil
import sys
from pathlib import Path

from ..verifier.run_folder import run_folder


class PageState:
    """Sybil's setup and teardown for the pages of the project at `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: list[tuple[str, str]] = []  # (where the run was, the page's folder)
        self.loggers: dict[str, tuple] = {}  # each logger's setup before the page

    def setup(self, namespace: dict) -> None:
        # Snippets end in `if __name__ == "__main__": main()`, as the reader runs them.
        namespace["__name__"] = "__main__"
        folder = run_folder(self.root, "verified-page-")
        self.folders.append((os.getcwd(), folder))
        os.chdir(folder)
        self.loggers = {name: _setup_of(logger) for name, logger in all_loggers().items()}

    def teardown(self, namespace: dict) -> None:
        """Undo what a page may change, so the next page starts as a reader's would."""
        torch = sys.modules.get("torch")
        if torch is not None:
            torch.set_printoptions(profile="default")
            torch.use_deterministic_algorithms(False)
            torch.set_default_dtype(torch.float32)
            torch.set_grad_enabled(True)
            if "torch._dynamo" in sys.modules:  # compiled code, and the logs turned on
                torch._dynamo.reset()
                torch._logging.set_logs()
        self._restore_loggers()
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close("all")
        namespace.clear()
        if self.folders:
            previous, folder = self.folders.pop()
            os.chdir(previous)
            shutil.rmtree(folder, ignore_errors=True)

    def _restore_loggers(self) -> None:
        """Loggers as they were before the page; a logger made during the page loses the
        handlers and filters the page defined (a handler that outlives its page's names
        fails on the next page that logs)."""
        for name, logger in all_loggers().items():
            if name in self.loggers:
                handlers, filters, logger.level, logger.propagate = self.loggers[name]
                logger.handlers, logger.filters = list(handlers), list(filters)
            else:
                logger.handlers = [h for h in logger.handlers if not _page_made(h)]
                logger.filters = [f for f in logger.filters if not _page_made(f)]


def all_loggers() -> dict[str, logging.Logger]:
    """Every logger made so far, by name ("" for the root logger)."""
    made = logging.Logger.manager.loggerDict.items()
    loggers = {name: logger for name, logger in made if isinstance(logger, logging.Logger)}
    return {"": logging.getLogger(), **loggers}


def _setup_of(logger: logging.Logger) -> tuple:
    return list(logger.handlers), list(logger.filters), logger.level, logger.propagate


def _page_made(thing: object) -> bool:
    """Whether a page's block defined the class of `thing` (its namespace is __main__'s)."""
    return type(thing).__module__ == "__main__"
