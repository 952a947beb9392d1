"""The page model: what a page holds, read once, as every consumer sees it."""

import textwrap
from pathlib import Path

import pytest
from sample_projects import verify

from verified_docs.page.page_model import (
    CodeBlock,
    Problem,
    Quiz,
    Skip,
    page_path,
    parse_page,
    read_page,
    skip_reason,
)
from verified_docs.website.page_notebooks import page_cells

QUIZ = '```quiz\n[{"q": "2 + 2?", "choices": ["4", "5"], "answer": 0, "explain": "."}]\n```\n'
SKIP_BEFORE_QUIZ = f"""\
# Page

<!-- skip: next "the quiz is checked elsewhere" -->
{QUIZ}
```python
print("ran")
```

```output
ran
```
"""


def page(text: str, root: Path = Path(".")):
    return parse_page(textwrap.dedent(text), "docs/page.md", root)


def test_a_block_holds_its_fence_code_output_and_options():
    model = page(
        """\
        # Title

        <!-- timeout: 120 -->
        ```python title="a.py"
        print(1 / 0)
        ```

        ```output
        Traceback (most recent call last):
          ...
        ZeroDivisionError: division by zero
        ```
        """
    )
    [block] = model.blocks
    assert block.where == "docs/page.md:4"
    assert block.fence.attributes == {"title": "a.py"}
    assert block.fence.source == block.source == "print(1 / 0)\n"
    assert block.output.line == 8
    assert block.expected_output.endswith("ZeroDivisionError: division by zero\n")
    assert block.expects_error
    assert block.time_limit_s == 120
    assert model.problems == model.quizzes == []


def test_an_output_that_is_not_a_traceback_is_expected_to_print_it():
    [block] = page("```python\nprint(1)\n```\n\n```output\n1\n```\n").blocks
    assert (block.expected_output, block.expects_error) == ("1\n", False)
    [bare] = page("```python\nx = 1\n```\n").blocks
    assert (bare.output, bare.expected_output, bare.expects_error) == (None, None, False)


def test_a_snippet_block_shows_the_include_and_runs_the_file(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "hello.py").write_text('print("hello")', encoding="utf-8")
    [block] = page('```python\n--8<-- "snippets/hello.py"\n```\n', tmp_path).blocks
    assert block.fence.source == '--8<-- "snippets/hello.py"\n'
    assert block.source == 'print("hello")\n'
    assert block.snippets == ["snippets/hello.py"]


def test_read_page_reads_the_file_with_its_real_line_numbers(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "---\ntitle: Page\n---\n\n# Page\n\n```python\nx = 1\n```\n"
    (docs / "page.md").write_text(text, encoding="utf-8")
    model = read_page(docs / "page.md", tmp_path)
    assert model.path == "docs/page.md" == page_path(docs / "page.md", tmp_path)
    assert [block.fence.line for block in model.blocks] == [7]


def test_the_items_come_in_page_order():
    model = page(SKIP_BEFORE_QUIZ)
    kinds = [type(item.parsed) for item in model.items]
    assert kinds == [Skip, Quiz, CodeBlock]
    assert [quiz.where for quiz in model.quizzes] == ["docs/page.md:4"]


def test_a_skip_next_takes_the_next_example_even_a_quiz():
    model = page(SKIP_BEFORE_QUIZ)
    assert model.skip_reasons() == {1: "the quiz is checked elsewhere"}
    [quiz], [block] = model.quizzes, model.blocks
    assert model.reason_skipped(quiz) == "the quiz is checked elsewhere"
    assert model.reason_skipped(block) is None


def test_the_test_run_and_the_notebook_agree_on_a_skip_before_a_quiz(tmp_path):
    assert verify(tmp_path, SKIP_BEFORE_QUIZ).outcomes == [
        ("Skip", "ran"),
        ("Quiz", "skipped: the quiz is checked elsewhere"),
        ("CodeBlock", "ran"),
    ]
    path = tmp_path / "docs" / "page.md"
    cells = page_cells(read_page(path, tmp_path))
    assert [cell.source for cell in cells if cell.kind == "code"] == ['print("ran")\n']


def test_a_skipped_section_takes_every_example_in_it():
    model = page(
        """\
        <!-- skip: start "needs a GPU" -->
        ```python
        a = 1
        ```

        ```python
        b = 2
        ```
        <!-- skip: end -->

        ```python
        c = 3
        ```
        """
    )
    blocks = [index for index, item in enumerate(model.items) if isinstance(item.parsed, CodeBlock)]
    reasons = model.skip_reasons()
    assert [reasons.get(index) for index in blocks] == ["needs a GPU", "needs a GPU", None]


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ('"no network here"', "no network here"),
        ("'single quotes'", "single quotes"),
        ('if(not torch.cuda.is_available(), reason="needs a CUDA GPU")', "needs a CUDA GPU"),
    ],
)
def test_the_reason_of_a_skip_is_read_without_running_it(arguments, reason):
    assert skip_reason(arguments) == reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<!-- skip: next -->\n```python\nx = 1\n```\n", "docs/page.md:1: 'skip: next' gives no"),
        ('<!-- skip: start "x" -->\n', "docs/page.md:1: 'skip: start' has no '<!-- skip: end"),
        ("<!-- timeout: 1.5 -->\n```python\nx = 1\n```\n", "docs/page.md:1: write the time"),
        ("<!-- timeout: 9 -->\n```text\nx\n```\n", "docs/page.md:1: a timeout directive app"),
        ("```py\nx = 1\n```\n", "docs/page.md:1: ```py is not run by the verifier"),
        ('```python foo="1"\nx = 1\n```\n', "docs/page.md:1: python fence has attributes"),
        ("```output\n1\n```\n", "docs/page.md:1: output fence with no python block"),
        ("```\nx\n```\n", "docs/page.md:1: fence names no language"),
        ("Text.\n\n> ```python\n> x = 1\n> ```\n", "docs/page.md:3: a fence inside a blockquote"),
        ('```python\n--8<-- "snippets/none.py"\n```\n', "docs/page.md:1: snippet file"),
    ],
)
def test_what_cannot_run_is_a_problem_naming_its_line(text, message):
    problems = page(text).problems
    assert problems, "no problem found"
    assert all(isinstance(problem, Problem) for problem in problems)
    assert problems[0].message.startswith(message), problems[0].message


def test_only_a_line_feed_ends_a_line_as_in_the_messages():
    model = page("Text with a form feed \x0c in it.\n\n```python\nx = 1\n```\n")
    assert [block.fence.line for block in model.blocks] == [3]
