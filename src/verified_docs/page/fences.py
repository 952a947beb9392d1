"""Find the fenced code blocks of a Markdown page, with their info line and position.

Sybil's Markdown lexer skips fences whose info line carries attributes
(```python title="x.py"```) and lets fences nested in a longer fence open blocks of
their own. Pages here use both, so fences are found with CommonMark's rules instead:
a fence closes only on a bare fence of the same character, at least as long.
"""

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field

LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


@dataclass(frozen=True)
class Fence:
    """One fenced block: where it is, what its info line says, and what it holds."""

    info: str
    source: str
    start: int  # character offset of the opening fence line
    end: int  # character offset just past the closing fence line
    line: int  # 1-based line of the opening fence
    source_start: int  # character offset of the first line of content
    source_end: int  # character offset of the closing fence line
    indent: str = ""
    closed: bool = True
    language: str = field(init=False)
    attributes: dict[str, str] = field(init=False)

    def __post_init__(self):
        language, attributes = parse_info(self.info)
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "attributes", attributes)


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split an info line such as `python title="a.py" linenums="1"` into its parts.

    A brace form (`{ .python }`) or anything shlex cannot split comes back whole
    as the language, so that it is reported rather than guessed at.
    """
    info = info.strip()
    if not info or info.startswith("{"):
        return info, {}
    try:
        words = shlex.split(info)
    except ValueError:
        return info, {}
    attributes = {}
    for word in words[1:]:
        name, _, value = word.partition("=")
        attributes[name] = value
    return words[0], attributes


def find_fences(text: str) -> Iterator[Fence]:
    """Yield every fenced block of `text`, outermost only, in page order."""
    lines = split_lines(text)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    index = 0
    while index < len(lines):
        opening = OPENING.match(lines[index].rstrip("\n"))
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        closing = _closing_line(lines, index, opening["fence"])
        indent = opening["indent"]
        end_line = closing if closing is not None else len(lines)
        content = "".join(_dedent(line, indent) for line in lines[index + 1 : end_line])
        yield Fence(
            info=opening["info"],
            source=content,
            start=offsets[index],
            end=offsets[min(end_line + 1, len(lines))],
            line=index + 1,
            source_start=offsets[index + 1] if index + 1 < len(offsets) else offsets[-1],
            source_end=offsets[end_line],
            indent=indent,
            closed=closing is not None,
        )
        index = end_line + 1


def _closing_line(lines: list[str], opening: int, fence: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(opening + 1, len(lines)):
        if pattern.match(lines[index].rstrip("\n")):
            return index
    return None


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line break: only "\n" ends a line, as in
    `line_of` (str.splitlines would also split at a form feed or a Unicode separator)."""
    return LINE.findall(text)


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
