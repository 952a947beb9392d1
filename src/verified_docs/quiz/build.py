"""The build's side of quizzes: validate each page's quiz blocks, then export them.

The fence formatter cannot know which page it renders, so the blocks are validated
(and their `code` run, unless the verification record vouches for the page: the tests
ran it) in `on_page_markdown`, where the page is known; any problem stops the build with
the page, line, question number and problem.
"""

import logging

from mkdocs.exceptions import PluginError

from ..page.page_model import Page
from .check import load_quiz
from .export import PageQuiz, write_export
from .schema import QuizError
from .site import placed, site_problems

# Under "mkdocs", so that MkDocs prints these messages as its own.
log = logging.getLogger("mkdocs.plugins.verified_docs.quiz")


class QuizCollector:
    """Collects the quizzes of one build, page by page, and writes the export."""

    def __init__(self) -> None:
        # (page, its path from the project root, its path under docs/, fence line, questions)
        self.found: list[tuple[object, str, str, int, list]] = []

    def reset(self) -> None:
        # `mkdocs serve` rebuilds with the same hooks: start each build empty.
        self.found.clear()

    def check_page(self, model: Page, page, run: bool = True) -> None:
        """Validate every quiz of the page `model` (MkDocs's `page`), running the questions'
        `code` unless not `run`; PluginError naming each problem."""
        problems = []
        for quiz in model.quizzes:
            try:
                questions = load_quiz(quiz, run)
            except QuizError as error:
                problems.append(str(error))
                continue
            self.found.append((page, model.path, page.file.src_uri, quiz.fence.line, questions))
        for problem in problems:
            log.error(problem)
        if problems:
            raise PluginError(
                f"{model.path}: {len(problems)} quiz block(s) failed validation (above)"
            )

    def write(self, site_dir: str) -> None:
        """Check the quizzes against each other (PluginError naming both places), then export."""
        problems = site_problems(
            question
            for _, where, _, line, questions in self.found
            for question in placed(where, line, questions)
        )
        for problem in problems:
            log.error(problem)
        if problems:
            raise PluginError(f"{len(problems)} quiz question(s) repeat another (above)")
        quizzes = [
            PageQuiz(source, page.url, page.title or "", line, questions)
            for page, _, source, line, questions in self.found
        ]
        write_export(site_dir, quizzes)
