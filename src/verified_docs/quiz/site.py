"""Checks across the quizzes of the whole site: every `id` once, every question once.

A question repeats another when, ignoring case, punctuation, backticks and spacing, it
has the same text and code, or offers the same choices with the same right answers (a
reworded copy). Each problem names both places, page, line of the fence and question.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .schema import Question


@dataclass(frozen=True)
class PlacedQuestion:
    page: str  # docs/x.md
    line: int  # the line of the quiz fence
    number: int  # 1-based, within its quiz
    question: Question

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}: quiz question {self.number}"


def placed(page: str, line: int, questions: list[Question]) -> list[PlacedQuestion]:
    """The questions of one quiz block, with where they stand."""
    return [PlacedQuestion(page, line, n, q) for n, q in enumerate(questions, 1)]


def site_problems(questions: Iterable[PlacedQuestion]) -> list[str]:
    """One message per question whose id, or whose question, an earlier one already has."""
    problems = []
    first_by_id: dict[str, PlacedQuestion] = {}
    first_by_text: dict[tuple[str, str], PlacedQuestion] = {}
    first_by_choices: dict[tuple[frozenset, frozenset], PlacedQuestion] = {}
    for item in questions:
        question = item.question
        checks = [
            (first_by_id, question.id, f"'id' {question.id!r} is already used by"),
            (first_by_text, _text_key(question), "asks the same as"),
            (first_by_choices, _choices_key(question), "offers the same choices and answer as"),
        ]
        for first_seen, key, repeats in checks:
            first = first_seen.setdefault(key, item)
            if first is not item:
                problems.append(f"{item.where}: {repeats} {first.where}")
    return problems


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _text_key(question: Question) -> tuple[str, str]:
    # "What does this print?" recurs on purpose; its code tells the questions apart.
    return _plain(question.q), _plain(question.code or "")


def _choices_key(question: Question) -> tuple[frozenset, frozenset]:
    choices = [_plain(choice) for choice in question.choices]
    return frozenset(choices), frozenset(choices[index] for index in question.correct)
