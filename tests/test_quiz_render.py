"""The quiz fence's HTML: escaped, answerable without JavaScript, radio or checkbox."""

import itertools
import json
import re
from html.parser import HTMLParser

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

from verified_docs.quiz.order import display_orders
from verified_docs.quiz.render import format_quiz, inline, render_quiz
from verified_docs.quiz.schema import parse_quiz

EVIL = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"


def page(*blocks: list[dict]) -> str:
    """Markdown for `blocks`, rendered with the quiz fence as mkdocs.yml registers it."""
    text = "\n\n".join(f"```quiz\n{json.dumps(block)}\n```" for block in blocks)
    fences = [{"name": "quiz", "class": "quiz", "format": format_quiz}]
    return markdown.markdown(
        text,
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": fences}},
    )


IDS = itertools.count(1)


def question(**changes) -> dict:
    base = {"id": f"question-{next(IDS)}", "q": "Which?", "choices": ["a", "b", "c"]}
    return base | {"answer": 1, "explain": "Because."} | changes


class Elements(HTMLParser):
    """The start tags of a page, as (tag, attributes) pairs, to assert on structure."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def having(self, tag: str, css_class: str) -> list[dict]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and css_class in (attrs.get("class") or "").split()
        ]


def test_strings_from_the_json_are_escaped_everywhere():
    html = page(
        [question(q=EVIL, choices=[EVIL, "b"], answer=0, explain=EVIL, feedback=[EVIL, ""])]
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in html
    # question, choice, answer, explanation, feedback label and feedback text
    assert html.count("&lt;script&gt;") == 6


def test_an_attribute_cannot_be_broken_out_of():
    html = page([question(id="ok", q='" onmouseover="alert(1)')])
    tags = Elements(html)
    assert not [attrs for _, attrs in tags.tags if "onmouseover" in attrs]


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("use `loss.backward()`", "use <code>loss.backward()</code>"),
        ("`<b>` stays text", "<code>&lt;b&gt;</code> stays text"),
        ("*why* and **what**", "<em>why</em> and <strong>what</strong>"),
        ("_why_ not snake_case_name", "<em>why</em> not snake_case_name"),
        ("`a*b*c` is code", "<code>a*b*c</code> is code"),
        ("2*3*4 is not emphasis", "2*3*4 is not emphasis"),
        ("*<i>x</i>*", "<em>&lt;i&gt;x&lt;/i&gt;</em>"),
        ("``a`b``", "<code>a`b</code>"),
    ],
)
def test_inline_markdown_is_rendered_on_escaped_text(text, html):
    assert inline(text) == html


def test_the_answer_and_explanation_are_there_without_javascript():
    html = page([question(feedback=["Not *a*.", "", "Not c."])])
    tags = Elements(html)
    [details] = tags.having("details", "quiz-answer")
    assert details == {"class": "quiz-answer"}  # closed: a disclosure, not a spoiler
    answer = html[html.index('<details class="quiz-answer">') :]
    assert '<ul class="quiz-solution"><li>b</li></ul>' in answer
    assert '<p class="quiz-explain">Because.</p>' in answer
    assert '<li class="quiz-choice-feedback" data-choice="0"><em>a</em>: Not <em>a</em>.</li>' in (
        answer
    )
    assert 'data-choice="1"' not in answer  # an empty feedback shows nothing
    # The buttons and the score need quiz.js: hidden until it starts.
    for tag, css_class in [("button", "quiz-check"), ("button", "quiz-reset"), ("p", "quiz-score")]:
        [element] = tags.having(tag, css_class)
        assert "hidden" in element


def test_a_single_answer_question_is_a_fieldset_of_radio_buttons():
    tags = Elements(page([question(id="pick-b")]))
    [fieldset] = tags.having("fieldset", "quiz-question")
    assert fieldset["data-quiz-multiple"] == "false"
    assert fieldset["data-quiz-id"] == "pick-b"
    assert re.fullmatch(r"[0-9a-f]{12}", fieldset["data-quiz-key"])
    assert tags.tags[tags.tags.index(("fieldset", fieldset)) + 1][0] == "legend"
    inputs = tags.having("input", "quiz-choice")
    shown = sorted(inputs, key=lambda i: i["value"])  # the page shows them shuffled
    assert [(i["type"], i["value"], "data-correct" in i) for i in shown] == [
        ("radio", "0", False),
        ("radio", "1", True),
        ("radio", "2", False),
    ]
    assert len({i["name"] for i in inputs}) == 1
    [feedback] = tags.having("div", "quiz-feedback")
    assert feedback["aria-live"] == "polite"


def test_a_multi_answer_question_uses_checkboxes_and_says_so():
    asked = question(answer=[0, 2])
    html = page([asked])
    inputs = Elements(html).having("input", "quiz-choice")
    # Shown in the order of its id, which depends on how many questions were made before.
    [order] = display_orders(parse_quiz(json.dumps([asked])))
    right = [(index in (0, 2)) for index in order]
    assert [(i["type"], "data-correct" in i) for i in inputs] == [("checkbox", r) for r in right]
    assert 'data-quiz-multiple="true"' in html
    assert "(choose all that apply)" in html
    assert '<p>Answers:</p><ul class="quiz-solution"><li>a</li><li>c</li></ul>' in html


def test_radio_groups_are_unique_across_the_blocks_of_a_page():
    asked = [question(), question(q="Other?")], [question(q="A third?")]
    tags = Elements(page(*asked))
    names = [attrs["name"] for attrs in tags.having("input", "quiz-choice")]
    keys = [parse_quiz(json.dumps([one])).pop().key for block in asked for one in block]
    assert names == [name for key in keys for name in [f"quiz-{key}"] * 3]


def test_code_is_shown_highlighted_and_escaped():
    html = render_quiz(parse_quiz(json.dumps([question(code="print('<b>')")])))
    assert '<div class="quiz-code language-python highlight">' in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_an_invalid_block_stops_the_render_instead_of_showing_it_broken():
    with pytest.raises(SuperFencesException, match=r"quiz question 1: missing 'explain'"):
        page([{"id": "x", "q": "x", "choices": ["a", "b"], "answer": 0}])


def test_choices_are_shown_in_an_order_set_by_the_quiz_alone():
    authored = question(id="order", choices=["a", "b", "c", "d"], answer=2)
    [order] = display_orders(parse_quiz(json.dumps([authored])))
    for html in (page([authored]), page([question()], [authored])):
        [fieldset] = [q for q in html.split("<fieldset")[1:] if 'data-quiz-id="order"' in q]
        values = [int(v) for v in re.findall(r'class="quiz-choice"[^>]* value="(\d+)"', fieldset)]
        assert values == order
    many = parse_quiz(json.dumps([question(id=f"q{n}", choices=list("abcd")) for n in range(20)]))
    orders = {tuple(order) for order in display_orders(many)}
    assert len(orders) > 5, "the order does not depend on the ids"


def test_the_right_choice_takes_each_position_in_turn_over_a_quiz():
    quiz = [question(id=f"turn{n}", choices=["a", "b", "c"], answer=n % 3) for n in range(6)]
    orders = display_orders(parse_quiz(json.dumps(quiz)))
    positions = [order.index(n % 3) for n, order in enumerate(orders)]
    assert sorted(positions) == [0, 0, 1, 1, 2, 2]
    assert positions[:3] == positions[3:]  # in turn
