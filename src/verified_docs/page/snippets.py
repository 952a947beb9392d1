"""Expand `--8<--` includes the way pymdownx.snippets does, so the tests run what readers see."""

import re
from pathlib import Path

INCLUDE = re.compile(
    r"""^[ \t]*-+8<-+[ \t]+(?P<quote>["']?)(?P<name>[^"'\n]+)(?P=quote)[ \t]*$""", re.MULTILINE
)


class SnippetError(Exception):
    """An include that cannot be expanded; the message names the page and line."""


def included_files(source: str) -> list[str]:
    """The snippet paths a block's source includes, in order."""
    return [match["name"].strip() for match in INCLUDE.finditer(source)]


def expand(source: str, root: Path, where: str) -> str:
    """Replace each include line of `source` by the file it names, relative to `root`.

    `where` is the page and line of the block, used in error messages.
    """
    lines = []
    for line in source.splitlines(keepends=True):
        match = INCLUDE.match(line)
        if match is None:
            lines.append(line)
            continue
        lines.append(_read(root, match["name"].strip(), where))
    return "".join(lines)


def _read(root: Path, name: str, where: str) -> str:
    if ":" in name:
        raise SnippetError(f"{where}: include {name!r} names a part of a file; include whole files")
    path = root / name
    if not path.is_file():
        raise SnippetError(f"{where}: snippet file {name!r} not found (looked for {path})")
    text = path.read_text(encoding="utf-8")
    return text if text.endswith("\n") else text + "\n"
