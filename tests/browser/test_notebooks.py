"""Each page with code can be downloaded as a notebook that runs top to bottom.

The notebook's code cells must be the page's Python blocks, as shown and copied, in
order. The smallest notebook on the site is then executed in Jupyter (nbclient, the
python3 kernel) and what each cell prints is compared with the output the page shows,
kept in the notebook under the cell.
"""

import json
import re

import nbformat
import pytest
from browsing import PAGE_BLOCKS
from nbclient import NotebookClient
from site_server import page_file

from verified_docs.checking.block_run import Run
from verified_docs.checking.output_check import difference

LINK = "a:has-text('Download this page as a notebook')"
OUTPUT = re.compile(r"^Output on the page:\n\n```text\n(?P<text>.*?)```", re.DOTALL | re.MULTILINE)


def has_code(site, page_path) -> bool:
    html = page_file(site, page_path).read_text(encoding="utf-8")
    return re.search(r'<div class="language-python highlight">', html) is not None


def download_notebook(page, link):
    """Click the one visible notebook link; the valid notebook it downloads."""
    assert link.count() == 1 and link.is_visible(), "no visible notebook link"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".ipynb")
    notebook = nbformat.reads(download.value.path().read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    return notebook


def test_page_offers_its_notebook(light_page, site, page_path):
    if not has_code(site, page_path):
        pytest.skip("no Python block on this page")
    page = light_page
    link = page.locator(LINK)
    notebook = download_notebook(page, link)
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    # The blocks a reader runs: not a quiz's code, not one the suite skips here.
    blocks = [
        block["shown"].rstrip("\n")
        for block in page.evaluate(PAGE_BLOCKS)
        if not block["quiz"] and block["skipped"] is None
    ]
    assert cells == blocks, "the notebook's code cells are not the page's blocks"
    assert page.monitor.problems == []


def test_notebook_page_offers_its_notebook(light_page, site, page_path):
    """A page rendered from docs/**/*.ipynb links the notebook itself, which downloads."""
    if "jupyter-wrapper" not in page_file(site, page_path).read_text(encoding="utf-8"):
        pytest.skip("not a notebook page")
    page = light_page
    link = page.locator("a:has-text('Download this notebook')")
    notebook = download_notebook(page, link)
    assert any(cell.cell_type == "code" for cell in notebook.cells)
    assert page.monitor.problems == []


def notebooks(site) -> list:
    """The site's notebooks, the guide's pages before the home page's, smallest first."""
    home = site / "index.ipynb"
    return sorted(
        site.rglob("*.ipynb"),
        key=lambda path: (path == home, code_cells(path), path.stat().st_size),
    )


def code_cells(path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


def test_smallest_notebook_runs_top_to_bottom(site, server, tmp_path, browse):
    found = notebooks(site)
    assert found, "the site has no notebook"
    smallest = found[0].relative_to(site).as_posix()
    response = browse.context().request.get(server(smallest))
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError at a cell that fails unexpectedly
    problems, compared = [], 0
    for index, cell in enumerate(notebook.cells):
        following = notebook.cells[index + 1] if index + 1 < len(notebook.cells) else None
        if cell.cell_type != "code" or following is None:
            continue
        shown = OUTPUT.match(following.source) if following.cell_type == "markdown" else None
        if shown is None:
            continue
        compared += 1
        diff = difference(shown["text"], printed(cell))
        if diff:
            problems.append(f"{smallest}, cell {index}:\n{cell.source}\n--> {diff}")
    print(f"{smallest}: {code_cells(found[0])} code cells run, {compared} outputs compared")
    assert not problems, "\n\n".join(problems)


def printed(cell) -> Run:
    """A cell's outputs as the test suite's Run: what it printed and what it raised."""
    stdout = "".join(
        o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"
    )
    for output in cell.outputs:
        if output.output_type == "error":
            summary = f"{output.ename}: {output.evalue}\n"
            return Run(stdout, f"Traceback (most recent call last):\n  (cell)\n{summary}", summary)
    return Run(stdout)
