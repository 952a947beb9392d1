"""Check a page's quiz block: its JSON against the schema, and each question's `code`
run under the blocks' rules (time limit, no exit), printing the right choice."""

from ..page.page_model import Quiz
from ..verifier.block_run import run_code
from .schema import Question, QuizError, parse_quiz, plain_text


def load_quiz(quiz: Quiz, run: bool = True) -> list[Question]:
    """The questions of `quiz`, checked, their `code` run unless not `run`; a
    QuizError names the page, line and question."""
    try:
        if not quiz.fence.closed:
            raise QuizError("fence never closes")
        questions = parse_quiz(quiz.fence.source)
        if run:
            check_code(questions, quiz.page)
    except QuizError as error:
        raise error.located(quiz.page, quiz.fence.line) from None
    return questions


def check_code(questions: list[Question], page: str) -> None:
    """Run each question's `code`; QuizError unless it prints the right choice."""
    for number, question in enumerate(questions, 1):
        if question.code is not None:
            _check_one(question, number, page)


def _check_one(question: Question, number: int, page: str) -> None:
    if question.multiple:
        raise QuizError("'code' needs a single right choice, but 'answer' is a list", number)
    try:
        run = run_code(
            question.code, f"{page} (quiz question {number})", 1, {"__name__": "__quiz__"}
        )
    except SyntaxError as error:  # raised by compile(), before run_code catches anything
        message = f"'code' raised SyntaxError: {error.msg} (line {error.lineno})"
        raise QuizError(message, number) from None
    if run.stopped:  # timed out, or tried to end the build or the test run
        raise QuizError(f"'code' {run.stopped}", number)
    if run.error:
        raise QuizError(f"'code' raised {run.error_summary.strip()}", number)
    printed = run.stdout.strip()
    texts = [plain_text(choice) for choice in question.choices]
    if printed == texts[question.answer]:
        return
    if printed in texts:
        raise QuizError(
            f"'code' printed {printed!r}, which is choice {texts.index(printed)}, "
            f"but 'answer' is {question.answer} ({texts[question.answer]!r})",
            number,
        )
    raise QuizError(f"'code' printed {printed!r}, which matches no choice", number)
