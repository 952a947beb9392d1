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
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from .fences import find_fences, line_of
from .figures import captions_only
from .outputs import TRACEBACK_HEADER
from .snippets import SnippetError, expand

CONTAINER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?|===\+?|===!)[ \t]+(?P<rest>.*?)[ \t]*$"
)
TITLE = re.compile(r'"(?P<title>[^"]*)"')
SKIP = re.compile(r"<!--\s*skip:\s*(?P<action>\w+)(?:\s+(?P<arguments>.*?))?\s*-->", re.DOTALL)
REASON = re.compile(
    r"""reason\s*=\s*(?P<q>["'])(?P<reason>.*?)(?P=q)|^(?P<q2>["'])(?P<r2>.*)(?P=q2)$"""
)
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
LINK_CLASS = "verified-notebook"


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


def add_notebook(markdown: str, page, config) -> str:
    """on_page_markdown: write the page's notebook and link it under the page's title."""
    src_uri = page.file.src_uri
    if not src_uri.endswith(".md"):
        return markdown
    root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    notebook = page_notebook(markdown, root, f"docs/{src_uri}")
    if notebook is None:
        return markdown
    target = Path(config.site_dir) / notebook_path(src_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(notebook), encoding="utf-8")
    href = get_relative_url(notebook_path(src_uri), page.url)
    return insert_link(markdown, href, download_name(src_uri))


def insert_link(markdown: str, href: str, filename: str) -> str:
    """The page with the download link after its first `# Title` line (or at its top)."""
    link = (
        f'<p class="{LINK_CLASS}"><a href="{href}" download="{filename}">'
        "Download this page as a notebook</a> (.ipynb: run it top to bottom in Jupyter)</p>"
    )
    fenced = _fenced_lines(markdown)
    lines = markdown.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if number not in fenced and re.match(r"^# \S", line):
            return "".join([*lines[: number + 1], "\n", link, "\n\n", *lines[number + 1 :]])
    return f"{link}\n\n{markdown}"


def page_notebook(markdown: str, root: Path, where: str) -> nbformat.NotebookNode | None:
    """The notebook of a page's Markdown, or None when it has no block to run."""
    cells = page_cells(unwrap_containers(markdown), root, where)
    code = [cell for cell in cells if cell.kind == "code"]
    if not code:
        return None
    notebook = jupytext.reads(_jupytext_markdown(cells), fmt="md")
    read = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if [cell.source for cell in read] != [cell.source.rstrip("\n") for cell in code]:
        raise PluginError(
            f"{where}: the notebook's code cells differ from the page's Python blocks "
            f"({len(read)} cells for {len(code)} blocks); page_notebooks.py cannot convert it"
        )
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
        if cell.cell_type == "code":
            cell.metadata.pop("lines_to_next_cell", None)
            cell.outputs, cell.execution_count = [], None
    notebook.metadata = {
        "kernelspec": KERNEL,
        "language_info": {"name": "python"},
        "verified_docs": {"source": where},
    }
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    nbformat.validate(notebook)
    return notebook


def page_cells(markdown: str, root: Path, where: str) -> list[Cell]:
    """The cells of a page whose containers are unwrapped: text, code, text, ..."""
    cells: list[Cell] = []
    text: list[str] = []
    skipping = skip_next = None
    position = 0
    fences = list(find_fences(markdown))
    for index, fence in enumerate(fences):
        before = markdown[position : fence.start]
        for match in SKIP.finditer(before):
            action, reason = match["action"], _reason(match["arguments"])
            if action == "next":
                skip_next = reason
            elif action == "start":
                skipping = reason
            elif action == "end":
                skipping = None
        text.append(captions_only(SKIP.sub("", before)))
        position = fence.end
        if fence.language == "python":
            location = f"{where}:{line_of(markdown, fence.start)}"
            try:
                source = expand(fence.source, root, location)
            except SnippetError as error:
                raise PluginError(str(error)) from None
            reason = skip_next if skip_next is not None else skipping
            skip_next = None
            if reason is not None:
                note = f"*Not run in this notebook: {reason}.*" if reason else "*Not run here.*"
                text.append(f"{note}\n\n```python\n{source}```\n")
                continue
            following = fences[index + 1] if index + 1 < len(fences) else None
            raises = (
                following is not None
                and following.language == "output"
                and not markdown[fence.end : following.start].strip()
                and TRACEBACK_HEADER in following.source
            )
            _flush(cells, text)
            cells.append(Cell("code", source, ["raises-exception"] if raises else []))
        elif fence.language == "output":
            text.append(f"Output on the page:\n\n```text\n{fence.source}```\n")
        elif fence.language == "quiz":
            text.append("*The quick check for this page is on the web page.*\n")
        else:
            text.append(markdown[fence.start : fence.end])
    text.append(captions_only(SKIP.sub("", markdown[position:])))
    _flush(cells, text)
    return cells


def unwrap_containers(markdown: str) -> str:
    """Admonitions and tabs as a bold title and their content, dedented to the margin."""
    fenced = _fenced_lines(markdown)
    out, stack = [], []  # stack: the indent of each open container's content
    for number, line in enumerate(markdown.splitlines(keepends=True)):
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
    return "".join(out)


def _fenced_lines(markdown: str) -> set[int]:
    """The 0-based numbers of the lines inside fences (opening and closing included)."""
    lines: set[int] = set()
    for fence in find_fences(markdown):
        first = line_of(markdown, fence.start) - 1
        last = line_of(markdown, max(fence.end - 1, fence.start)) - 1
        lines.update(range(first, last + 1))
    return lines


def _reason(arguments: str | None) -> str | None:
    """The reason of a skip directive ("" when it gives none); None for a bare `skip`."""
    if arguments is None:
        return ""
    arguments = arguments.strip()
    match = REASON.search(arguments)
    if match:
        return match["reason"] if match["reason"] is not None else match["r2"]
    return arguments


def _flush(cells: list[Cell], text: list[str]) -> None:
    joined = "".join(text).strip()
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
