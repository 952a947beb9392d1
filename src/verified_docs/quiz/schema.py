"""Parse and validate the JSON of a quiz block into `Question`s.

A quiz block is a JSON array of objects. Required keys:

- `id`: a stable name for the question (letters, digits, `-`, `_`), unique on the whole
  site (`site.py` checks that across pages), e.g. `losses-index-sum`;
- `q`: the question (inline Markdown: `code`, *emphasis*, **strong**);
- `choices`: at least two distinct, non-empty strings;
- `answer`: the 0-based index of the right choice, or a list of at least two indices
  when several choices are right (rendered as checkboxes instead of radio buttons);
- `explain`: why the answer is right.

Optional keys:

- `feedback`: a list as long as `choices`, what to tell a reader who picks each choice
  (`""` or `null` for none);
- `code`: Python (a string, or a list of lines) whose printed output, stripped, must equal
  the text of the right choice. A choice that is one code span (`` `tensor(2.)` ``)
  is compared without its backticks. The code runs in a fresh namespace (check.py).
- `new_case`: `true` on a question that applies the page's idea to a case the page did
  not show (every quiz has one: tests/test_quiz_site.py); the page labels it.

Any other key is an error, so a typo such as `answers` cannot pass unnoticed.
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass

REQUIRED = ("id", "q", "choices", "answer", "explain")
OPTIONAL = ("feedback", "code", "new_case")
ID = re.compile(r"^[A-Za-z0-9_-]+$")
MISSING_HINTS = {"id": ': a stable name for the question, unique on the site, e.g. "losses-sum"'}
ONE_CODE_SPAN = re.compile(r"(`+)(.+)\1", re.DOTALL)


class QuizError(Exception):
    """A quiz block that cannot be used; the message names page, line and question."""

    def __init__(self, problem: str, question: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.question = question  # 1-based; None for a problem with the whole block
        self.where = ""

    def located(self, page: str, line: int) -> "QuizError":
        """This error, with the page and the line of the block's opening fence."""
        self.where = f"{page}:{line}: "
        return self

    def __str__(self) -> str:
        question = f"quiz question {self.question}" if self.question else "quiz"
        return f"{self.where}{question}: {self.problem}"


@dataclass(frozen=True)
class Question:
    id: str
    q: str
    choices: tuple[str, ...]
    answer: int | tuple[int, ...]
    explain: str
    feedback: tuple[str, ...] | None = None
    code: str | None = None
    new_case: bool = False

    @property
    def multiple(self) -> bool:
        """Several right choices: the reader must tick all of them."""
        return isinstance(self.answer, tuple)

    @property
    def correct(self) -> tuple[int, ...]:
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)

    @property
    def key(self) -> str:
        """A name derived from the content, so that an edited question starts fresh."""
        content = json.dumps(
            [self.q, self.choices, self.answer, self.code], ensure_ascii=False, sort_keys=True
        )
        return hashlib.sha256(content.encode()).hexdigest()[:12]

    def to_json(self) -> dict:
        """The question as authored (with its key), for the export."""
        data = {"key": self.key, "id": self.id, "q": self.q, "choices": list(self.choices)}
        data["answer"] = list(self.answer) if self.multiple else self.answer
        data["explain"] = self.explain
        if self.feedback is not None:
            data["feedback"] = list(self.feedback)
        if self.code is not None:
            data["code"] = self.code
        if self.new_case:
            data["new_case"] = True
        return data


def parse_quiz(source: str) -> list[Question]:
    """The questions of a block's JSON; QuizError (unlocated) for the first problem."""
    try:
        data = json.loads(source, object_pairs_hook=_object_without_duplicates)
    except json.JSONDecodeError as error:
        raise QuizError(
            f"invalid JSON: {error.msg} (line {error.lineno} of the block, column {error.colno})"
        ) from None
    if not isinstance(data, list) or not data:
        raise QuizError("the block must hold a JSON array of at least one question")
    questions = [_question(item, number) for number, item in enumerate(data, 1)]
    _check_unique_ids(questions)
    return questions


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    # json.loads keeps the last of two equal keys; a quiz would lose one silently.
    names = [name for name, _ in pairs]
    for name in names:
        if names.count(name) > 1:
            raise QuizError(f"duplicate key {name!r} in one JSON object")
    return dict(pairs)


def _question(item: object, number: int) -> Question:
    def problem(text: str) -> QuizError:
        return QuizError(text, number)

    if not isinstance(item, dict):
        raise problem(f"must be a JSON object, not {_json_type(item)}")
    for name in item:
        if name not in REQUIRED + OPTIONAL:
            close = difflib.get_close_matches(name, REQUIRED + OPTIONAL, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise problem(f"unknown key {name!r}{hint}; known: {', '.join(REQUIRED + OPTIONAL)}")
    for name in REQUIRED:
        if name not in item:
            raise problem(f"missing {name!r}" + MISSING_HINTS.get(name, ""))
    q = _text(item["q"], "'q'", problem)
    explain = _text(item["explain"], "'explain'", problem)
    choices = _choices(item["choices"], problem)
    return Question(
        id=_id(item["id"], problem),
        q=q,
        choices=choices,
        answer=_answer(item["answer"], len(choices), problem),
        explain=explain,
        feedback=_feedback(item.get("feedback"), len(choices), problem),
        code=_code(item.get("code"), problem),
        new_case=_flag(item.get("new_case", False), "new_case", problem),
    )


def _text(value: object, name: str, problem) -> str:
    if not isinstance(value, str):
        raise problem(f"{name} must be a string, not {_json_type(value)}")
    if not value.strip():
        raise problem(f"{name} is empty")
    return value


def _choices(value: object, problem) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise problem(f"'choices' must be a list of strings, not {_json_type(value)}")
    if len(value) < 2:
        raise problem(f"'choices' needs at least two choices, it has {len(value)}")
    choices = tuple(_text(choice, f"choice {index}", problem) for index, choice in enumerate(value))
    seen: dict[str, int] = {}
    for index, choice in enumerate(choices):
        first = seen.setdefault(choice.strip(), index)
        if first != index:
            raise problem(f"choices {first} and {index} are the same: {choice!r}")
    return choices


def _answer(value: object, count: int, problem) -> int | tuple[int, ...]:
    valid = f"an index from 0 to {count - 1}"
    if isinstance(value, list):
        if len(value) < 2:
            raise problem("'answer' as a list needs at least two indices; use a number for one")
        for index in value:
            _index(index, count, valid, problem)
        if len(set(value)) != len(value):
            raise problem(f"'answer' lists an index twice: {value}")
        return tuple(sorted(value))
    return _index(value, count, valid, problem)


def _index(value: object, count: int, valid: str, problem) -> int:
    # bool is an int in Python, but `true` is no index in JSON.
    if not isinstance(value, int) or isinstance(value, bool):
        raise problem(f"'answer' must be {valid} or a list of them, not {_json_type(value)}")
    if not 0 <= value < count:
        raise problem(f"'answer' {value} is out of range: there are {count} choices ({valid})")
    return value


def _id(value: object, problem) -> str:
    if not isinstance(value, str) or not ID.match(value):
        raise problem(f"'id' must be letters, digits, '-' or '_', not {json.dumps(value)}")
    return value


def _feedback(value: object, count: int, problem) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != count:
        raise problem(f"'feedback' must be a list of {count} strings, one per choice")
    for index, text in enumerate(value):
        if text is not None and not isinstance(text, str):
            raise problem(f"feedback {index} must be a string or null, not {_json_type(text)}")
    return tuple(text or "" for text in value)


def _flag(value: object, name: str, problem) -> bool:
    if not isinstance(value, bool):
        raise problem(f"'{name}' must be true or false, not {_json_type(value)}")
    return value


def _code(value: object, problem) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        value = "\n".join(value)
    if not isinstance(value, str) or not value.strip():
        raise problem("'code' must be Python source: a non-empty string or a list of lines")
    return value if value.endswith("\n") else value + "\n"


def _check_unique_ids(questions: list[Question]) -> None:
    seen: dict[str, int] = {}
    for number, question in enumerate(questions, 1):
        first = seen.setdefault(question.id, number)
        if first != number:
            raise QuizError(f"'id' {question.id!r} is already used by question {first}", number)


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def plain_text(choice: str) -> str:
    """A choice as a program would print it: stripped, without a surrounding code span."""
    choice = choice.strip()
    match = ONE_CODE_SPAN.fullmatch(choice)
    # `a` or `b` is two spans: its backtick run shows up inside.
    return match[2].strip() if match and match[1] not in match[2] else choice
