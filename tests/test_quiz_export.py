"""The quiz export: one JSON file for the site, one per page, at stable paths."""

import json

from verified_docs.quiz.export import PageQuiz, page_export_path, write_export
from verified_docs.quiz.schema import parse_quiz

QUESTIONS = parse_quiz(
    json.dumps(
        [
            {"q": "One?", "choices": ["a", "b"], "answer": 0, "explain": "A.", "id": "one"},
            {"id": "both", "q": "Both?", "choices": ["a", "b", "c"], "answer": [0, 1],
             "explain": "B.", "feedback": ["", "", "No."], "code": "print('x')"},
        ]
    )
)  # fmt: skip


def quiz(source: str, url: str, title: str, line: int) -> PageQuiz:
    return PageQuiz(source, url, title, line, QUESTIONS[:1])


def test_page_export_paths_mirror_the_source_tree():
    assert page_export_path("losses/index.md") == "quizzes/pages/losses/index.json"
    # The home page does not collide with the site-wide quizzes/index.json.
    assert page_export_path("index.md") == "quizzes/pages/index.json"


def test_the_site_file_holds_every_quiz_with_its_page(tmp_path):
    quizzes = [
        quiz("index.md", "", "Home", 3),
        quiz("losses/index.md", "losses/", "Loss functions", 40),
        quiz("losses/index.md", "losses/", "Loss functions", 90),
    ]
    written = write_export(tmp_path, quizzes)
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "quizzes/index.json",
        "quizzes/pages/index.json",
        "quizzes/pages/losses/index.json",
    ]
    site = json.loads((tmp_path / "quizzes/index.json").read_text(encoding="utf-8"))
    assert site["version"] == 1
    assert [(q["page_url"], q["page_title"], q["source"], q["line"]) for q in site["quizzes"]] == [
        ("", "Home", "docs/index.md", 3),
        ("losses/", "Loss functions", "docs/losses/index.md", 40),
        ("losses/", "Loss functions", "docs/losses/index.md", 90),
    ]
    losses = json.loads((tmp_path / "quizzes/pages/losses/index.json").read_text(encoding="utf-8"))
    assert [q["line"] for q in losses["quizzes"]] == [40, 90]


def test_questions_are_exported_as_authored_with_their_key(tmp_path):
    write_export(tmp_path, [PageQuiz("a.md", "a/", "A", 1, QUESTIONS)])
    [exported] = json.loads((tmp_path / "quizzes/pages/a.json").read_text())["quizzes"]
    one, both = exported["questions"]
    assert one == {
        "key": QUESTIONS[0].key,
        "id": "one",
        "q": "One?",
        "choices": ["a", "b"],
        "answer": 0,
        "explain": "A.",
    }
    assert both["answer"] == [0, 1]
    assert both["feedback"] == ["", "", "No."]
    assert both["code"] == "print('x')\n"
    assert both["id"] == "both"


def test_a_site_without_quizzes_still_has_the_site_file(tmp_path):
    assert write_export(tmp_path, []) == [tmp_path / "quizzes/index.json"]
    assert json.loads((tmp_path / "quizzes/index.json").read_text()) == {
        "version": 1,
        "quizzes": [],
    }
