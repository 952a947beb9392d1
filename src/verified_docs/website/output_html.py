"""Render an `output` fence: what the block above printed, titled and without a copy button.

The copy button would put output lines into the reader's clipboard next to the code;
`no-copy` keeps Material from adding one, so only runnable code is ever copied.
"""

from html import escape

from .formatter_errors import surfaced


@surfaced
def format_output(source: str, language: str, css_class: str, options, md, **kwargs) -> str:
    return (
        '<div class="highlight verified-output no-copy">'
        '<span class="filename">Output</span>'
        f"<pre><code>{escape(source)}</code></pre></div>"
    )
