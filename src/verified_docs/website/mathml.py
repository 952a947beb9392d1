"""Render the TeX that pymdownx.arithmatex marks up as MathML, at build time.

Browsers draw MathML themselves, so the site needs no MathJax or KaTeX from a CDN.
"""

import re

from latex2mathml.converter import convert

INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.+?)\\\)</span>', re.DOTALL)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.+?)\\\]</div>', re.DOTALL)


def render_math(html: str) -> str:
    html = BLOCK.sub(lambda m: _mathml(m["tex"], "block"), html)
    return INLINE.sub(lambda m: _mathml(m["tex"], "inline"), html)


# A function's name (\log, \exp, \tanh), which latex2mathml writes as a bare <mi> of
# several letters: TeX sets it off with a thin space on either side ("y log x", not
# "ylogx"), and the function application character tells a screen reader what it is.
FUNCTION_NAME = re.compile(r"<mi>(?P<name>[A-Za-z]{2,})</mi>")
THIN_SPACE = '<mspace width="0.1667em"></mspace>'


def _mathml(tex: str, display: str) -> str:
    mathml = convert(_unescape(tex), display=display)
    return FUNCTION_NAME.sub(
        lambda m: f"{THIN_SPACE}<mi>{m['name']}</mi><mo>&#x2061;</mo>{THIN_SPACE}", mathml
    )


def _unescape(tex: str) -> str:
    return tex.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
