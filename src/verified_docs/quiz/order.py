"""The order a quiz's choices are shown in: the same on every build, and fair.

Authors tend to put the right choice second; a reader who notices scores without
reading. So the page does not show the authored order. The right choice of a quiz's
single-answer questions takes the positions in turn, question after question, from a
position set by the quiz's first id: over a quiz, and so over the site, it sits at A, B,
C and D about equally often (a shuffle per question left three-choice questions with the
right answer last 15 times in 29). The other choices are shuffled by the question's id.
The order depends on nothing but the quiz's ids and their order, not the build or the
machine. The HTML keeps each choice's authored index as its `value`, so progress,
feedback and the JSON export (authored order) all refer to the same indices.
"""

import hashlib
import random
from collections.abc import Sequence

from .schema import Question


def display_orders(questions: Sequence[Question]) -> list[list[int]]:
    """The authored indices of each question's choices, in the order the page shows them."""
    if not questions:
        return []
    start = int(hashlib.sha256(questions[0].id.encode()).hexdigest(), 16)
    return [_order(question, start + turn) for turn, question in enumerate(questions)]


def _order(question: Question, turn: int) -> list[int]:
    shuffle = random.Random(f"quiz:{question.id}").shuffle
    if question.multiple:
        order = list(range(len(question.choices)))
        shuffle(order)
        return order
    others = [index for index in range(len(question.choices)) if index != question.answer]
    shuffle(others)
    position = turn % len(question.choices)
    return [*others[:position], question.answer, *others[position:]]
