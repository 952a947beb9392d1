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


def test_a_function_name_is_set_off_by_thin_spaces():
    html = render_math('<span class="arithmatex">\\(y \\log \\hat y\\)</span>')
    assert (
        '<mi>y</mi><mspace width="0.1667em"></mspace><mi>log</mi><mo>&#x2061;</mo>'
        '<mspace width="0.1667em"></mspace><mover'
    ) in html


def test_an_output_in_columns_scrolls_and_prose_wraps():
    table = "step  loss\n   1  2.30\n   2  1.10\n"
    assert "verified-columns" in format_output(table, "output", "output", {}, None)
    prose = "The loss is 2.30 after one step and falls.\nIt keeps falling.\n"
    assert "verified-columns" not in format_output(prose, "output", "output", {}, None)
