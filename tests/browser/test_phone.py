"""At a phone's width (390 px) no page scrolls sideways, except inside code and tables.

The page's shared load (conftest.py) is narrowed to a phone's width (`phone_page`):
the layout follows the width through CSS media queries, as on a phone.

The page itself must not be wider than the screen, and no element of the article may
reach past the screen's right edge unless a scroll area holds it: a code block, a table
Material wraps in a scroll area, a wide formula, a row of tab labels, a notebook cell's output.
"""

from browsing import PHONE

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


def test_no_sideways_scroll_on_a_phone(phone_page):
    assert phone_page.evaluate("() => window.innerWidth") == PHONE["width"]
    problems = phone_page.evaluate(OVERFLOW)
    assert not problems, "\n".join(problems[:15])


# An output box whose text is wider than the box must wrap or scroll, never be cut.
CUT_OUTPUTS = """() => [...document.querySelectorAll(
    ".verified-output pre > code, .jp-RenderedText pre")].filter(box => {
  const overflow = getComputedStyle(box).overflowX;
  return box.scrollWidth > box.clientWidth + 1 && overflow !== "auto" && overflow !== "scroll";
}).map(box => box.textContent.trim().slice(0, 60))"""

# Prose-like output wraps; only output set in columns (a table) may scroll sideways.
WIDEST_OUTPUT_LINE = """() => Math.max(0, ...[...document.querySelectorAll(
    ".verified-output:not(.verified-columns) pre > code")]
  .map(box => box.scrollWidth - box.clientWidth))"""
# Output set in columns keeps each line whole: as many lines drawn as it has.
WRAPPED_COLUMNS = """() => [...document.querySelectorAll(".verified-columns pre > code")]
  .filter(box => {
    const lines = box.textContent.replace(/\\n$/, "").split("\\n").length;
    const height = parseFloat(getComputedStyle(box).lineHeight);
    const drawn = Math.round((box.clientHeight - parseFloat(getComputedStyle(box).paddingTop)
      - parseFloat(getComputedStyle(box).paddingBottom)) / height);
    return drawn > lines || getComputedStyle(box).overflowX !== "auto";
  }).map(box => box.textContent.trim().slice(0, 60))"""


def test_outputs_are_not_cut_on_a_phone(phone_page):
    """At a phone's width each output box shows all its text: prose wrapped, a table or
    a matrix in its own scroll area, each of its lines whole."""
    cut = phone_page.evaluate(CUT_OUTPUTS)
    hidden = phone_page.evaluate(WIDEST_OUTPUT_LINE)
    wrapped = phone_page.evaluate(WRAPPED_COLUMNS)
    assert not cut, f"output boxes cut at a phone's width: {cut}"
    assert hidden <= 1, f"an output box hides {hidden}px sideways instead of wrapping"
    assert not wrapped, f"tables whose rows wrap at a phone's width: {wrapped}"


# A name in a table cell (`nn.CrossEntropyLoss`) is one word: one line, never split.
SPLIT_NAMES = """() => [...document.querySelectorAll("article td code, article th code")]
  .filter(code => !/\\s/.test(code.textContent.trim()) && code.getClientRects().length > 1)
  .map(code => code.textContent.trim())"""


def test_names_in_tables_are_not_split_on_a_phone(phone_page):
    split = phone_page.evaluate(SPLIT_NAMES)
    assert not split, f"names broken across lines in a table: {split}"
