"""What a copy button copies is, character for character, the code the verifier ran.

For each page, every Python block's copy button is clicked and the clipboard read. The
blocks the page shows, in order, must be the blocks the verifier's own parser finds in
the page's Markdown (verified_docs.page.page_model.read_page, snippets expanded): each
copied text is that block's source, and each Output box is the output fence the test
session compared with what the block printed (all but the line break that ends a
block). A quiz's code copies as the quiz's `code`, which the test session ran and found
to print the right answer, the answer the page marks right. Nothing runs here: `nox -s
tests` ran all of it, so a copied block behaves as it did there. Copy buttons on other
languages (shell commands) are listed, and none may sit on an Output box.
"""

import pytest
from browsing import PAGE_BLOCKS
from site_server import ROOT, page_file, page_source

from verified_docs.page.page_model import CodeBlock, read_page
from verified_docs.page.standalone_copy import standalone_copies
from verified_docs.quiz.schema import Question, parse_quiz, plain_text

SENTINEL = "(nothing copied yet)"
STANDALONE_LABEL = "Copy with the code it needs from above"

# The language of each block with a copy button that is not Python (a shell command).
OTHER_COPY_BUTTONS = """() => [...document.querySelectorAll("button[data-md-type=copy]")]
  .map((button) => button.closest(".highlight"))
  .filter((block) => !block || !block.matches(".language-python"))
  .map((block) => block ? block.className : "(not in a code block)")"""

# Click each button in turn, as a reader would, and read the clipboard after each click.
# First the block is made visible (its <details> opened, its content tab selected) and
# the button scrolled into view; as for Playwright's click, the button must have a size
# and be the element at its centre, not covered. The result per button: what it copied,
# or why it could not be clicked or copied nothing within 5 s.
CLICK_EACH = """async ([buttons, sentinel]) => {
  const reveal = (element) => {
    for (let node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.classList.contains("tabbed-block")) {
        const set = node.closest(".tabbed-set");
        const index = [...node.parentElement.children].indexOf(node);
        set.querySelectorAll(":scope > input")[index].click();
      }
    }
  };
  const results = [];
  for (const selector of buttons) {
    const button = document.querySelector(selector);
    reveal(button);
    button.scrollIntoView({ block: "center" });
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (!box.width || !box.height || !button.contains(hit)) {
      const there = hit ? hit.outerHTML.slice(0, 100) : "nothing";
      results.push({ problem: `${selector} cannot be clicked: ${there} is at its place` });
      continue;
    }
    await navigator.clipboard.writeText(sentinel);
    button.click();
    let text = await navigator.clipboard.readText();
    for (const start = Date.now(); text === sentinel && Date.now() - start < 5000; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = await navigator.clipboard.readText();
    }
    results.push(text === sentinel
      ? { problem: `${selector} copied nothing within 5 s` } : { copied: text });
  }
  return results;
}"""


def test_copy_buttons_copy_the_verified_source(light_page, site, page_path):
    if "language-python highlight" not in page_file(site, page_path).read_text("utf-8"):
        pytest.skip("no Python block on this page")
    source = page_source(page_path)
    if source is None:
        pytest.fail(f"{page_path or 'home'} shows Python blocks but has no Markdown source")
    verified, quizzes = verified_blocks(source), quiz_codes(source)
    page = light_page
    blocks = page.evaluate(PAGE_BLOCKS)
    shown = [block for block in blocks if not block["quiz"]]
    shown_quizzes = [block for block in blocks if block["quiz"]]
    assert len(shown) == len(verified), (
        f"the page shows {len(shown)} Python blocks, the verifier ran {len(verified)} "
        f"from {source.relative_to(ROOT)}"
    )
    assert len(shown_quizzes) == len(quizzes), "quiz code blocks differ from the quizzes' code"
    problems = []
    output_buttons = page.locator(".verified-output button[data-md-type=copy]").count()
    if output_buttons:
        problems.append(f"{output_buttons} Output boxes have a copy button")
    for number, block in enumerate(blocks, 1):
        if block["id"] is None:
            problems.append(f"block {number} has no copy button")
    buttons = {f'button[data-clipboard-target="{b["id"]}"]': b for b in blocks if b["id"]}
    for block, result in zip(buttons.values(), click_each(page, list(buttons)), strict=True):
        block["copied"] = result.get("copied")
        problems += [result["problem"]] if "problem" in result else []
    for block, code in zip(shown, verified, strict=True):
        problems += differences(block, code)
    for block, question in zip(shown_quizzes, quizzes, strict=True):
        if block.get("copied") != as_shown(question.code):
            problems.append(f"quiz code copies {block.get('copied')!r}, not {question.code!r}")
        right = plain_text(question.choices[question.answer])
        if (block["answer"] or "") != right:
            problems.append(f"the quiz marks {block['answer']!r} right, its code prints {right!r}")
    assert page.monitor.problems == []
    others = page.evaluate(OTHER_COPY_BUTTONS)
    print(f"{page_path or 'home'}: {len(verified)} blocks, {len(quizzes)} quiz codes; {others}")
    assert not problems, "\n\n".join(problems)


def verified_blocks(source) -> list[CodeBlock]:
    """The Python blocks of the page as the test session runs them, in page order."""
    return read_page(source, ROOT).blocks


def quiz_codes(source) -> list[Question]:
    """The quiz questions of the page that have code, in page order."""
    quizzes = read_page(source, ROOT).quizzes
    questions = [q for quiz in quizzes for q in parse_quiz(quiz.fence.source)]
    return [question for question in questions if question.code is not None]


def click_each(page, buttons: list[str]) -> list[dict]:
    """Click each of `buttons` (CSS selectors) in turn: what each copied, or a problem."""
    return page.evaluate(CLICK_EACH, [buttons, SENTINEL])


def as_shown(text: str) -> str:
    """The text as a page holds it: a block's last line break ends the block."""
    return text.removesuffix("\n")


def differences(block: dict, code: CodeBlock) -> list[str]:
    """How the block on the page differs from the verifier's block."""
    problems = []
    if block.get("copied") != as_shown(code.source):
        problems.append(
            f"{code.where}: the copy button copies\n{block.get('copied')}\n"
            f"--> but the verifier ran\n{code.source}"
        )
    expected = as_shown(code.output.source) if code.output else None
    if block["output"] != expected:
        problems.append(
            f"{code.where}: the Output box shows {block['output']!r}, "
            f"the verifier compared with {expected!r}"
        )
    return problems


# Each Python block: its anchor, the note above it and its standalone copy button.
STANDALONE_BLOCKS = """() => [...document.querySelectorAll("article div.language-python.highlight")]
  .filter((block) => !block.closest(".quiz-question"))
  .map((block) => {
    const note = block.previousElementSibling;
    const button = block.querySelector("button.verified-copy-standalone");
    return {
      id: block.id,
      note: note && note.matches(".verified-continues") ? note.textContent : null,
      links: note && note.matches(".verified-continues")
        ? [...note.querySelectorAll("a")].map((a) => [a.textContent, a.hash,
            a.pathname === location.pathname && !!document.getElementById(a.hash.slice(1))])
        : [],
      button: button && {
        // Shown by standalone.js (a closed <details> or tab still hides its block).
        visible: !button.hidden && getComputedStyle(button).display !== "none",
        inNav: !!button.closest(".md-code__nav"),
        label: button.getAttribute("aria-label"),
      },
    };
  })"""


def test_standalone_copy_buttons_copy_the_verified_copy(light_page, site, page_path):
    """A block that needs earlier blocks says so above it, linking each name it uses to
    the block it comes from, and its second button copies, character for character, the
    standalone copy that `nox -s tests` ran alone and checked (standalone_check.py)."""
    if "language-python highlight" not in page_file(site, page_path).read_text("utf-8"):
        pytest.skip("no Python block on this page")
    model = read_page(page_source(page_path), ROOT)
    copies = {id(copy.block): copy for copy in standalone_copies(model).values()}
    page = light_page
    shown = page.evaluate(STANDALONE_BLOCKS)
    assert len(shown) == len(model.blocks)
    anchors = {id(block.fence): f"block-{n}" for n, block in enumerate(model.blocks, 1)}
    problems, to_click = [], {}
    for number, (block, code) in enumerate(zip(shown, model.blocks, strict=True), 1):
        standalone = copies.get(id(code))
        if block["id"] != f"block-{number}":
            problems.append(f"{code.where}: the block's anchor is {block['id']!r}")
        if standalone is None or not standalone.continues:
            if block["note"] or block["button"]:
                problems.append(f"{code.where}: needs nothing from above, but has a note")
            continue
        named = [need for need in standalone.needs if not need.imported] or standalone.needs
        # Each name links to an element that exists: the block it comes from.
        wanted = [[need.label, f"#{anchors[id(need.source.fence)]}", True] for need in named]
        if block["links"] != wanted:
            problems.append(f"{code.where}: the note links {block['links']}, not {wanted}")
        button = block["button"]
        if button != {"visible": True, "inNav": True, "label": STANDALONE_LABEL}:
            problems.append(f"{code.where}: the standalone copy button is {button}")
            continue
        to_click[f"#{block['id']} button.verified-copy-standalone"] = (code, standalone)
    for (code, standalone), result in zip(
        to_click.values(), click_each(page, list(to_click)), strict=True
    ):
        if result.get("copied") != standalone.text:
            problems.append(
                f"{code.where}: the standalone copy button copies\n"
                f"{result.get('copied', result.get('problem'))}\n"
                f"--> but the test run checked\n{standalone.text}"
            )
    assert page.monitor.problems == []
    print(f"{page_path or 'home'}: {len(to_click)} standalone copy buttons")
    assert not problems, "\n\n".join(problems)
