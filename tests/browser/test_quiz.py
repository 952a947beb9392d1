"""The quick check at the end of a page, as a reader uses it (markup contract:
src/verified_docs/quiz/render.py; behaviour: docs/assets/quiz.js).

The quiz tested is the first one in the navigation's order, whatever page it is on.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from site_server import page_file

RIGHT = re.compile(r"^Right\b")
STORAGE = "verified-quiz:"


@pytest.fixture(scope="module")
def quiz_page(site, nav) -> str:
    for page_path in nav:
        if 'class="quiz"' in page_file(site, page_path).read_text(encoding="utf-8"):
            return page_path
    pytest.fail("no page of the site has a quiz")


def questions(page):
    return page.locator(".quiz").first.locator("fieldset.quiz-question")


def choose(question, indices) -> None:
    for choice in question.locator("input.quiz-choice").all():
        wanted = int(choice.get_attribute("value")) in indices
        if wanted != choice.is_checked():
            choice.locator("xpath=ancestor::label").click()


def values(inputs) -> list[int]:
    return [int(v) for v in inputs.evaluate_all("inputs => inputs.map(i => i.value)")]


def correct(question) -> list[int]:
    return values(question.locator("input[data-correct]"))


def wrong_choice(question) -> int:
    return values(question.locator("input.quiz-choice:not([data-correct])"))[0]


def score(page) -> str:
    return page.locator(".quiz-score").first.inner_text().strip()


def stored(page) -> dict:
    return page.evaluate(
        """prefix => Object.fromEntries(Object.keys(localStorage)
             .filter(k => k.startsWith(prefix)).map(k => [k, localStorage.getItem(k)]))""",
        STORAGE,
    )


def open_quiz(browse, quiz_page):
    # Until the network is quiet: a reload in the test would abort a pending request.
    page = browse.open(quiz_page, idle=True)
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    return page


def flat(text: str) -> str:
    return " ".join(text.split())


def test_wrong_answer_shows_its_own_feedback_and_not_the_explanation(browse, quiz_page):
    """A wrong pick says what is wrong with it and lets the reader try again; the
    explanation, which gives the answer away, waits for the right answer."""
    page = open_quiz(browse, quiz_page)
    question = questions(page).first
    wrong = wrong_choice(question)
    choose(question, [wrong])
    question.locator("button.quiz-check").click()
    assert question.get_attribute("data-quiz-state") == "wrong"
    feedback = question.locator(".quiz-feedback")
    assert feedback.is_visible()
    text = flat(feedback.inner_text())
    assert not RIGHT.match(text) and "try again" in text.lower()
    explanation = flat(question.locator(".quiz-answer .quiz-explain").text_content())
    assert explanation and explanation not in text
    note = question.locator(f'.quiz-choice-feedback[data-choice="{wrong}"]')
    if note.count():  # what the page says about that very choice
        assert flat(note.text_content().split(":", 1)[-1]) in text
    assert question.locator("details.quiz-answer").get_attribute("open") is None

    choose(question, correct(question))  # the reader tries again
    question.locator("button.quiz-check").click()
    assert question.get_attribute("data-quiz-state") == "right"
    text = flat(feedback.inner_text())
    assert text.count(explanation) == 1
    assert page.monitor.problems == []


def test_right_answer_is_marked_right_and_scored(browse, quiz_page):
    page = open_quiz(browse, quiz_page)
    total = questions(page).count()
    assert score(page) == f"Score: 0 of {total} right"
    first, second = questions(page).nth(0), questions(page).nth(1)
    choose(first, correct(first))
    first.locator("button.quiz-check").click()
    assert first.get_attribute("data-quiz-state") == "right"
    said = flat(first.locator(".quiz-feedback").inner_text())
    assert RIGHT.match(said)
    assert len(re.findall(r"\bRight\b", said)) == 1, f"'Right' said twice: {said}"
    assert score(page) == f"Score: 1 of {total} right"
    choose(second, [wrong_choice(second)])
    second.locator("button.quiz-check").click()
    assert score(page) == f"Score: 1 of {total} right"
    choose(second, correct(second))
    second.locator("button.quiz-check").click()
    assert score(page) == f"Score: 2 of {total} right"
    assert page.monitor.problems == []


def test_progress_survives_a_reload_and_reset_clears_it(browse, quiz_page):
    page = open_quiz(browse, quiz_page)
    total = questions(page).count()
    first, second = questions(page).nth(0), questions(page).nth(1)
    choose(first, correct(first))
    first.locator("button.quiz-check").click()
    wrong = wrong_choice(second)
    choose(second, [wrong])
    second.locator("button.quiz-check").click()
    page.reload()
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    first, second = questions(page).nth(0), questions(page).nth(1)
    assert first.get_attribute("data-quiz-state") == "right"
    assert second.get_attribute("data-quiz-state") == "wrong"
    assert second.locator(f'input.quiz-choice[value="{wrong}"]').is_checked()
    assert score(page) == f"Score: 1 of {total} right"
    assert len(stored(page)) == 2

    page.locator(".quiz-reset").first.click()
    assert score(page) == f"Score: 0 of {total} right"
    assert questions(page).locator("input.quiz-choice:checked").count() == 0
    assert page.locator(".quiz-question[data-quiz-state]").count() == 0
    assert stored(page) == {}
    page.reload()
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    assert page.locator(".quiz-question[data-quiz-state]").count() == 0
    assert score(page) == f"Score: 0 of {total} right"
    assert page.monitor.problems == []


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const q = e.closest(".quiz-question");
  const questions = [...document.querySelectorAll(".quiz-question")];
  const style = getComputedStyle(e);
  return {
    question: q ? questions.indexOf(q) : -1,
    inQuiz: !!e.closest(".quiz"),
    kind: e.matches("input.quiz-choice") ? "choice" : e.matches(".quiz-check") ? "check"
        : e.matches(".quiz-reset") ? "reset" : e.tagName.toLowerCase(),
    value: e.value ?? null,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}"""


def tab_until(page, wanted, limit=600):
    """Press Tab until `wanted(focused)` holds; the focused element's description."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and wanted(focused):
            return focused
    raise AssertionError("Tab never reached the element")


def test_quiz_can_be_done_with_the_keyboard_alone(browse, quiz_page):
    page = open_quiz(browse, quiz_page)
    quiz = page.locator(".quiz").first
    count = quiz.locator("fieldset.quiz-question").count()
    page.locator("body").evaluate("body => body.focus()")  # the top of the page
    for index in range(count):
        question = quiz.locator("fieldset.quiz-question").nth(index)
        right = correct(question)
        if question.get_attribute("data-quiz-multiple") == "true":
            for value in right:
                tab_until(
                    page,
                    lambda f, i=index, v=value: f["question"] == i and f["value"] == str(v),
                )
                page.keyboard.press("Space")
        else:
            tab_until(page, lambda f, i=index: f["question"] == i and f["kind"] == "choice")
            for _ in range(len(question.locator("input.quiz-choice").all())):
                if page.evaluate(FOCUSED)["value"] == str(right[0]):
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        assert sorted(values(question.locator("input:checked"))) == right
        focused = tab_until(page, lambda f, i=index: f["question"] == i and f["kind"] == "check")
        assert focused["outline"], "the focused Check button shows no focus outline"
        page.keyboard.press("Enter")
        assert question.get_attribute("data-quiz-state") == "right"
    assert score(page) == f"Score: {count} of {count} right"
    tab_until(page, lambda f: f["kind"] == "reset")
    page.keyboard.press("Enter")
    assert score(page) == f"Score: 0 of {count} right"
    assert page.monitor.problems == []


def test_answers_can_be_revealed_without_javascript(browse, quiz_page):
    page = browse.open(quiz_page, javascript=False)
    question = questions(page).first
    assert not question.locator("button.quiz-check").is_visible()
    answer = question.locator("details.quiz-answer")
    solution = answer.locator(".quiz-solution")
    assert not solution.is_visible()
    answer.locator("summary").click()
    assert solution.is_visible()
    right = question.locator("input[data-correct]").first.locator("xpath=ancestor::label")
    assert right.inner_text().strip() in solution.inner_text()
    assert answer.locator(".quiz-explain").is_visible()
    assert page.monitor.problems == []


def test_quiz_works_after_instant_navigation(browse, nav, quiz_page):
    """Reached by a link, without a page load, the quiz still answers and scores."""
    before = nav[nav.index(quiz_page) - 1]
    page = browse.open(before, idle=True)  # instant navigation starts once it has the sitemap
    page.evaluate("window.__kept = 'yes'")
    link = page.locator("a.md-footer__link--next")
    target = urlsplit(urljoin(page.url, link.get_attribute("href"))).path
    assert target.lstrip("/") == quiz_page
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == target)
    page.locator(".quiz[data-quiz-ready]").first.wait_for()
    assert page.evaluate("window.__kept") == "yes", "the page was loaded in full"
    total = questions(page).count()
    first = questions(page).first
    choose(first, correct(first))
    first.locator("button.quiz-check").click()
    assert first.get_attribute("data-quiz-state") == "right"
    assert score(page) == f"Score: 1 of {total} right"
    assert page.monitor.problems == []


@pytest.fixture(scope="module")
def multiple_page(site, nav) -> str:
    for page_path in nav:
        if 'data-quiz-multiple="true"' in page_file(site, page_path).read_text(encoding="utf-8"):
            return page_path
    pytest.fail("no page of the site has a question with several right choices")


def test_a_multiple_answer_says_a_right_choice_is_missing(browse, multiple_page):
    page = open_quiz(browse, multiple_page)
    question = page.locator('fieldset.quiz-question[data-quiz-multiple="true"]').first
    right = correct(question)
    choose(question, right[:1])
    question.locator("button.quiz-check").click()
    verdict = flat(question.locator(".quiz-verdict").inner_text())
    assert verdict == "Not quite: what you ticked is right, but a right choice is still missing."
    choose(question, [*right[1:], wrong_choice(question)])
    question.locator("button.quiz-check").click()
    verdict = flat(question.locator(".quiz-verdict").inner_text())
    assert verdict == "Not quite: a choice you ticked is wrong, and a right one is missing."
    assert page.monitor.problems == []
