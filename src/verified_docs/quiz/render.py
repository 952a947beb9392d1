"""Render a quiz block to HTML at build time: the superfences formatter of ```quiz.

The HTML works without JavaScript (the answer and explanation sit in a <details>);
docs/assets/quiz.js makes it interactive. Every string from the JSON is escaped first,
and only then is inline Markdown (`code`, *em*, **strong**) turned into tags, so raw
HTML in a quiz always shows as text.

Markup contract (for quiz.js, quiz.css and the browser tests):

- `div.quiz[data-quiz-questions=N]`: one quiz block;
- `fieldset.quiz-question[data-quiz-key][data-quiz-multiple][data-quiz-id]`: one
  question, `data-quiz-id` its `id`; `data-quiz-key` is derived from the
  question's content (quiz.js keeps progress in localStorage under `verified-quiz:KEY`);
- `legend.quiz-prompt`: the question; `.quiz-code`: its code, if any;
- `input.quiz-choice` (radio for one answer, checkbox for several), `value` the choice's
  authored index, `data-correct` on the right ones, each in a `label.quiz-option`, in
  the shuffled order of order.py;
- `button.quiz-check` and `button.quiz-reset`, `hidden` until quiz.js starts;
- `.quiz-feedback[role=status][aria-live=polite]`: where quiz.js announces right or wrong
  (`.quiz-verdict`): a wrong answer with the chosen choices' feedback, a right one with
  the explanation;
- `details.quiz-answer`: the answer (`.quiz-solution`), the explanation (`.quiz-explain`)
  and the per-choice feedback (`li.quiz-choice-feedback[data-choice=INDEX]`);
- `.quiz-score`: the score of all questions on the page, `hidden` until quiz.js starts
  (not a live region: the verdict is announced already).

quiz.js sets `data-quiz-ready` on a started `.quiz`, and `data-quiz-state` ("right" or
"wrong") on a checked `.quiz-question`.
"""

import re
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pymdownx.superfences import SuperFencesException

from ..page.rendering import fence_location, surfaced
from .order import display_orders
from .schema import Question, QuizError, parse_quiz

CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"  # *em*, not **strong** or 2*3*4
    r"|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"  # _em_, not snake_case_names
)


@surfaced
def format_quiz(source: str, language: str, css_class: str, options, md, **kwargs) -> str:
    try:
        questions = parse_quiz(source)
    except QuizError as error:
        # The build hook reports this with page and line first; this only guards a
        # block it cannot see (a quiz inside an included file). Never render it broken.
        raise SuperFencesException(f"{fence_location(source, language)}: {error}") from None
    return render_quiz(questions)


def render_quiz(questions: list[Question]) -> str:
    orders = display_orders(questions)
    # A radio group's name must be unique on the page: the question's content key is,
    # as the site's rules refuse a question asked twice.
    body = "".join(
        _question(question, number, f"quiz-{question.key}", order)
        for number, (question, order) in enumerate(zip(questions, orders, strict=True), 1)
    )
    return (
        f'<div class="quiz" data-quiz-questions="{len(questions)}">{body}'
        '<div class="quiz-footer"><p class="quiz-score" hidden></p>'
        '<button type="button" class="quiz-reset md-button" hidden>Reset quiz</button>'
        "</div></div>"
    )


def _question(question: Question, number: int, name: str, order: list[int]) -> str:
    multiple = "true" if question.multiple else "false"
    hint = ' <span class="quiz-hint">(choose all that apply)</span>' if question.multiple else ""
    if question.new_case:  # the question a reader cannot answer by recalling the page
        hint += ' <span class="quiz-hint">(a case the page did not show)</span>'

    return (
        f'<fieldset class="quiz-question" data-quiz-key="{question.key}"'
        f' data-quiz-multiple="{multiple}" data-quiz-id="{escape(question.id)}">'
        f'<legend class="quiz-prompt"><span class="quiz-number">{number}.</span> '
        f"{inline(question.q)}{hint}</legend>"
        f"{_code(question.code)}"
        f'<div class="quiz-choices">{_choices(question, name, order)}</div>'
        '<button type="button" class="quiz-check md-button md-button--primary" hidden>'
        "Check</button>"
        '<div class="quiz-feedback" role="status" aria-live="polite"></div>'
        f"{_answer(question)}</fieldset>"
    )


def _code(code: str | None) -> str:
    if code is None:
        return ""
    lines = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True))
    return (
        '<div class="quiz-code language-python highlight">'
        f"<pre><span></span><code>{lines}</code></pre></div>"
    )


def _choices(question: Question, name: str, order: list[int]) -> str:
    kind = "checkbox" if question.multiple else "radio"
    return "".join(
        f'<label class="quiz-option"><input class="quiz-choice" type="{kind}" name="{name}"'
        f' value="{index}"{" data-correct" if index in question.correct else ""}>'
        f" <span>{inline(question.choices[index])}</span></label>"
        for index in order
    )


def _answer(question: Question) -> str:
    label = "Answers" if question.multiple else "Answer"
    right = "".join(f"<li>{inline(question.choices[index])}</li>" for index in question.correct)
    feedback = "".join(
        f'<li class="quiz-choice-feedback" data-choice="{index}">'
        f"<em>{inline(question.choices[index])}</em>: {inline(text)}</li>"
        for index, text in enumerate(question.feedback or ())
        if text
    )
    return (
        f'<details class="quiz-answer"><summary>Show the answer</summary>'
        f'<p>{label}:</p><ul class="quiz-solution">{right}</ul>'
        f'<p class="quiz-explain">{inline(question.explain)}</p>'
        + (f'<ul class="quiz-feedback-list">{feedback}</ul>' if feedback else "")
        + "</details>"
    )


def inline(text: str) -> str:
    """Escape `text`, then render its code spans, **strong** and *emphasis*."""
    parts, last = [], 0
    for match in CODE_SPAN.finditer(text):
        parts.append(_emphasis(escape(text[last : match.start()])))
        parts.append(f"<code>{escape(match[2].strip())}</code>")
        last = match.end()
    parts.append(_emphasis(escape(text[last:])))
    return "".join(parts)


def _emphasis(escaped: str) -> str:
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    return EMPHASIS.sub(lambda m: f"<em>{m[1] or m[2]}</em>", escaped)
