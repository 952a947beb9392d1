"""Show, on a built page, what each Python block takes from the blocks above it, and
which blocks the test suite does not run.

Every Python block gets an anchor (`id="block-N"`, N counting the page's Python blocks
from 1). A block the test run skips gets, above it, a label with the reason; an output
box under it (a block skipped only where it cannot run) is titled as not checked. A
block that needs earlier blocks (page/standalone_copy.py) gets, above it, a note that
links each name it uses to the block it comes from, and a second copy button that
copies its standalone copy. The button is in the HTML, hidden, holding the copy in
`data-clipboard-text`, which Material's own clipboard handling copies on a click;
docs/assets/standalone.js shows it beside Material's copy button once that exists.
"""

import re
from html import escape

from ..page.page_model import PYTHON, Page
from ..page.standalone_copy import Need, StandaloneCopy, standalone_copies
from ..page.torch_effects import FILE

PYTHON_HTML = re.compile(r'<div class="language-python highlight">')
OUTPUT_TITLE = '<div class="highlight verified-output no-copy"><span class="filename">Output</span>'
NOT_CHECKED = (
    '<div class="highlight verified-output verified-not-checked no-copy">'
    '<span class="filename">Output not checked: the test suite has not run this block</span>'
)
NOT_RUN = "Not run by the test suite: "
BUTTON_LABEL = "Copy with the code it needs from above"
# The figure style every figure uses (snippets/figure_style.py): folded, as it says nothing
# about the page, yet there for the reader who wants it and in every copy that needs it.
SHARED_STYLE = re.compile(
    r'<div class="language-python highlight" id="block-\d+">'
    r'<span class="filename">figure_style\.py</span>.*?</pre></div>',
    re.DOTALL,
)
SHARED_SUMMARY = "The figure style of this site (colours and sizes), which the figures below use"


def add_standalone_copies(html: str, page: Page) -> str:
    """`html` with the anchors, the notes and the buttons of `page`'s Python blocks."""
    python_fences = [fence for fence in page.fences if fence.language == PYTHON]
    anchors = {id(fence): f"block-{number}" for number, fence in enumerate(python_fences, 1)}
    copies = {id(copy.block.fence): copy for copy in standalone_copies(page).values()}
    matches = list(PYTHON_HTML.finditer(html))
    if len(matches) != len(python_fences):  # block_accounting reports it first
        return html
    blocks = list(zip(matches, [copies.get(id(fence)) for fence in python_fences], strict=True))
    html = _retitle_unchecked_outputs(html, blocks)
    matches = list(PYTHON_HTML.finditer(html))  # where they are after that
    parts, end = [], 0
    for match, fence in zip(matches, python_fences, strict=True):
        copy = copies.get(id(fence))
        anchor = anchors[id(fence)]
        parts.append(html[end : match.start()])
        if copy is not None and copy.skipped is not None:
            parts.append(f'<p class="verified-not-run">{NOT_RUN}{escape(copy.skipped)}.</p>')
        if copy is not None and copy.continues:
            parts.append(continues_note(copy, anchors))
        parts.append(f'<div class="language-python highlight" id="{anchor}">')
        if copy is not None and copy.continues:
            parts.append(copy_button(copy))
        end = match.end()
    return fold_shared_style("".join(parts) + html[end:])


def fold_shared_style(html: str) -> str:
    """`html` with the figure-style block in a closed <details>."""
    return SHARED_STYLE.sub(
        lambda block: (
            f'<details class="verified-shared"><summary>{SHARED_SUMMARY}</summary>'
            f"{block.group()}</details>"
        ),
        html,
    )


def _retitle_unchecked_outputs(html: str, blocks: list[tuple[re.Match, StandaloneCopy | None]]):
    """`html` with the output box under each skipped block titled as not checked."""
    for match, copy in reversed(blocks):  # from the end: earlier offsets stay valid
        if copy is not None and copy.skipped is not None and copy.block.output is not None:
            at = html.index(OUTPUT_TITLE, match.end())  # its output box, next after it
            html = html[:at] + NOT_CHECKED + html[at + len(OUTPUT_TITLE) :]
    return html


def continues_note(copy: StandaloneCopy, anchors: dict[int, str]) -> str:
    """ "Continues from above: uses model, loss_fn", each name linking to its block.

    Imports are copied too, but named only when the block needs nothing else."""
    shown = [need for need in copy.needs if not need.imported] or copy.needs
    links = [f'<a href="#{anchors[id(need.source.fence)]}">{need_text(need)}</a>' for need in shown]
    return f'<p class="verified-continues">Continues from above: uses {", ".join(links)}</p>'


def need_text(need: Need) -> str:
    """A name or file as code; a random state in words."""
    if need.key.startswith(FILE) or " " not in need.key:
        return f"<code>{escape(need.label)}</code>"
    return escape(need.key)


def copy_button(copy: StandaloneCopy) -> str:
    return (
        f'<button class="md-code__button verified-copy-standalone" type="button" hidden '
        f'title="{BUTTON_LABEL}" aria-label="{BUTTON_LABEL}" '
        f'data-clipboard-text="{escape(copy.text, quote=True)}"></button>'
    )
