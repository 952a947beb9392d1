"""Each guide page as a Jupyter notebook: `site/<page>.ipynb`, linked from the page.

For every page with Python blocks the build writes a notebook made of what the test
suite runs, in page order: each Python block becomes a code cell (with its `--8<--`
snippet includes expanded, as in `snippets.expand`), and the text around it becomes
Markdown cells, with each `output` fence kept as a text block so a reader can compare
what their run prints with what the page shows. So `docs/losses/index.md` becomes
`site/losses/index.ipynb`, and a "Download this page as a notebook" link is added
under the page's title.

The notebook runs top to bottom in Jupyter:

- a block the test suite skips (`<!-- skip: ... -->`, e.g. one that needs a GPU)
  becomes Markdown showing its code and the reason, so it cannot stop the run;
- a block whose page output is a traceback is tagged `raises-exception`, the tag
  Jupyter's runners (nbclient, nbconvert) honour for a cell that raises on purpose;
- a quiz block becomes a line pointing to the quick check on the web page;
- a figure declaration becomes its caption: the figure itself is the output of the
  cell above once it runs.

Admonitions (`!!! note "Title"`) and content tabs (`=== "Label"`) are unwrapped into a
bold title and their content, since Jupyter's Markdown has neither. The Markdown is
handed to jupytext (its `md` format, with `<!-- #region -->` markers around text
cells); the build then checks that the notebook's code cells are exactly the page's
runnable blocks, and stops with the page's name if they are not.
"""

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from ..page.fences import Fence, find_fences, line_of, split_lines
from ..page.figures import captions_only
from ..page.page_model import CodeBlock, Page, Problem, Quiz, Skip
from .colab import SETUP_TAG, colab_url, setup_source

CONTAINER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?|===\+?|===!)[ \t]+(?P<rest>.*?)[ \t]*$"
)
TITLE = re.compile(r'"(?P<title>[^"]*)"')
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
LINK_CLASS = "verified-notebook"  # the download links; the browser tests find them by it


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    tags: list[str] = field(default_factory=list)


def notebook_path(src_uri: str) -> str:
    """Where the notebook of the page at docs/`src_uri` is written, under the site."""
    return str(PurePosixPath(src_uri).with_suffix(".ipynb"))


def download_name(src_uri: str) -> str:
    """The file name a reader's browser saves: losses.ipynb, losses-mse.ipynb, home.ipynb."""
    stem = str(PurePosixPath(src_uri).with_suffix(""))
    stem = re.sub(r"(^|/)index$", "", stem).replace("/", "-")
    return f"{stem or 'home'}.ipynb"


def add_notebook(markdown: str, model: Page, page, config) -> str:
    """on_page_markdown: write the notebook of `model` and link it under the page's title."""
    src_uri = page.file.src_uri
    notebook = page_notebook(model)
    if notebook is None:
        return markdown
    target = Path(config.site_dir) / notebook_path(src_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(notebook), encoding="utf-8")
    href = get_relative_url(notebook_path(src_uri), page.url)
    colab = colab_url(config.extra.get("repository", ""), notebook_path(src_uri))
    return insert_link(markdown, href, download_name(src_uri), colab)


def notebook_links(href: str, filename: str, colab: str | None, text: str) -> str:
    """The download link of a notebook, and the Colab link where there is one."""
    opened = f' or <a href="{escape(colab)}">open it in Colab</a>' if colab else ""
    return (
        f'<p class="{LINK_CLASS}"><a href="{escape(href)}" download="{escape(filename)}">'
        f"{text}</a> (.ipynb: run it top to bottom in Jupyter){opened}</p>"
    )


def insert_link(markdown: str, href: str, filename: str, colab: str | None = None) -> str:
    """The page with the download link after its first `# Title` line (or at its top)."""
    link = notebook_links(href, filename, colab, "Download this page as a notebook")
    fenced = _fenced_lines(markdown, list(find_fences(markdown)))
    lines = split_lines(markdown)
    for number, line in enumerate(lines):
        if number not in fenced and re.match(r"^# \S", line):
            return "".join([*lines[: number + 1], "\n", link, "\n\n", *lines[number + 1 :]])
    return f"{link}\n\n{markdown}"


def page_notebook(page: Page) -> nbformat.NotebookNode | None:
    """The notebook of a page, or None when it has no block to run."""
    cells = page_cells(page)
    code = [cell for cell in cells if cell.kind == "code"]
    if not code:
        return None
    notebook = jupytext.reads(_jupytext_markdown(cells), fmt="md")
    read = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if [cell.source for cell in read] != [cell.source.rstrip("\n") for cell in code]:
        raise PluginError(
            f"{page.path}: the notebook's code cells differ from the page's Python blocks "
            f"({len(read)} cells for {len(code)} blocks); page_notebooks.py cannot convert it"
        )
    setup = nbformat.v4.new_code_cell(setup_source(), metadata={"tags": [SETUP_TAG]})
    notebook.cells.insert(1 if notebook.cells[0].cell_type == "markdown" else 0, setup)
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
        if cell.cell_type == "code":
            cell.metadata.pop("lines_to_next_cell", None)
            cell.outputs, cell.execution_count = [], None
    notebook.metadata = {
        "kernelspec": KERNEL,
        "language_info": {"name": "python"},
        "verified_docs": {"source": page.path},
    }
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def page_cells(page: Page) -> list[Cell]:
    """The cells of a page, in page order: text, code, text, ...

    The page model says what each part is (a block, its output, a skip and its reason);
    the text around the parts is the page's own, with containers unwrapped.
    """
    lines = unwrap_containers(page.text, _fenced_lines(page.text, page.fences))
    skipped = page.skip_reasons()
    # A problem stays as the page's text: the test run fails on it, the build's checks too.
    parts = {
        line_of(page.text, item.start) - 1: (index, item)
        for index, item in enumerate(page.items)
        if not isinstance(item.parsed, Problem)
    }
    cells: list[Cell] = []
    text: list[str] = []
    number = _first_body_line(page.text)
    while number < len(lines):
        if number not in parts:
            text.append(lines[number])
            number += 1
            continue
        index, item = parts[number]
        reason = skipped.get(index)
        if isinstance(item.parsed, CodeBlock) and reason is None:
            _flush(cells, text)
            tags = ["raises-exception"] if item.parsed.expects_error else []
            cells.append(Cell("code", item.parsed.source, tags))
        text.append(_markdown_of(item.parsed, reason))
        number = line_of(page.text, item.end - 1)
    _flush(cells, text)
    return cells


def _markdown_of(part: CodeBlock | Quiz | Skip, skip_reason: str | None) -> str:
    """What stands in the text for a part of the page (a block's code is a cell of its own)."""
    if isinstance(part, Skip):
        return ""
    if isinstance(part, Quiz):
        return "*The quick check for this page is on the web page.*\n"
    shown = f"Output on the page:\n\n```text\n{part.output.source}```\n" if part.output else ""
    if skip_reason is None:
        return shown
    code = f"*Not run in this notebook: {skip_reason}.*\n\n```python\n{part.source}```\n"
    return f"{code}\n{shown}" if shown else code


def unwrap_containers(text: str, fenced: set[int]) -> list[str]:
    """Each line of `text`, where admonitions and tabs become a bold title and their
    content is dedented to the margin; `fenced` holds the numbers of the fences' lines."""
    out, stack = [], []  # stack: the indent of each open container's content
    for number, line in enumerate(split_lines(text)):
        if not line.strip():
            out.append(line if number in fenced else "\n")
            continue
        indent = len(line) - len(line.lstrip(" "))
        if number not in fenced:
            while stack and indent < stack[-1]:
                stack.pop()
        depth = len(stack)
        dedented = line[4 * depth :] if line.startswith(" " * 4 * depth) else line.lstrip(" ")
        header = None if number in fenced else CONTAINER.match(line)
        if header is None:
            out.append(dedented)
            continue
        title = TITLE.search(header["rest"])
        words = header["rest"].split()
        name = title["title"] if title else (words[0].capitalize() if words else "")
        out.append(f"**{name}**\n" if name else "\n")
        stack.append(indent + 4)
    return out


def _fenced_lines(text: str, fences: list[Fence]) -> set[int]:
    """The 0-based numbers of the lines inside fences (opening and closing included)."""
    lines: set[int] = set()
    for fence in fences:
        first = line_of(text, fence.start) - 1
        last = line_of(text, max(fence.end - 1, fence.start)) - 1
        lines.update(range(first, last + 1))
    return lines


def _first_body_line(text: str) -> int:
    """The 0-based line after the page's front matter, which MkDocs reads as metadata."""
    body, _ = get_data(text)
    return line_of(text, len(text) - len(body)) - 1


def _flush(cells: list[Cell], text: list[str]) -> None:
    joined = captions_only("".join(text)).strip()
    text.clear()
    if joined:
        cells.append(Cell("markdown", joined + "\n"))


def _jupytext_markdown(cells: list[Cell]) -> str:
    parts = []
    for cell in cells:
        if cell.kind == "markdown":
            parts.append(f"<!-- #region -->\n{cell.source}<!-- #endregion -->\n")
        else:
            tags = f" tags={_json_list(cell.tags)}" if cell.tags else ""
            source = cell.source if cell.source.endswith("\n") else cell.source + "\n"
            parts.append(f"```python{tags}\n{source}```\n")
    return "\n".join(parts)


def _json_list(items: list[str]) -> str:
    return "[" + ",".join(f'"{item}"' for item in items) + "]"
