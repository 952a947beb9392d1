"""Write every quiz of the site as JSON, for tools other than the browser.

- `quizzes/index.json`: all quizzes of the site, in page order;
- `quizzes/pages/<source path without .md>.json`: the quizzes of one page, e.g.
  `quizzes/pages/losses/index.json` for docs/losses/index.md.

Both hold `{"version": 1, "quizzes": [...]}`, each quiz with the URL (relative to the
site root) and title of its page, its source file and line, and its questions as
authored plus their `key`.
"""

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .schema import Question

VERSION = 1
FOLDER = "quizzes"


@dataclass(frozen=True)
class PageQuiz:
    """One quiz block: its page and the questions it holds."""

    source: str  # the page's path under docs/, e.g. losses/index.md
    url: str
    title: str
    line: int
    questions: list[Question]

    def to_json(self) -> dict:
        return {
            "page_url": self.url,
            "page_title": self.title,
            "source": f"docs/{self.source}",
            "line": self.line,
            "questions": [question.to_json() for question in self.questions],
        }


def page_export_path(source: str) -> str:
    """Where the quizzes of the page at docs/`source` are written, under the site."""
    return f"{FOLDER}/pages/{PurePosixPath(source).with_suffix('.json')}"


def write_export(site_dir: str | Path, quizzes: list[PageQuiz]) -> list[Path]:
    """Write the site-wide file and one file per page holding quizzes; return them."""
    site = Path(site_dir)
    written = [_write(site / FOLDER / "index.json", quizzes)]
    for source in dict.fromkeys(quiz.source for quiz in quizzes):
        page = [quiz for quiz in quizzes if quiz.source == source]
        written.append(_write(site / page_export_path(source), page))
    return written


def _write(path: Path, quizzes: list[PageQuiz]) -> Path:
    document = {"version": VERSION, "quizzes": [quiz.to_json() for quiz in quizzes]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
