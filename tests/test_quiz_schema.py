"""The quiz schema: what a quiz block may hold, and the message for each mistake."""

import itertools
import json
from pathlib import Path

import pytest

from verified_docs.page.page_model import parse_page
from verified_docs.quiz.check import load_quiz
from verified_docs.quiz.schema import QuizError, parse_quiz, plain_text

SEED = """[
  {"q": "What does a loss function compute?",
   "choices": ["The model's prediction for a new input", "One number measuring how far the predictions are from the true answers", "The learning rate for the optimizer"],
   "answer": 1,
   "explain": "..."}
]
"""  # noqa: E501 -- the seed quiz of issue 3, exactly as written


IDS = itertools.count(1)


def quiz_at_line_7(source: str):
    """The quiz block holding `source`, whose fence opens docs/page.md's line 7."""
    text = "\n" * 6 + f"```quiz\n{source}\n```\n"
    [quiz] = parse_page(text, "docs/page.md", Path(".")).quizzes
    return quiz


def question(**changes) -> dict:
    """A valid question with an id of its own, `changes` applied (None removes a key)."""
    base = {"id": f"question-{next(IDS)}", "q": "Which?", "choices": ["a", "b", "c"]}
    base |= {"answer": 1, "explain": "Because."}
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def problem(*questions, source: str | None = None) -> str:
    """The message for a block, located at docs/page.md line 7; fails if it is valid."""
    text = source if source is not None else json.dumps(list(questions))
    with pytest.raises(QuizError) as error:
        load_quiz(quiz_at_line_7(text))
    return str(error.value)


def test_the_seed_quiz_needs_an_id():
    # Written before ids were required: every question now needs a stable name.
    assert problem(source=SEED) == (
        "docs/page.md:7: quiz question 1: missing 'id': a stable name for the question, "
        'unique on the site, e.g. "losses-sum"'
    )


def test_the_seed_quiz_with_an_id_is_accepted():
    [seed] = parse_quiz(SEED.replace('[\n  {"q"', '[\n  {"id": "seed", "q"'))
    assert seed.id == "seed"
    assert seed.q == "What does a loss function compute?"
    assert seed.choices[1].startswith("One number measuring")
    assert seed.answer == 1
    assert seed.correct == (1,)
    assert not seed.multiple
    assert (seed.feedback, seed.code) == (None, None)


def test_optional_keys_are_accepted():
    [one] = parse_quiz(
        json.dumps([question(id="q-1", feedback=["no", "", None], answer=[0, 2], code=None)])
    )
    assert one.id == "q-1"
    assert one.feedback == ("no", "", "")
    assert one.answer == (0, 2)
    assert one.multiple


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[{", "docs/page.md:7: quiz: invalid JSON: Expecting property name enclosed in double"),
        ('{"q": "x"}', "docs/page.md:7: quiz: the block must hold a JSON array"),
        ("[]", "docs/page.md:7: quiz: the block must hold a JSON array of at least one question"),
        ('["What?"]', "docs/page.md:7: quiz question 1: must be a JSON object, not a string"),
        ('[{"answer": 0, "answer": 1}]', "docs/page.md:7: quiz: duplicate key 'answer'"),
    ],
)
def test_a_block_that_is_not_a_list_of_questions_is_rejected(source, message):
    assert problem(source=source).startswith(message)


def test_invalid_json_names_the_line_inside_the_block():
    assert problem(source='[\n {"q": "x", "choices" ["a"]}]') == (
        "docs/page.md:7: quiz: invalid JSON: Expecting ':' delimiter "
        "(line 2 of the block, column 23)"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"q": None}, "missing 'q'"),
        ({"q": ""}, "'q' is empty"),
        ({"q": "  "}, "'q' is empty"),
        ({"q": 3}, "'q' must be a string, not a number"),
        ({"choices": None}, "missing 'choices'"),
        ({"choices": []}, "'choices' needs at least two choices, it has 0"),
        ({"choices": ["only"], "answer": 0}, "'choices' needs at least two choices, it has 1"),
        ({"choices": "a, b"}, "'choices' must be a list of strings, not a string"),
        ({"choices": ["a", ""]}, "choice 1 is empty"),
        ({"choices": ["a", 2]}, "choice 1 must be a string, not a number"),
        ({"choices": ["a", "b", "a "]}, "choices 0 and 2 are the same: 'a '"),
        ({"explain": None}, "missing 'explain'"),
        ({"explain": ""}, "'explain' is empty"),
        ({"answer": None}, "missing 'answer'"),
        ({"answer": 3}, "'answer' 3 is out of range: there are 3 choices (an index from 0 to 2)"),
        ({"answer": -1}, "'answer' -1 is out of range"),
        ({"answer": "1"}, "'answer' must be an index from 0 to 2 or a list of them, not a string"),
        ({"answer": 1.0}, "'answer' must be an index from 0 to 2 or a list of them, not a number"),
        (
            {"answer": True},
            "'answer' must be an index from 0 to 2 or a list of them, not a boolean",
        ),
        ({"answer": [1]}, "'answer' as a list needs at least two indices; use a number for one"),
        ({"answer": [0, 5]}, "'answer' 5 is out of range"),
        ({"answer": [0, 0]}, "'answer' lists an index twice: [0, 0]"),
        ({"answers": 1}, "unknown key 'answers' (did you mean 'answer'?); known: id, q, choices"),
        ({"hint": "x"}, "unknown key 'hint'; known: id, q, choices, answer, explain, feedback"),
        ({"id": None}, "missing 'id': a stable name for the question, unique on the site"),
        ({"id": "two words"}, "'id' must be letters, digits, '-' or '_', not \"two words\""),
        ({"feedback": ["x"]}, "'feedback' must be a list of 3 strings, one per choice"),
        ({"feedback": ["x", 1, "y"]}, "feedback 1 must be a string or null, not a number"),
        ({"code": ""}, "'code' must be Python source: a non-empty string or a list of lines"),
        ({"code": ["print(1)", 2]}, "'code' must be Python source"),
    ],
)
def test_each_mistake_in_a_question_is_rejected_with_its_message(changes, message):
    text = problem(question(), question(**changes))
    assert text.startswith("docs/page.md:7: quiz question 2: "), text
    assert message in text


def test_ids_are_unique_in_a_block():
    text = problem(question(id="a"), question(q="Other?", id="a"))
    assert text == "docs/page.md:7: quiz question 2: 'id' 'a' is already used by question 1"


def test_code_that_prints_the_right_choice_passes():
    source = json.dumps(
        [question(choices=["`5`", "`6`"], answer=1, code=["x = 2 * 3", "print(x)"])]
    )
    [checked] = load_quiz(quiz_at_line_7(source))
    assert checked.code == "x = 2 * 3\nprint(x)\n"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("print(5)", "'code' printed '5', which is choice 0, but 'answer' is 1 ('6')"),
        ("print(7)", "'code' printed '7', which matches no choice"),
        ("print('6 ')", None),
        ("1 / 0", "'code' raised ZeroDivisionError: division by zero"),
        ("print(6", "'code' raised SyntaxError: '(' was never closed (line 1)"),
        ("import sys; sys.exit(0)", "'code' called sys.exit(0)"),
    ],
)
def test_code_must_print_the_right_choice(code, message):
    source = json.dumps([question(choices=["`5`", "`6`"], answer=1, code=code)])
    if message is None:
        load_quiz(quiz_at_line_7(source))
        return
    with pytest.raises(QuizError) as error:
        load_quiz(quiz_at_line_7(source))
    assert str(error.value).startswith(f"docs/page.md:7: quiz question 1: {message}")


def test_code_needs_a_single_answer():
    text = problem(question(answer=[0, 1], code="print('a')"))
    assert text == (
        "docs/page.md:7: quiz question 1: "
        "'code' needs a single right choice, but 'answer' is a list"
    )


def test_code_runs_in_a_fresh_namespace():
    shared = question(choices=["1", "2"], answer=0, code="x = 1\nprint(x)")
    later = question(
        q="Again?", choices=["1", "unset"], answer=1, code="print(globals().get('x', 'unset'))"
    )
    load_quiz(quiz_at_line_7(json.dumps([shared, later])))


@pytest.mark.parametrize(
    ("choice", "text"),
    [
        ("`tensor(2.)`", "tensor(2.)"),
        (" 6 ", "6"),
        ("`a` or `b`", "`a` or `b`"),
        ("``a`b``", "a`b"),
    ],
)
def test_a_choice_in_one_code_span_compares_without_backticks(choice, text):
    assert plain_text(choice) == text


def test_the_key_changes_when_the_question_is_edited():
    [one] = parse_quiz(json.dumps([question()]))
    [same] = parse_quiz(json.dumps([question(explain="Reworded.")]))
    [edited] = parse_quiz(json.dumps([question(choices=["a", "b", "d"])]))
    assert one.key == same.key
    assert one.key != edited.key
