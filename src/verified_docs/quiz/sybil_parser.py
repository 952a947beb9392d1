"""The test run's view of quiz blocks: one example per ```quiz fence.

Evaluating it validates the JSON and runs each question's `code`, as the build does,
so `pytest` fails on a quiz that `mkdocs build` would refuse. The examples are counted
apart from code blocks in the summary ("quiz blocks: N checked").
"""

from collections.abc import Iterator
from dataclasses import dataclass
from os.path import relpath
from pathlib import Path

from sybil import Document, Example, Region

from ..fences import Fence, find_fences
from .schema import QuizError, load_quiz

QUIZ = "quiz"


@dataclass(frozen=True)
class QuizBlock:
    page: str
    fence: Fence
    summary_kind = "quiz"  # read by pytest_plugin._kind()


class QuizParser:
    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, document: Document) -> Iterator[Region]:
        page = relpath(document.path, self.root)
        for fence in find_fences(document.text):
            if fence.language == QUIZ:
                yield Region(fence.start, fence.end, QuizBlock(page, fence), evaluate_quiz)


def evaluate_quiz(example: Example) -> str | None:
    block: QuizBlock = example.parsed
    if not block.fence.closed:
        return f"{block.page}:{block.fence.line}: quiz: fence never closes"
    try:
        load_quiz(block.fence.source, block.page, block.fence.line)
    except QuizError as error:
        return str(error)
    return None
