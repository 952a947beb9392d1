"""The order a question's choices are shown in: shuffled, the same on every build.

Authors tend to put the right choice second; a reader who notices scores without
reading. Each question's choices are shuffled with a generator seeded by its `id`, so
the order depends on nothing but the id (not the build, the machine or the page).
The HTML keeps each choice's authored index as its `value`, so progress, feedback and
the JSON export (authored order) all refer to the same indices.
"""

import random

from .schema import Question


def display_order(question: Question) -> list[int]:
    """The authored indices of `question`'s choices, in the order the page shows them."""
    order = list(range(len(question.choices)))
    random.Random(f"quiz:{question.id}").shuffle(order)
    return order
