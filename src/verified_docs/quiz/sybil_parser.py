"""The test run's check of a quiz block (a `page_model.Quiz`, see check.py): one example per fence.

Evaluating it validates the JSON and runs each question's `code`, as the build does,
so `pytest` fails on a quiz that `mkdocs build` would refuse. The examples are counted
apart from code blocks in the summary ("quiz blocks: N checked").
"""

from sybil import Example

from .check import load_quiz
from .schema import QuizError


def evaluate_quiz(example: Example) -> str | None:
    try:
        load_quiz(example.parsed)
    except QuizError as error:
        return str(error)
    return None
