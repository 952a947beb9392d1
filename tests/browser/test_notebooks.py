"""Each page with code can be downloaded as a notebook that runs top to bottom.

The notebook's code cells must be the page's Python blocks, as shown and copied, in
order. One notebook is then executed in Jupyter (nbclient, the python3 kernel): what each
cell prints is compared with the output the page shows, kept in the notebook under the
cell, and each cell that draws a figure must show it. One is enough, as the others are
made the same way from blocks the test session ran: the quickest of a page with figures.
"""

import re
from itertools import pairwise
from urllib.parse import urljoin

import nbformat
import pytest
from nbclient import NotebookClient
from site_server import ROOT, figure_pages, page_file, page_source

from verified_docs.page.page_model import read_page
from verified_docs.test_run.run_order import recorded_seconds
from verified_docs.verifier.block_run import Run
from verified_docs.verifier.output_check import difference
from verified_docs.website.colab import SETUP_TAG

LINK = "a:has-text('Download this page as a notebook')"
OUTPUT = re.compile(r"^Output on the page:\n\n```text\n(?P<text>.*?)```", re.DOTALL | re.MULTILINE)


def has_code(site, page_path) -> bool:
    html = page_file(site, page_path).read_text(encoding="utf-8")
    return re.search(r'<div class="language-python highlight"', html) is not None


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
    """The notebook's code cells are the page's Python blocks in order, as the page model
    reads them (test_copy.py checks that the page shows those), but for a quiz's code and
    the blocks the test run skips."""
    if not has_code(site, page_path):
        pytest.skip("no Python block on this page")
    page = light_page
    notebook = download_notebook(page, page.locator(LINK))
    cells = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and SETUP_TAG not in cell.metadata.get("tags", [])
    ]
    model = read_page(page_source(page_path), ROOT)
    run = [block.source.rstrip("\n") for block in model.blocks if not model.reason_skipped(block)]
    assert cells == run, "the notebook's code cells are not the page's blocks"
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


def test_a_notebook_runs_top_to_bottom_printing_and_drawing_what_its_page_shows(
    site, server, pages, browse, tmp_path, monkeypatch
):
    """The notebook of the page with figures that ran quickest in the test session (its
    seconds in verified.json), downloaded from the site and run in Jupyter."""
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline, as a reader's
    seconds = recorded_seconds(ROOT)
    quickest = min(figure_pages(site, pages), key=lambda p: seconds[recorded_name(p)])
    html = page_file(site, quickest).read_text(encoding="utf-8")
    [href] = re.findall(r'class="verified-notebook"><a href="([^"]+)"', html)
    response = browse.context().request.get(urljoin(server(quickest), href))
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError at a cell that fails unexpectedly
    problems, compared, drawn = [], 0, 0
    for index, (cell, following) in enumerate(pairwise(notebook.cells)):
        if cell.cell_type != "code" or following.cell_type != "markdown":
            continue
        shown = OUTPUT.match(following.source)
        if shown is not None:
            compared += 1
            diff = difference(shown["text"], printed(cell))
            if diff:
                problems.append(f"{href}, cell {index}:\n{cell.source}\n--> {diff}")
        if re.search(r"^\*Figure: ", following.source, re.MULTILINE):  # under any output
            drawn += 1
            images = [out for out in cell.outputs if "image/png" in out.get("data", {})]
            if len(images) != 1:
                problems.append(f"{href}, cell {index}: draws {len(images)} images, not 1")
    print(f"{href}: {compared} outputs compared, {drawn} figures drawn")
    assert compared and drawn, f"{href}: nothing to compare, or no figure caption"
    assert not problems, "\n\n".join(problems)


def recorded_name(page_path: str) -> str:
    """The page's name in the verification record: docs/....md."""
    return page_source(page_path).relative_to(ROOT).as_posix()


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
