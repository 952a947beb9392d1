"""Check the figures a block draws against the SVG files its page shows below it.

After each block runs, the figures it left open in matplotlib.pyplot are saved as SVG
(`figure_svg.py`), closed, and compared in order with the figures the page declares
under the block (`figures.py`). A figure drawn but not declared, declared but not drawn,
or drawn differently fails with the page and line, as a wrong output does; in the update
run (`nox -s update-outputs`) a differing or missing file is written instead.
"""

import sys
from pathlib import Path

from ..page.figures import FigureMark, figures_after, problems
from .figure_svg import MAX_BYTES, drawing_difference, figure_svg

UPDATE_HINT = "`nox -s update-outputs` rewrites it from this run"


def check_figures(block, text: str, page_path: str, update: bool) -> str | None:
    """Compare what `block` drew with what the page shows; None when they agree."""
    drawn = _drawn_figures()
    end = (block.output or block.fence).end
    marks = figures_after(text, end)
    if len(drawn) != len(marks):
        return (
            f"{block.where}: the block draws {len(drawn)} figure(s) but the page declares "
            f"{len(marks)} below it; declare each as ![alt text](figures/NAME.svg) followed "
            "by a `/// caption` block"
        )
    found = []
    for mark, svg in zip(marks, drawn, strict=True):
        found += [f"{block.page}:{mark.line}: figure {problem}" for problem in problems(mark)]
        if len(svg) > MAX_BYTES:
            found.append(
                f"{block.page}:{mark.line}: the figure is {len(svg) / 1000:.1f} KB of SVG; keep "
                f"it under {MAX_BYTES // 1000} KB (fewer points, fewer labels)"
            )
        problem = _compare(block, mark, Path(page_path).parent / mark.path, svg, update)
        if problem:
            found.append(problem)
    return "\n".join(found) or None


def _drawn_figures() -> list[bytes]:
    """The SVG of each figure left open, closed after, so each block shows its own."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    drawn = [figure_svg(pyplot.figure(number)) for number in pyplot.get_fignums()]
    pyplot.close("all")
    return drawn


def _compare(block, mark: FigureMark, path: Path, svg: bytes, update: bool) -> str | None:
    where = f"{block.page}:{mark.line}"
    if not path.is_file():
        if update:
            _write(path, svg)
            return None
        return f"{where}: figure file {mark.path} not found; {UPDATE_HINT}"
    difference = drawing_difference(path.read_bytes(), svg)
    if difference is None:
        return None
    if update:
        _write(path, svg)
        return None
    return (
        f"{where}: the figure {mark.path} differs from what the block at line "
        f"{block.fence.line} draws; {UPDATE_HINT}\n{difference}"
    )


def _write(path: Path, svg: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(svg)
