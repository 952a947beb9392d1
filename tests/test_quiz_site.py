"""Across the site: every quiz question has its own id and asks something no other does."""

import re
from collections import Counter
from pathlib import Path

import pytest

from verified_docs.page.page_model import read_page
from verified_docs.quiz.order import display_orders
from verified_docs.quiz.schema import Question, parse_quiz
from verified_docs.quiz.site import placed, site_problems

ROOT = Path(__file__).resolve().parents[1]


def site_questions():
    """Every question of every page under docs/, validated but with its code not run."""
    for path in sorted((ROOT / "docs").glob("**/*.md")):
        page = read_page(path, ROOT)
        for quiz in page.quizzes:
            yield from placed(page.path, quiz.fence.line, parse_quiz(quiz.fence.source))


def test_no_quiz_question_on_the_site_repeats_another():
    questions = list(site_questions())
    assert len(questions) > 50, "the site's quizzes were not found"
    assert site_problems(questions) == []


def single_answer_questions() -> list[Question]:
    questions = [item.question for item in site_questions() if not item.question.multiple]
    assert len(questions) > 50, "the site's quizzes were not found"
    return questions


def shown_positions() -> list[tuple[Question, int]]:
    """Each single-answer question of the site and the position the page shows its right
    choice at (0 for A)."""
    shown = []
    for path in sorted((ROOT / "docs").glob("**/*.md")):
        for quiz in read_page(path, ROOT).quizzes:
            questions = parse_quiz(quiz.fence.source)
            for q, order in zip(questions, display_orders(questions), strict=True):
                if not q.multiple:
                    shown.append((q, order.index(q.answer)))
    return shown


def test_the_right_choice_is_spread_over_the_positions_the_page_shows():
    """Each position (A, B, C, D, ...) holds the right choice about as often as chance would.

    Chance: a question with n choices puts its answer at each of its n positions 1/n of
    the time. Before shuffling, B held it 52 times of 101 and D once.
    """
    shown = shown_positions()
    questions = [q for q, _ in shown]
    seen = Counter(position for _, position in shown)
    expected = Counter()
    for q in questions:
        expected.update(dict.fromkeys(range(len(q.choices)), 1 / len(q.choices)))
    report = {chr(65 + p): f"{seen[p]} (chance {expected[p]:.0f})" for p in sorted(expected)}
    print(f"right choice by position, {len(questions)} questions: {report}")
    for position, share in expected.items():
        assert 0.5 * share <= seen[position] <= 1.5 * share, report


@pytest.mark.parametrize("count", [3, 4])
def test_with_n_choices_the_right_one_is_spread_over_the_n_positions(count):
    """The spread above, for the questions with three choices and with four apart: the
    three-choice questions once put the right one last 15 times of 29."""
    shown = [(q, position) for q, position in shown_positions() if len(q.choices) == count]
    questions = [q for q, _ in shown]
    seen = Counter(position for _, position in shown)
    share = len(questions) / count
    report = {chr(65 + p): seen[p] for p in range(count)}
    print(f"{len(questions)} questions of {count} choices, right choice by position: {report}")
    assert all(0.5 * share <= seen[p] <= 1.5 * share for p in range(count)), report


ABSOLUTE = re.compile(r"\b(always|never|only|cannot|can't|nothing|none|every|all)\b", re.I)


def test_a_choice_in_absolute_words_is_right_about_as_often_as_chance():
    """A reader who learns that "always", "never", "only", "cannot"... mark wrong choices
    scores without reading (once 40 of 46 such choices were wrong)."""
    absolute = [
        (q, index)
        for q in single_answer_questions()
        for index, choice in enumerate(q.choices)
        if ABSOLUTE.search(choice)
    ]
    right = sum(index == q.answer for q, index in absolute)
    chance = sum(1 / len(q.choices) for q, _ in absolute)
    print(f"choices in absolute words: {len(absolute)}, right {right} (chance {chance:.1f})")
    assert 0.6 * chance <= right <= 1.6 * chance


def test_every_quiz_applies_the_idea_to_a_case_the_page_did_not_show():
    for path in sorted((ROOT / "docs").glob("**/*.md")):
        page = read_page(path, ROOT)
        for quiz in page.quizzes:
            questions = parse_quiz(quiz.fence.source)
            assert any(q.new_case for q in questions), (
                f'{page.path}:{quiz.fence.line}: no question marked "new_case": true'
            )


def length_ranks(question: Question) -> list[float]:
    """The right choice's share of each rank by length, rank 0 being the longest choice.

    Choices of the same length share their ranks evenly: four numbers of four digits give
    a reader nothing to go by, so the right one holds a quarter of each rank.
    """
    lengths = [len(choice) for choice in question.choices]
    right = lengths[question.answer]
    longer = sum(length > right for length in lengths)
    tied = lengths.count(right)
    shares = [0.0] * len(lengths)
    for rank in range(longer, longer + tied):
        shares[rank] = 1 / tied
    return shares


def test_length_ranks_share_ties_and_count_from_the_longest():
    assert length_ranks(ask("a", choices=("bb", "a", "ccc"), answer=0)) == [0, 1, 0]
    assert length_ranks(ask("b", choices=("aa", "bb", "c"), answer=1)) == [0.5, 0.5, 0]
    assert length_ranks(ask("c", choices=("a", "b"), answer=0)) == [0.5, 0.5]


@pytest.mark.parametrize("end", ["longest", "shortest"])
def test_the_right_choice_is_the_longest_or_the_shortest_about_as_often_as_chance(end):
    """A reader who always picks the longest (or the shortest) choice does no better than
    one who guesses, and no worse either: a right choice that is never the longest is a
    giveaway too.

    Chance: a question with n choices, in random lengths, has its right choice at each
    rank 1/n of the time. Before the choices were rewritten, the right one was the longest
    in 75.6 of 144 questions and the shortest in 18.4 (chance 39). The margin is one
    standard deviation of the count random lengths would give.
    """
    questions = single_answer_questions()
    ranks = [length_ranks(q) for q in questions]
    seen_by_rank = Counter()
    chance_by_rank = Counter()
    for shares in ranks:
        for rank, share in enumerate(shares):
            seen_by_rank[rank + 1] += share
            chance_by_rank[rank + 1] += 1 / len(shares)
    report = {
        rank: f"{seen_by_rank[rank]:.1f} (chance {chance_by_rank[rank]:.1f})"
        for rank in sorted(chance_by_rank)
    }
    print(f"right choice by length rank (1 = longest), {len(questions)} questions: {report}")
    pick = 0 if end == "longest" else -1
    seen = sum(shares[pick] for shares in ranks)
    chance = sum(1 / len(shares) for shares in ranks)
    spread = sum(1 / len(shares) * (1 - 1 / len(shares)) for shares in ranks) ** 0.5
    print(f"right choice is the {end} in {seen:.1f} (chance {chance:.1f} ± {spread:.1f})")
    assert abs(seen - chance) <= spread, report


def ask(id, q="Which?", choices=("a", "b", "c"), answer=1, code=None):
    return Question(id=id, q=q, choices=choices, answer=answer, explain="Because.", code=code)


def problems(*pages):
    """The site problems for pages given as (page, [questions]), each quiz at line 9."""
    return site_problems(q for page, questions in pages for q in placed(page, 9, questions))


def test_an_id_used_on_two_pages_names_both():
    found = problems(
        ("docs/a.md", [ask("sum")]),
        ("docs/b.md", [ask("other", "What?", ("x", "y")), ask("sum", "Why?", ("p", "q"))]),
    )
    assert found == [
        "docs/b.md:9: quiz question 2: 'id' 'sum' is already used by docs/a.md:9: quiz question 1"
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the same question, punctuation, case and backticks aside
        (
            ask("one", "What does `zero_grad()` do?"),
            ask("two", "what does zero_grad do", ("d", "e")),
        ),
        # reworded, but the same choices with the same right answer
        (
            ask("one", "Which order trains?"),
            ask("two", "Pick the order that works.", ("c", "b", "a")),
        ),
    ],
)
def test_a_repeated_question_is_reported(first, second):
    [problem] = problems(("docs/a.md", [first]), ("docs/b.md", [second]))
    assert problem.startswith("docs/b.md:9: quiz question 1: ")
    assert problem.endswith(" docs/a.md:9: quiz question 1")


def test_what_does_this_print_with_other_code_or_answers_is_not_a_repeat():
    assert (
        problems(
            ("docs/a.md", [ask("one", "What does this print?", ("1", "2"), 0, code="print(1)")]),
            ("docs/b.md", [ask("two", "What does this print?", ("1", "2"), 1, code="print(2)")]),
        )
        == []
    )
