"""The site's math font holds every character its formulas draw.

docs/assets/fonts/lm-math-subset.woff2 is Latin Modern Math cut to the characters the
formulas use (CONTRIBUTING.md, "Math font"), which keeps it small: a formula that needs
another one would be drawn from whatever font the reader's system has. Each formula of
every page is rendered as the build renders it (website/mathml.py), and each character
it shows, a letter as the italic letter MathML draws, must be in the font.
"""

import html
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from verified_docs.page.fences import find_fences
from verified_docs.website.mathml import render_math

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "docs" / "assets" / "fonts" / "lm-math-subset.woff2"
DISPLAY = re.compile(r"^[ \t]*\$\$\n(?P<tex>.*?)\n[ \t]*\$\$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"(?<![\\$`])\$(?!\$)(?P<tex>[^$\n`]+?)\$(?!\$)")
CODE_SPAN = re.compile(r"`[^`\n]*`")
MI = re.compile(r"<mi>(?P<letter>.)</mi>")  # one letter: italic, as MathML draws it


def formulas(text: str) -> list[str]:
    """The TeX of each formula of a page, outside its fences and code spans."""
    for fence in sorted(find_fences(text), key=lambda fence: -fence.start):
        text = text[: fence.start] + text[fence.end :]
    found = [match["tex"] for match in DISPLAY.finditer(text)]
    text = CODE_SPAN.sub("", DISPLAY.sub("", text))
    return found + [match["tex"] for match in INLINE.finditer(text)]


def italic(letter: str) -> str:
    """The mathematical italic form of a Latin or Greek letter (U+1D434...)."""
    if letter == "h":
        return "\u210e"  # Planck's constant stands in for the italic h
    ranges = [("A", "Z", 0x1D434), ("a", "z", 0x1D44E)]
    ranges += [("\u0391", "\u03a9", 0x1D6E2), ("\u03b1", "\u03c9", 0x1D6FC)]  # Greek
    for first, last, start in ranges:
        if first <= letter <= last:
            return chr(start + ord(letter) - ord(first))
    return letter


def drawn(tex: str) -> set[str]:
    mathml = html.unescape(render_math(f'<div class="arithmatex">\\[{tex}\\]</div>'))
    shown = set(re.sub(r"<[^>]+>", "", mathml))
    shown |= {italic(match["letter"]) for match in MI.finditer(mathml)}
    return {char for char in shown if not char.isspace()}


def test_the_math_font_draws_every_character_of_every_formula():
    characters: dict[str, Path] = {}
    for page in sorted(ROOT.glob("docs/**/*.md")):
        for tex in formulas(page.read_text(encoding="utf-8")):
            for char in drawn(tex):
                characters.setdefault(char, page.relative_to(ROOT))
    assert len(characters) > 40, "the pages' formulas were not found"
    cmap = TTFont(FONT).getBestCmap()
    missing = {
        f"U+{ord(c):04X} {c!r} ({page})" for c, page in characters.items() if ord(c) not in cmap
    }
    assert not missing, f"not in {FONT.name}; add them to its cut: {sorted(missing)}"


def test_the_check_finds_a_formula_and_its_italic_letters():
    page = "Text $x_t^2$ and `$not$` then\n\n$$\n\\alpha \\le \\beta\n$$\n\n```python\n$y$\n```\n"
    assert formulas(page) == ["\\alpha \\le \\beta", "x_t^2"]
    assert {"\U0001d465", "\U0001d461", "2", "\U0001d6fc", "≤"} <= drawn("x_t^2 \\alpha \\le")
