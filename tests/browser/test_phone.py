"""At a phone's width (390 px) no page scrolls sideways, except inside code and tables.

The page loaded for the dark scheme's tests is narrowed to a phone's width and back:
the layout follows the width through CSS media queries, as on a phone.

The page itself must not be wider than the screen, and no element of the article may
reach past the screen's right edge unless a scroll area holds it: a code block, a table
Material wraps in a scroll area, a wide formula, a row of tab labels, a notebook cell's output.
"""

from browsing import DESKTOP, PHONE

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page}px wide on a ${width}px screen`);
  const allowed = "pre, code, table, math, .highlight, .md-typeset__scrollwrap, "
    + ".md-typeset__table, .tabbed-labels, .jp-OutputArea-output, .jp-RenderedText, "
    + ".jp-InputArea-editor";
  for (const element of document.querySelectorAll("article.md-content__inner *")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= width + 1) continue;
    let holder = null;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll") { holder = up; break; }
    }
    if (holder && holder.matches(allowed)) continue;
    const name = element.tagName.toLowerCase() + (element.className && typeof element.className
      === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    const text = (element.textContent || "").trim().slice(0, 60);
    problems.push(`${name} reaches ${Math.round(box.right)}px`
      + (holder ? ` in a scroll area that is not code or a table (${holder.tagName})` : "")
      + `: "${text}"`);
  }
  return problems;
}"""


def test_no_sideways_scroll_on_a_phone(dark_page):
    dark_page.set_viewport_size(PHONE)
    try:
        problems = dark_page.evaluate(OVERFLOW)
    finally:
        dark_page.set_viewport_size(DESKTOP)
    assert not problems, "\n".join(problems[:15])
