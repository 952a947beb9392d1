"""In the dark scheme (and the light one) the quiz and the code blocks stay readable.

The code and output blocks of every page are measured, on the page's shared loads; the
quiz on the first page that has one, answered wrong and right, its answers revealed.

Readable is measured, not assumed from a class name: for every piece of text in a quiz
(its question, choices, verdict, explanation and answer, all revealed first) and in
every code and output block, the computed text colour is blended over the computed
backgrounds behind it, and the WCAG contrast ratio of the two must be at least 4.5.
"""

import re

import pytest
from browsing import ARTICLE, SCHEMES
from site_server import first_page_with, page_file

MINIMUM = 4.5
CODE_BLOCK = re.compile(r'class="(?:[^"]* )?highlight[ "]')  # not a notebook's highlight-ipynb

# How many pieces of text it measured, and those below `minimum`: only these cross over to
# Python (a page has thousands of tokens, whose transfer would take longer than measuring).
CONTRAST = """([selector, minimum]) => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) throw new Error("unparsed colour " + text);
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) =>
    [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  // What shows behind an element: its background over its parent's, down to an opaque
  // one (or white). Kept per element: thousands of tokens share a few code blocks'.
  const backdrops = new Map();
  const backdrop = (element) => {
    if (!element) return [255, 255, 255, 1];
    if (!backdrops.has(element)) {
      const colour = parse(getComputedStyle(element).backgroundColor);
      const below = colour[3] >= 1 ? null : backdrop(element.parentElement);
      backdrops.set(element, below === null ? colour
        : colour[3] > 0 ? over(colour, below) : below);
    }
    return backdrops.get(element);
  };
  const luminance = (c) => {
    const f = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const found = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    const texts = [];
    if ([...element.childNodes].some((n) => n.nodeType === 3 && n.data.trim()))
      texts.push([element.textContent.trim().slice(0, 50), style.color]);
    for (const pseudo of ["::before", "::after"]) {
      const p = getComputedStyle(element, pseudo);
      const content = p.content.replace(/^"|"$/g, "").trim();
      if (p.content !== "none" && content && !p.content.startsWith("url("))
        texts.push([`${pseudo} ${content}`, p.color]);
    }
    const background = backdrop(element);
    for (const [text, colour] of texts) {
      const value = ratio(over(parse(colour), background), background);
      found.push({ text, ratio: value, colour, background: background.slice(0, 3),
                   element: element.tagName.toLowerCase() + "." + element.className });
    }
  }
  return { checked: found.length, low: found.filter((item) => item.ratio < minimum) };
}"""


def low_contrast(page, selector: str) -> tuple[int, list[str]]:
    found = page.evaluate(CONTRAST, [selector, MINIMUM])
    low = [
        f"{item['ratio']:.2f}: {item['text']!r} ({item['element']}, {item['colour']} "
        f"on rgb{tuple(round(c) for c in item['background'])})"
        for item in found["low"]
    ]
    return found["checked"], low


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_quiz_is_readable(browse, site, nav, scheme):
    quiz_page = first_page_with(site, nav, 'class="quiz"') or pytest.fail("no page has a quiz")
    page = browse.open(quiz_page, scheme=scheme)
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    questions = page.locator(".quiz").first.locator("fieldset.quiz-question")
    for index, question in enumerate(questions.all()):  # a wrong answer, then a right one
        inputs = question.locator("input.quiz-choice")
        pick = "input:not([data-correct])" if index % 2 == 0 else "input[data-correct]"
        question.locator(pick).first.locator("xpath=ancestor::label").click()
        question.locator("button.quiz-check").click()
        question.locator("details.quiz-answer").evaluate("details => details.open = true")
        assert inputs.count() >= 2
    page.locator(".quiz-question").first.locator("label.quiz-option").first.hover()
    checked, low = low_contrast(page, ".quiz, .quiz *")
    assert checked > 20, f"only {checked} pieces of quiz text found"
    assert not low, "\n".join(low)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_code_and_output_blocks_are_readable(request, site, page_path, scheme):
    """Every highlighted token and output line of every page (axe leaves these to us)."""
    if not CODE_BLOCK.search(page_file(site, page_path).read_text("utf-8")):
        pytest.skip("no code or output block on this page")
    page = request.getfixturevalue(f"{scheme}_page")  # the page's one load, in that scheme
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    checked, low = low_contrast(page, f"{ARTICLE} .highlight, {ARTICLE} .highlight *")
    assert checked > 0, "no code text found"
    assert not low, "\n".join(low[:20])
