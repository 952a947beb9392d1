"""Quizzes end to end: a real `mkdocs build --strict` of a small project, and the test run.

The project inherits the site's mkdocs.yml (INHERIT), so the fence, hooks and assets
under test are the ones the site uses.
"""

import json
from pathlib import Path

import pytest
from sample_projects import CODE_QUIZ, RECORD, build, project, record_home_page
from sybil import Sybil
from sybil.example import SybilFailure

from verified_docs.page.page_model import Quiz
from verified_docs.test_run.sybil_pages import PageParser

ROOT = Path(__file__).resolve().parents[1]
SEED = """```quiz
[
  {"id": "seed", "q": "What does a loss function compute?",
   "choices": ["The model's prediction for a new input", "One number measuring how far the predictions are from the true answers", "The learning rate for the optimizer"],
   "answer": 1,
   "explain": "..."}
]
```
"""  # noqa: E501 -- the seed quiz of issue 3, with the id every question now needs


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("quiz-site")
    pages = {
        "index.md": "# Home\n\nNo quiz here.\n",
        "losses/index.md": f"---\ntitle: Losses\n---\n\n# Loss functions\n\n{SEED}\n{CODE_QUIZ}",
    }
    result = build(project(root, pages))
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_the_seed_quiz_builds_into_an_answerable_page(site):
    html = (site / "losses" / "index.html").read_text(encoding="utf-8")
    assert html.count('<div class="quiz" data-quiz-questions="1">') == 2
    assert "What does a loss function compute?" in html
    assert 'value="1" data-correct>' in html
    assert '<details class="quiz-answer">' in html
    assert "<code>6</code>" in html
    assert 'src="../assets/quiz.js"' in html
    assert 'href="../assets/quiz.css"' in html


def test_the_build_exports_the_quizzes(site):
    everything = json.loads((site / "quizzes" / "index.json").read_text(encoding="utf-8"))
    page = json.loads((site / "quizzes/pages/losses/index.json").read_text(encoding="utf-8"))
    assert everything == page  # the only page with quizzes
    first, second = everything["quizzes"]
    assert (first["page_url"], first["page_title"], first["source"], first["line"]) == (
        "losses/",
        "Losses",
        "docs/losses/index.md",
        7,  # counted in the file, front matter included
    )
    assert first["questions"][0]["answer"] == 1
    assert second["line"] == 16
    assert not (site / "quizzes/pages/index.json").exists()


def test_a_bad_quiz_fails_the_build_naming_page_line_and_question(tmp_path):
    bad_code = CODE_QUIZ.replace('"answer": 1', '"answer": 0')
    bad_key = SEED.replace('"answer"', '"answers"')
    config = project(tmp_path, {"index.md": f"# Home\n\n{bad_key}\n{bad_code}"})
    result = build(config)
    assert result.returncode == 1
    assert "docs/index.md:3: quiz question 1: unknown key 'answers'" in result.stderr
    assert (
        "docs/index.md:12: quiz question 1: 'code' printed '6', which is choice 1, "
        "but 'answer' is 0 ('5')" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_build_runs_the_quiz_code_of_a_page_only_if_the_record_does_not_vouch_for_it(
    tmp_path,
):
    """A page the record holds as it is passed the tests, its quizzes' code too: the build
    does not run that again. A page changed since, it does."""
    marking = CODE_QUIZ.replace("print(2 * 3)", "open('ran', 'a').close(); print(2 * 3)")
    text = f"# Home\n\n{marking}"
    config = project(tmp_path, {"index.md": text}, RECORD)
    record_home_page(tmp_path, text, quiz_questions=1)
    vouched = build(config)
    assert vouched.returncode == 0, vouched.stderr
    assert not (tmp_path / "ran").exists()
    (config.parent / "docs" / "index.md").write_text(text.replace("Two", "2"), encoding="utf-8")
    changed = build(config)
    assert "docs/index.md: changed since it was last verified" in changed.stderr
    assert (tmp_path / "ran").exists()


def test_a_question_repeated_on_another_page_fails_the_build_naming_both(tmp_path):
    reworded = SEED.replace("What does a loss function compute?", "What is a loss function for?")
    config = project(
        tmp_path, {"index.md": f"# Home\n\n{SEED}", "other.md": f"# Other\n\n{reworded}"}
    )
    result = build(config)
    assert result.returncode == 1
    assert (
        "docs/other.md:3: quiz question 1: 'id' 'seed' is already used by "
        "docs/index.md:3: quiz question 1" in result.stderr
    )
    assert (
        "docs/other.md:3: quiz question 1: offers the same choices and answer as "
        "docs/index.md:3: quiz question 1" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_the_test_run_checks_each_quiz_block(tmp_path):
    bad = CODE_QUIZ.replace("print(2 * 3)", "print(2 + 3)")
    (tmp_path / "page.md").write_text(f"# Page\n\n{SEED}\n{bad}", encoding="utf-8")
    sybil = Sybil(parsers=[PageParser(tmp_path)], path=str(tmp_path), patterns=["*.md"])
    good, failing = sybil.parse(tmp_path / "page.md")
    assert isinstance(good.parsed, Quiz)
    good.evaluate()
    with pytest.raises(SybilFailure) as failure:
        failing.evaluate()
    assert (
        "page.md:12: quiz question 1: 'code' printed '5', which is choice 0, but 'answer' is 1"
        in str(failure.value)
    )
