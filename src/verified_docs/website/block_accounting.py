"""Check at build time that every code block of a built page is one the verifier sees.

The verifier finds a page's blocks in its Markdown source (`page_model.Page.fences`). Markdown
can show code the scan does not find: an indented code block, a fence in a blockquote
or in raw HTML, a file pulled in with `--8<--` outside a fence. So the build counts the
code blocks in each page's HTML and fails, naming the page, when they differ from the
fences the verifier parsed: Python blocks separately, and all code blocks together.
"""

import re

from ..page.fences import Fence
from ..page.page_model import PYTHON, QUIZ, Page
from ..quiz.schema import QuizError, parse_quiz

PYTHON_HTML = re.compile(r'<div class="language-python highlight">')
PRE_HTML = re.compile(r"<pre[\s>]")
LINE_NUMBERS_HTML = re.compile(r'<div class="linenodiv">')  # linenums="1": a <pre> of its own


def unaccounted_blocks(html: str, page: Page) -> str | None:
    """Why the code blocks in `html` differ from the fences of `page`, or None."""
    where, fences = page.path, page.fences
    python = sum(fence.language == PYTHON for fence in fences)
    shown_python = len(PYTHON_HTML.findall(html))
    if shown_python != python:
        return (
            f"{where}: the built page shows {shown_python} Python blocks, but the verifier "
            f"found {python} python fences; write every block as a fence at page level, "
            "in a list, a tab or an admonition, never in a blockquote or raw HTML"
        )
    expected = sum(_rendered_blocks(fence) for fence in fences)
    shown = len(PRE_HTML.findall(html)) - len(LINE_NUMBERS_HTML.findall(html))
    if shown != expected:
        return (
            f"{where}: the built page has {shown} code blocks, but the verifier found "
            f"{expected} fences; an indented code block or Markdown the verifier cannot see "
            "shows code: write code as fenced blocks"
        )
    return None


def _rendered_blocks(fence: Fence) -> int:
    """How many <pre> elements a fence becomes: one, or one per quiz question with code."""
    if fence.language != QUIZ:
        return 1
    try:
        return sum(question.code is not None for question in parse_quiz(fence.source))
    except QuizError:  # reported by the quiz check of the same build
        return 0
