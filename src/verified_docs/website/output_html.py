"""Render an `output` fence: what the block above printed, titled and without a copy button.

The copy button would put output lines into the reader's clipboard next to the code;
`no-copy` keeps Material from adding one, so only runnable code is ever copied. An
output set in columns (a table, a matrix) keeps its lines on a phone and scrolls
sideways; other output wraps. A `measured` fence (one run's timings, whose numbers the
comparison leaves free) is titled as such, so that no reader takes its numbers for
checked ones.
"""

import re
from html import escape

from ..page.page_model import MEASURED
from ..page.rendering import surfaced

TITLE = "Output"
# Text set in columns: two spaces or more between words, or a row of a printed matrix.
COLUMNS = re.compile(r"\S {2,}\S|^ +\[", re.MULTILINE)
MEASURED_TITLE = "One run's measurements: they vary, and are not compared"


def validate_output(language: str, inputs: dict, options: dict, attrs: dict, md) -> bool:
    """SuperFences' validator: keeps `measured` for the formatter (the page model refuses
    any other attribute, naming the page and line)."""
    options.update(inputs)
    return True


@surfaced
def format_output(source: str, language: str, css_class: str, options, md, **kwargs) -> str:
    measured = MEASURED in options
    title = MEASURED_TITLE if measured else TITLE
    classes = "highlight verified-output no-copy" + (" verified-measured" if measured else "")
    if in_columns(source):
        classes += " verified-columns"
    return (
        f'<div class="{classes}">'
        f'<span class="filename">{title}</span>'
        f"<pre><code>{escape(source)}</code></pre></div>"
    )


def in_columns(source: str) -> bool:
    """Whether an output is a table or a matrix, whose lines a phone must not wrap: they
    scroll sideways in their box instead. Prose-like output wraps."""
    return len(COLUMNS.findall(source)) >= 2
