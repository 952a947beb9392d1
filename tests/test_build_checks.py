"""Build errors surface: `mkdocs build --strict` fails naming the page (and line) when a
page shows code the verifier does not see, is not UTF-8, or a fence formatter fails."""

from pathlib import Path

import markdown
import pytest
from pymdownx.superfences import SuperFencesException
from sample_projects import build, project

from verified_docs.page.page_model import parse_page
from verified_docs.page.rendering import rendering, surfaced
from verified_docs.website.block_accounting import unaccounted_blocks

BAD_PAGES = {
    "python_in_a_blockquote": (
        b"# Page\n\n> ```python\n> print(1)\n> ```\n",
        "docs/page.md: the built page shows 1 Python blocks, but the verifier found 0",
    ),
    "indented_code_block": (
        b"# Page\n\nText.\n\n    print(1)\n",
        "docs/page.md: the built page has 1 code blocks, but the verifier found 0 fences",
    ),
    "not_utf8": (
        "# Page\n\n```text\ncaf\xe9\n```\n".encode("latin-1"),
        "docs/page.md:4: not valid UTF-8 (byte 0xe9 at column 4)",
    ),
}


@pytest.mark.parametrize("bad", BAD_PAGES)
def test_the_build_fails_naming_the_page(tmp_path, bad):
    text, message = BAD_PAGES[bad]
    config = project(tmp_path, {"page.md": ""})
    (tmp_path / "docs" / "page.md").write_bytes(text)
    result = build(config)
    assert result.returncode != 0
    assert message in result.stderr


def test_blocks_in_lists_tabs_admonitions_and_with_line_numbers_are_accounted_for(tmp_path):
    page = (
        "# Page\n\n1. First:\n\n    ```python\n    x = 1\n    ```\n\n"
        '=== "Tab"\n\n    ```python\n    print(x)\n    ```\n\n    ```output\n    1\n    ```\n\n'
        "!!! note\n\n    ```text\n    a note\n    ```\n\n"
        '```python linenums="1"\ny = 2\n```\n'
    )
    result = build(project(tmp_path, {"page.md": page}))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    assert html.count('<div class="language-python highlight"') == 3


def test_an_html_page_with_one_block_too_many_is_named():
    text = "```python\nx = 1\n```\n"
    html = '<div class="language-python highlight"><pre><code>x = 1</code></pre></div>'
    page = parse_page(text, "docs/p.md", Path("."))
    assert unaccounted_blocks(html, page) is None
    problem = unaccounted_blocks(html + "<pre><code>y</code></pre>", page)
    assert problem.startswith("docs/p.md: the built page has 2 code blocks")


def test_an_error_in_a_fence_formatter_stops_the_conversion_naming_page_and_line():
    @surfaced
    def broken(source, language, css_class, options, md, **kwargs):
        raise KeyError("boom")

    fence = {"name": "output", "class": "output", "format": broken}
    converter = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
    )
    text = "# Page\n\n```output\n42\n```\n"
    rendering(parse_page(text, "docs/page.md", Path(".")))
    with pytest.raises(SuperFencesException) as error:
        converter.convert(text)
    assert (
        str(error.value) == "docs/page.md:3: the output fence cannot be rendered: KeyError: 'boom'"
    )
