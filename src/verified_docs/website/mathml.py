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


def _mathml(tex: str, display: str) -> str:
    return convert(_unescape(tex), display=display)


def _unescape(tex: str) -> str:
    return tex.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
