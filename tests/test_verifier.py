"""The verifier itself: small pages, good and bad, and what it says about each."""

from pathlib import Path

import pytest
from sample_projects import Result, verify
from sybil import Document

from verified_docs.test_run.sybil_pages import PageParser
from verified_docs.verifier.output_rewrite import PageUpdates

MSE = """
```python
import torch
loss = torch.nn.MSELoss()(torch.tensor([2.5, 0.0, 2.1]), torch.tensor([3.0, 0.0, 2.0]))
print(loss)
```

```output
{shown}
```
"""


def test_the_right_value_passes(tmp_path):
    assert verify(tmp_path, MSE.format(shown="tensor(0.0867)")) == Result(passed=1)


def test_a_value_off_by_one_digit_fails_naming_page_and_line(tmp_path):
    result = verify(tmp_path, MSE.format(shown="tensor(0.0868)"))
    [failure] = result.failures
    assert failure.startswith("docs/page.md:8: the output differs from what the block at line 2")
    assert "Expected:\n    tensor(0.0868)\nGot:\n    tensor(0.0867)" in failure


def test_a_wrong_value_under_a_titled_fence_fails(tmp_path):
    page = MSE.format(shown="tensor(0.0900)").replace("```python", '```python title="mse.py"')
    [failure] = verify(tmp_path, page).failures
    assert failure.startswith("docs/page.md:8: the output differs")


def test_numbers_match_when_the_printed_value_rounds_to_the_page(tmp_path):
    page = """
    ```python
    print(2 / 3, 1 / 7)
    ```

    ```output
    0.6667 0.14
    ```
    """
    assert verify(tmp_path, page) == Result(passed=1)


def test_rounding_does_not_hide_a_changed_last_digit(tmp_path):
    page = """
    ```python
    print(2 / 3)
    ```

    ```output
    0.6668
    ```
    """
    assert len(verify(tmp_path, page).failures) == 1


def test_a_trimmed_traceback_matches_the_real_exception(tmp_path):
    page = """
    ```python
    import torch
    print("before")
    torch.tensor([1.0, 2.0], requires_grad=True).mul(2).backward()
    ```

    ```output
    before
    Traceback (most recent call last):
      ...
    RuntimeError: grad can be implicitly created only for scalar outputs
    ```
    """
    assert verify(tmp_path, page) == Result(passed=1)


def test_a_traceback_with_the_wrong_message_fails(tmp_path):
    page = """
    ```python
    raise ValueError("real message")
    ```

    ```output
    Traceback (most recent call last):
      ...
    ValueError: another message
    ```
    """
    [failure] = verify(tmp_path, page).failures
    assert "Got:\n    ValueError: real message" in failure


def test_an_expected_exception_that_does_not_happen_fails(tmp_path):
    page = """
    ```python
    print("all fine")
    ```

    ```output
    Traceback (most recent call last):
      ...
    RuntimeError: boom
    ```
    """
    [failure] = verify(tmp_path, page).failures
    assert failure.startswith("docs/page.md:6:")
    assert "the page shows an exception, but the block raised none" in failure
    assert "all fine" in failure


def test_an_unexpected_exception_names_the_page_line(tmp_path):
    page = """
    ```python
    x = 1
    y = x / 0
    ```
    """
    [failure] = verify(tmp_path, page).failures
    assert failure.startswith("docs/page.md:2: the block raised an exception")
    assert 'File "docs/page.md", line 4' in failure
    assert "ZeroDivisionError: division by zero" in failure


def test_a_block_that_prints_without_an_output_fence_fails(tmp_path):
    [failure] = verify(tmp_path, "```python\nprint(42)\n```\n").failures
    assert "prints, but the page shows no output fence" in failure


@pytest.mark.parametrize(
    ("fence", "message"),
    [
        ("```py", "```py is not run by the verifier"),
        ("```pycon", "```pycon is not run by the verifier"),
        ("``` { .python }", "is not run by the verifier"),
        ('```python title="a.py" hl_line="2"', "attributes the verifier does not know: hl_line"),
        ("```", "fence names no language"),
        ("```rust", "unknown fence language 'rust'"),
    ],
)
def test_a_python_block_nothing_runs_fails_the_gate(tmp_path, fence, message):
    [failure] = verify(tmp_path, f"Text.\n\n{fence}\nprint(1)\n```\n").failures
    assert failure.startswith("docs/page.md:3: ")
    assert message in failure


def test_doctest_prompts_are_refused_because_they_break_copy_paste(tmp_path):
    [failure] = verify(tmp_path, "```python\n>>> print(1)\n1\n```\n").failures
    assert failure.startswith("docs/page.md:1: python block uses >>> prompts")


def test_an_output_fence_under_no_block_fails(tmp_path):
    [failure] = verify(tmp_path, "Text.\n\n```output\n1\n```\n").failures
    assert failure == "docs/page.md:3: output fence with no python block right above it"


def test_fences_inside_a_longer_fence_are_text(tmp_path):
    page = "````markdown\n```py\nprint(1)\n```\n````\n"
    assert verify(tmp_path, page) == Result()


def test_blocks_indented_in_tabs_and_admonitions_run(tmp_path):
    page = """
    === "Tab"

        ```python
        total = 40 + 2
        print(total)
        ```

        ```output
        42
        ```

    !!! note

        ```python
        print(total + 1)
        ```

        ```output
        43
        ```
    """
    assert verify(tmp_path, page) == Result(passed=2)


def test_blocks_of_a_page_share_one_namespace_in_order(tmp_path):
    page = "```python\nx = 2\n```\n\n```python\nprint(x * 21)\n```\n\n```output\n42\n```\n"
    assert verify(tmp_path, page) == Result(passed=2)


def test_a_snippet_include_runs_the_file(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "hello.py").write_text('print("hello from a snippet")\n')
    page = '```python\n--8<-- "snippets/hello.py"\n```\n\n```output\nhello from a snippet\n```\n'
    assert verify(tmp_path, page) == Result(passed=1)


def test_a_missing_snippet_names_page_line_and_file(tmp_path):
    page = '```python title="gone.py"\n--8<-- "snippets/gone.py"\n```\n'
    [failure] = verify(tmp_path, page).failures
    assert failure.startswith("docs/page.md:1: snippet file 'snippets/gone.py' not found")


def test_a_wrong_output_under_a_snippet_names_the_snippet(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "two.py").write_text("print(1 + 1)\n")
    page = '```python\n--8<-- "snippets/two.py"\n```\n\n```output\n3\n```\n'
    [failure] = verify(tmp_path, page).failures
    assert failure.startswith("docs/page.md:5: the output differs from what the block at line 1")
    assert "(snippet snippets/two.py)" in failure


def test_a_skip_with_a_reason_skips_the_next_block(tmp_path):
    page = '<!-- skip: next "needs a CUDA GPU" -->\n\n```python\nimport no_such_module\n```\n'
    assert verify(tmp_path, page).skipped == ["needs a CUDA GPU"]


def test_a_skip_without_a_reason_fails(tmp_path):
    page = "<!-- skip: next -->\n\n```python\nprint(1)\n```\n\n```output\n1\n```\n"
    result = verify(tmp_path, page)
    assert result.failures == [
        "docs/page.md:1: 'skip: next' gives no reason; "
        'write <!-- skip: next "why this block cannot run here" -->'
    ]


def test_update_mode_rewrites_outputs_and_adds_missing_fences(tmp_path):
    page = """
    ```python
    print(6 * 7)
    ```

    ```output
    41
    ```

    ```python
    print("new")
    ```

    ```python
    raise KeyError("k")
    ```

    ```output
    Traceback (most recent call last):
      ...
    KeyError: 'old'
    ```
    """
    updates = PageUpdates()
    assert verify(tmp_path, page, updates).failures == []
    updates.write()
    rewritten = (tmp_path / "docs" / "page.md").read_text()
    assert "```output\n42\n```" in rewritten
    assert '```python\nprint("new")\n```\n\n```output\nnew\n```' in rewritten
    assert "Traceback (most recent call last):\n  ...\nKeyError: 'k'\n```" in rewritten
    assert verify(tmp_path, rewritten) == Result(passed=3)


def test_update_mode_does_not_record_a_real_error(tmp_path):
    updates = PageUpdates()
    [failure] = verify(tmp_path, "```python\n1 / 0\n```\n", updates).failures
    assert "ZeroDivisionError" in failure
    assert updates.write() == []


def test_update_mode_fills_an_empty_fence_under_a_raising_block_with_its_traceback(tmp_path):
    page = '```python\nprint("before")\n{}["k"]\n```\n\n```output\n```\n'
    updates = PageUpdates()
    assert verify(tmp_path, page, updates).failures == []
    [path] = updates.write()
    rewritten = Path(path).read_text(encoding="utf-8")
    assert rewritten.endswith(
        "```output\nbefore\nTraceback (most recent call last):\n  ...\nKeyError: 'k'\n```\n"
    )
    assert verify(tmp_path, rewritten) == Result(passed=1)


def test_a_block_gets_the_documented_time_limit_unless_its_page_asks_for_more(tmp_path):
    page = "```python\npass\n```\n\n<!-- timeout: 120 -->\n```python\npass\n```\n"
    document = Document(page, str(tmp_path / "docs" / "page.md"))
    blocks = [region.parsed for region in PageParser(tmp_path)(document)]
    assert [block.time_limit_s for block in blocks] == [60, 120]  # "60 seconds", as documented


def test_a_printed_tab_is_compared_as_the_spaces_markdown_shows_for_it(tmp_path):
    page = """
    ```python
    print("a\\tb")
    ```

    ```output
    a   b
    ```
    """
    assert verify(tmp_path, page) == Result(passed=1)


HANDLER_PAGE = """
```python
import logging


class Kept(logging.Handler):
    def emit(self, record):
        kept.append(record.getMessage())


kept = []
logging.getLogger("verified_docs_demo").addHandler(Kept())
logging.getLogger("verified_docs_demo").warning("seen")
print(kept)
```

```output
['seen']
```
"""
LOGGING_PAGE = """
```python
import logging

logging.getLogger("verified_docs_demo").warning("again")
print("logged")
```

```output
logged
```
"""


def test_a_handler_a_page_adds_is_gone_before_the_next_page_logs(tmp_path):
    """Pages share a process: a handler left behind would run with its page's names gone
    (torch._dynamo's logger once failed compile.md this way after another page's)."""
    assert verify(tmp_path, HANDLER_PAGE) == Result(passed=1)
    assert verify(tmp_path, LOGGING_PAGE) == Result(passed=1)
