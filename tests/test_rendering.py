"""Build-time rendering: output fences carry no copy button, math becomes MathML."""

from verified_docs.website.mathml import render_math
from verified_docs.website.output_html import format_output


def test_output_fence_is_titled_escaped_and_not_copyable():
    html = format_output("<tensor>\n", "output", "output", {}, None)
    assert 'class="highlight verified-output no-copy"' in html
    assert '<span class="filename">Output</span>' in html
    assert "&lt;tensor&gt;" in html


def test_inline_and_block_math_render_to_mathml_without_scripts():
    html = render_math(
        '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>'
        '<div class="arithmatex">\\[\\frac{1}{n}\\]</div>'
    )
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<mo>&#x0003C;</mo>" in html
    assert 'display="block"' in html
    assert "<mfrac>" in html
    assert "arithmatex" not in html
