"""Figures on a page: where the page declares them, with their alt text and caption.

A Python block that draws with matplotlib is followed (under its output fence, if any)
by one declaration per figure it draws, in the order it draws them:

    ![What the figure shows, for a reader who cannot see it](figures/name.svg)

    /// caption
    What to look at in the figure.
    ///

The SVG file is what the block drew when the suite last ran (`figure_check.py`); the
build checks every declaration (`figure_build.py`) and the notebooks keep the caption.
"""

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from .fences import find_fences, line_of

# A Markdown image alone on its line whose file is in a figures/ folder.
IMAGE = re.compile(
    r"^(?P<indent>[ \t]*)!\[(?P<alt>[^\]\n]*)\]\((?P<path>[^)\s]*figures/[^)\s]+)\)[ \t]*$",
    re.MULTILINE,
)
CAPTION = re.compile(
    r"(?:[ \t]*\n)*[ \t]*///[ \t]*caption[ \t]*\n(?P<text>.*?)^[ \t]*///[ \t]*(?:\n|\Z)",
    re.MULTILINE | re.DOTALL,
)
BLANK = re.compile(r"(?:\n[ \t]*)*\Z")


@dataclass(frozen=True)
class FigureMark:
    """One declared figure: its image line, the caption block below it, and what it follows."""

    alt: str
    path: str  # as written, relative to the page
    caption: str
    line: int
    indent: str
    start: int  # offset of the image line
    image_end: int  # offset of the end of the image line
    end: int  # offset just past the caption block (or the image line, without one)
    follows: int  # offset just past the last non-blank line above the image

    @property
    def is_svg(self) -> bool:
        return PurePosixPath(self.path).suffix == ".svg"


def page_figures(text: str) -> list[FigureMark]:
    """Every figure declared on a page (outside code fences), in page order."""
    fenced = [(fence.start, fence.end) for fence in find_fences(text)]
    marks = []
    for match in IMAGE.finditer(text):
        if any(start <= match.start() < end for start, end in fenced):
            continue
        after = match.end() + 1 if text[match.end() : match.end() + 1] == "\n" else match.end()
        caption = CAPTION.match(text, after)
        above = text[: match.start()]
        marks.append(
            FigureMark(
                alt=match["alt"].strip(),
                path=match["path"],
                caption=caption["text"].strip() if caption else "",
                line=line_of(text, match.start()),
                indent=match["indent"],
                start=match.start(),
                image_end=match.end(),
                end=caption.end() if caption else after,
                follows=len(above) - len(BLANK.search(above).group()) + 1,
            )
        )
    return marks


def figures_after(text: str, end: int) -> list[FigureMark]:
    """The figures declared right below the text that ends at offset `end` (a fence)."""
    marks = []
    for mark in page_figures(text):
        if mark.follows == end:
            marks.append(mark)
            end = mark.end
    return marks


def problems(mark: FigureMark) -> list[str]:
    """What a declaration lacks; the build and the verifier refuse it."""
    found = []
    if not mark.alt:
        found.append("has no alt text: write what the figure shows inside ![...]")
    if not mark.caption:
        found.append("has no caption: add a `/// caption` block right below the image")
    if not mark.is_svg:
        found.append("is not an SVG file: the suite writes figures as .svg")
    return found


def captions_only(markdown: str) -> str:
    """Markdown with each figure declaration replaced by its caption, for a notebook,
    where the figure is the output of the cell above once it runs."""
    for mark in reversed(page_figures(markdown)):
        caption = f"*Figure: {mark.caption}*\n" if mark.caption else ""
        markdown = markdown[: mark.start] + caption + markdown[mark.end :]
    return markdown
