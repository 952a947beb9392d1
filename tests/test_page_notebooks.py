"""A page's notebook: its code cells are the page's blocks, the rest its text."""

import textwrap
from pathlib import Path

import nbformat

from verified_docs.page.page_model import parse_page
from verified_docs.website.colab import SETUP_TAG
from verified_docs.website.page_notebooks import (
    download_name,
    insert_link,
    notebook_path,
    page_notebook,
)

PAGE = """\
# Losses

Some text.

```python
import math
print(math.sqrt(4))
```

```output
2.0
```

!!! note "Why"

    ```python
    print(1 / 0)
    ```

    ```output
    Traceback (most recent call last):
      ...
    ZeroDivisionError: division by zero
    ```

<!-- skip: next if(not torch.cuda.is_available(), reason="needs a CUDA GPU") -->
```python
x = torch.ones(1, device="cuda")
```

```shell
pip install torch
```

```quiz
[{"q": "2 + 2?", "choices": ["4", "5"], "answer": 0, "explain": "."}]
```
"""


def notebook(text: str, root: Path = Path(".")):
    return page_notebook(parse_page(textwrap.dedent(text), "docs/losses/index.md", root))


def cells(book, kind: str) -> list[str]:
    """The sources of the cells of `kind`, the page's own: not the Colab setup cell."""
    return [cell.source for cell in page_cells_of(book) if cell.cell_type == kind]


def page_cells_of(book) -> list:
    return [cell for cell in book.cells if SETUP_TAG not in cell.metadata.get("tags", [])]


def test_a_notebook_begins_with_the_colab_setup_after_its_title():
    book = notebook(PAGE)
    setup = book.cells[1]
    assert book.cells[0].cell_type == "markdown" and setup.cell_type == "code"
    assert setup.metadata["tags"] == [SETUP_TAG]
    assert 'if "google.colab" in sys.modules:' in setup.source
    exec(compile(setup.source, "setup", "exec"), {})  # here, not on Colab: does nothing


def test_each_runnable_block_is_a_code_cell_in_page_order():
    book = notebook(PAGE)
    assert cells(book, "code") == ["import math\nprint(math.sqrt(4))", "print(1 / 0)"]
    nbformat.validate(book)
    assert book.metadata["verified_docs"] == {"source": "docs/losses/index.md"}


def test_a_block_whose_page_shows_a_traceback_is_tagged_to_raise():
    book = notebook(PAGE)
    tags = [
        cell.metadata.get("tags", []) for cell in page_cells_of(book) if cell.cell_type == "code"
    ]
    assert tags == [[], ["raises-exception"]]


def test_text_outputs_skips_and_quizzes_become_markdown():
    text = "\n".join(cells(notebook(PAGE), "markdown"))
    assert "Some text." in text
    assert "Output on the page:\n\n```text\n2.0\n```" in text
    assert "**Why**" in text  # the admonition, unwrapped
    skipped = '```python\nx = torch.ones(1, device="cuda")'
    assert f"*Not run in this notebook: needs a CUDA GPU.*\n\n{skipped}" in text
    assert "```shell\npip install torch\n```" in text
    assert "*The quick check for this page is on the web page.*" in text
    assert "skip:" not in text and "```quiz" not in text


def test_a_snippet_block_is_its_program(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "hello.py").write_text('print("hello")\n', encoding="utf-8")
    book = notebook('# Page\n\n```python\n--8<-- "snippets/hello.py"\n```\n', tmp_path)
    assert cells(book, "code") == ['print("hello")']


def test_front_matter_is_not_part_of_the_notebook():
    book = notebook("---\ntitle: Losses\n---\n\n# Losses\n\n```python\nx = 1\n```\n")
    assert cells(book, "markdown") == ["# Losses"]


def test_a_page_without_a_block_to_run_has_no_notebook():
    assert notebook("# Home\n\n```text\nhello\n```\n") is None
    assert notebook('<!-- skip: next "no GPU here" -->\n```python\nx = 1\n```\n') is None


def test_the_notebook_is_named_after_the_page_and_linked_under_its_title():
    assert notebook_path("losses/index.md") == "losses/index.ipynb"
    assert download_name("losses/index.md") == "losses.ipynb"
    assert download_name("index.md") == "home.ipynb"
    linked = insert_link(
        "```text\n# not a title\n```\n\n# Title\n\nText.\n", "index.ipynb", "a.ipynb"
    )
    assert linked.index("# Title") < linked.index('href="index.ipynb"') < linked.index("Text.")
