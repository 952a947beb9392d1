"""The coverage gate for README.md, whose Python blocks pytest-codeblocks runs.

pytest-codeblocks runs fences opened exactly ```python (and executes ```bash and ```sh).
Any other Python-looking fence would be skipped silently, so it fails here instead.
"""

from collections.abc import Iterator
from pathlib import Path

from sybil import Document, Region

from ..page.fences import find_fences
from ..page.page_model import PYTHON, PYTHON_LOOKALIKES, Problem, page_path
from .sybil_pages import fail


class ReadmeGate:
    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, document: Document) -> Iterator[Region]:
        for fence in find_fences(document.text):
            message = self._problem(fence.info.strip(), fence.language)
            if message:
                where = f"{page_path(document.path, self.root)}:{fence.line}"
                yield Region(fence.start, fence.end, Problem(f"{where}: {message}"), fail)

    @staticmethod
    def _problem(info: str, language: str) -> str | None:
        if not info:
            return "fence names no language"
        if language == PYTHON and info != PYTHON:
            return f"```{info} is not run by pytest-codeblocks; open the block with ```python"
        if language in PYTHON_LOOKALIKES:
            return f"```{info} is not run by pytest-codeblocks; open the block with ```python"
        if language in ("bash", "sh"):
            return f"```{info} would be executed by pytest-codeblocks; use ```shell for commands"
        return None
