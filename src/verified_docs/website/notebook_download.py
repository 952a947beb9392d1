"""A download link on each notebook page (docs/**/*.ipynb, rendered by mkdocs-jupyter).

mkdocs-jupyter's `include_source: true` copies the notebook next to its page, but the
Material theme shows no link to it; this adds one under the notebook's title, with the
class of the guide pages' own notebook link (page_notebooks.LINK_CLASS).
"""

from pathlib import PurePosixPath

from mkdocs.utils import get_relative_url

from .colab import colab_url
from .page_notebooks import notebook_links


def link_source_notebook(html: str, page, config) -> str:
    """on_page_content: `html` with the link after its first </h1>, or at its top."""
    source = PurePosixPath(page.file.src_uri)
    if source.suffix != ".ipynb":
        return html
    # Where include_source copies it: beside the page's index.html.
    target = PurePosixPath(page.file.dest_uri).parent / source.name
    href = get_relative_url(str(target), page.url)
    colab = colab_url(config.extra.get("repository", ""), str(target))
    link = notebook_links(href, source.name, colab, "Download this notebook")
    head, found, rest = html.partition("</h1>")
    return f"{head}{found}{link}{rest}" if found else f"{link}{html}"
