"""The build side of figures: refuse an incomplete declaration, show one SVG per scheme.

Every figure a page declares (`figures.py`) must have alt text, a caption and its SVG
file, and sit right under a Python block (or its output): otherwise the build stops,
naming the page and line. Each committed `figures/NAME.svg` gets a generated twin
`figures/NAME.dark.svg` (`figure_svg.dark_variant`), and the page shows the light one
in the light scheme and the dark one in the dark scheme (Material's `#only-light` and
`#only-dark`).
"""

from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..page.fences import find_fences
from ..page.figures import page_figures, problems
from ..verifier.figure_svg import dark_variant

DARK_SUFFIX = ".dark.svg"
CODE = ("python", "output")  # the fences a figure may sit right under


def dark_name(path: str) -> str:
    return str(PurePosixPath(path).with_suffix(DARK_SUFFIX))


def add_dark_variants(files: Files, config) -> Files:
    """on_files: a generated dark twin for each committed figure."""
    for file in list(files):
        uri = PurePosixPath(file.src_uri)
        committed = uri.suffix == ".svg" and not file.src_uri.endswith(DARK_SUFFIX)
        if committed and "figures" in uri.parts:
            content = dark_variant(Path(file.abs_src_path).read_bytes())
            files.append(File.generated(config, dark_name(file.src_uri), content=content))
    return files


def check_declarations(markdown: str, page_path: Path, where: str) -> None:
    """on_page_markdown: stop the build at the first incomplete figure declaration."""
    below = {fence.end for fence in find_fences(markdown) if fence.language in CODE}
    for mark in page_figures(markdown):
        found = problems(mark)
        if not (page_path.parent / mark.path).is_file():
            found.append(f"file {mark.path} not found; `nox -s update-outputs` writes it")
        if mark.follows not in below:
            found.append("is not right below the Python block that draws it (or its output)")
        if found:
            raise PluginError(f"{where}:{mark.line}: figure {'; '.join(found)}")
        below.add(mark.end)


def show_per_scheme(markdown: str) -> str:
    """on_page_markdown: each figure as its light and its dark image, one per scheme."""
    for mark in reversed(page_figures(markdown)):
        images = (
            f"{mark.indent}![{mark.alt}]({mark.path}#only-light)"
            f"![{mark.alt}]({dark_name(mark.path)}#only-dark)"
        )
        markdown = markdown[: mark.start] + images + markdown[mark.image_end :]
    return markdown
