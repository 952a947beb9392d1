"""Figures: a block's drawing is checked against the SVG its page shows, and the build
refuses a figure without alt text, caption or file."""

import textwrap
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError
from sample_projects import verify as verify_page

from verified_docs.page.figures import captions_only
from verified_docs.page.page_model import parse_page
from verified_docs.verifier.figure_svg import dark_variant, drawing_difference
from verified_docs.verifier.output_rewrite import PageUpdates
from verified_docs.website.figure_build import check_declarations, show_per_scheme
from verified_docs.website.page_notebooks import page_notebook

PAGE = """
```python
import matplotlib.pyplot as plt

plt.plot([0, 1, 2], {ys})
plt.show()
```

![A line rising from 0 to 2.](figures/line.svg)

/// caption
A straight line.
///
"""


def verify(root: Path, page: str, update: bool = False) -> list[str]:
    """The failures of every example of `page`, written as docs/page.md under `root`."""
    return verify_page(root, page, PageUpdates() if update else None).failures


def test_the_update_run_writes_the_figure_and_the_next_run_passes(tmp_path):
    assert verify(tmp_path, PAGE.format(ys="[0, 1, 2]"), update=True) == []
    svg = (tmp_path / "docs" / "figures" / "line.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg
    assert verify(tmp_path, PAGE.format(ys="[0, 1, 2]")) == []


def test_a_changed_plotting_line_fails_naming_page_and_line(tmp_path):
    verify(tmp_path, PAGE.format(ys="[0, 1, 2]"), update=True)
    [failure] = verify(tmp_path, PAGE.format(ys="[0, 1, 3]"))
    assert failure.startswith(
        "docs/page.md:9: the figure figures/line.svg differs from what the block at line 2 draws"
    )
    assert "was:" in failure and "now:" in failure


def test_the_same_drawing_twice_gives_the_same_bytes(tmp_path):
    verify(tmp_path, PAGE.format(ys="[0, 1, 2]"), update=True)
    first = (tmp_path / "docs" / "figures" / "line.svg").read_bytes()
    (tmp_path / "docs" / "figures" / "line.svg").unlink()
    verify(tmp_path, PAGE.format(ys="[0, 1, 2]"), update=True)
    assert (tmp_path / "docs" / "figures" / "line.svg").read_bytes() == first


def test_a_missing_file_fails_outside_the_update_run(tmp_path):
    [failure] = verify(tmp_path, PAGE.format(ys="[0, 1, 2]"))
    assert failure.startswith("docs/page.md:9: figure file figures/line.svg not found")


def test_a_figure_drawn_but_not_declared_fails(tmp_path):
    page = PAGE.format(ys="[0, 1, 2]").split("![")[0]
    [failure] = verify(tmp_path, page, update=True)
    assert failure.startswith("docs/page.md:2: the block draws 1 figure(s) but the page declares 0")


def test_a_declaration_without_caption_or_alt_text_fails(tmp_path):
    page = PAGE.format(ys="[0, 1, 2]").replace("A line rising from 0 to 2.", "")
    page = page.replace("/// caption\nA straight line.\n///\n", "")
    [failure] = verify(tmp_path, page, update=True)
    assert "docs/page.md:9: figure has no alt text" in failure
    assert "docs/page.md:9: figure has no caption" in failure


def test_each_block_shows_only_the_figures_it_draws(tmp_path):
    page = PAGE.format(ys="[0, 1, 2]") + "\n```python\nx = 1\n```\n"
    assert verify(tmp_path, page, update=True) == []


def test_coordinates_may_move_by_a_hundredth_of_a_point_and_no_more():
    line = b'<path d="M 10.5 20.25 L 30 40"/>\n'
    assert drawing_difference(line, line.replace(b"20.25", b"20.251")) is None
    assert "line 1 of the SVG differs" in drawing_difference(line, line.replace(b"20.25", b"20.3"))
    assert drawing_difference(line, line.replace(b"path", b"rect")) is not None


def test_the_dark_twin_inverts_greys_and_keeps_colours():
    svg = b'<style type="text/css">*{}</style><path style="stroke: #000000; fill: #2b7cee"/>'
    dark = dark_variant(svg)
    assert b"stroke: #ffffff" in dark and b"fill: #2b7cee" in dark
    assert b"svg{fill:#ffffff}" in dark  # matplotlib's black text carries no fill


def build_page(root: Path, page: str) -> tuple[str, Path]:
    path = root / "docs" / "page.md"
    path.parent.mkdir(exist_ok=True)
    markdown = textwrap.dedent(page)
    path.write_text(markdown, encoding="utf-8")
    return markdown, path


def test_the_build_refuses_a_figure_whose_file_is_missing(tmp_path):
    markdown, path = build_page(tmp_path, PAGE.format(ys="[0, 1, 2]"))
    with pytest.raises(PluginError, match=r"^docs/page.md:9: figure file figures/line.svg"):
        check_declarations(markdown, path, "docs/page.md")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("A line rising from 0 to 2.", ""), "has no alt text"),
        (("A straight line.", ""), "has no caption"),
        (("plt.show()\n```\n", "plt.show()\n```\n\nSome text.\n"), "is not right below"),
    ],
)
def test_the_build_refuses_an_incomplete_declaration(tmp_path, change, message):
    markdown, path = build_page(tmp_path, PAGE.format(ys="[0, 1, 2]").replace(*change))
    (tmp_path / "docs" / "figures").mkdir()
    (tmp_path / "docs" / "figures" / "line.svg").write_text("<svg/>")
    with pytest.raises(PluginError, match=rf"^docs/page.md:\d+: figure .*{message}"):
        check_declarations(markdown, path, "docs/page.md")


def test_the_page_shows_one_image_per_scheme():
    shown = show_per_scheme(textwrap.dedent(PAGE.format(ys="[0, 1, 2]")))
    expected = (
        "![A line rising from 0 to 2.](figures/line.svg#only-light)"
        "![A line rising from 0 to 2.](figures/line.dark.svg#only-dark)\n"
    )
    assert expected in shown


def test_the_notebook_keeps_the_code_and_the_caption(tmp_path):
    markdown = textwrap.dedent(PAGE.format(ys="[0, 1, 2]"))
    assert captions_only(markdown).endswith("```\n\n*Figure: A straight line.*\n")
    notebook = page_notebook(parse_page(markdown, "docs/page.md", tmp_path))
    [_, code] = [cell for cell in notebook.cells if cell.cell_type == "code"]  # setup, block
    assert "plt.show()" in code.source
    assert notebook.cells[-1].source == "*Figure: A straight line.*"
