"""Make an error in one of our superfences formatters stop the build, naming page and line.

pymdownx.superfences swallows any exception a custom formatter raises, except its own
SuperFencesException, and then shows the raw fence as if nothing were wrong. Each of our
formatters is wrapped with `surfaced`, which turns its error into a SuperFencesException
naming the page and the line of the fence. A formatter is given the fence's text only:
the build hook names the page whose Markdown is converted next (`rendering`), and the
formatter finds its fence there (`fence_location`).
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar

from pymdownx.superfences import SuperFencesException

from ..page.page_model import Page

RENDERED: ContextVar[Page | None] = ContextVar("rendered_page", default=None)


def rendering(page: Page) -> None:
    """Name the page whose Markdown is converted next."""
    RENDERED.set(page)


def surfaced(formatter: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(formatter)
    def format_fence(source: str, language: str, *args, **kwargs) -> str:
        try:
            return formatter(source, language, *args, **kwargs)
        except SuperFencesException:
            raise
        except Exception as error:
            raise SuperFencesException(
                f"{fence_location(source, language)}: the {language} fence cannot be "
                f"rendered: {type(error).__name__}: {error}"
            ) from error

    return format_fence


def fence_location(source: str, language: str) -> str:
    """page:line of the fence of `language` holding `source` on the page being rendered."""
    page = RENDERED.get()
    if page is None:
        return "<unknown page>"
    for fence in page.fences:
        if fence.language == language and fence.source.rstrip("\n") == source.rstrip("\n"):
            return f"{page.path}:{fence.line}"
    return page.path
