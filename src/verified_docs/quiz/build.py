"""The build's side of quizzes: validate each page's quiz blocks, then export them.

The fence formatter cannot know which page it renders, so the blocks are validated
(and their `code` run) in `on_page_markdown`, where the page is known; any problem
stops the build with the page, line, question number and problem.
"""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..fences import find_fences
from .export import PageQuiz, write_export
from .schema import QuizError, load_quiz
from .site import placed, site_problems
from .sybil_parser import QUIZ

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

    def check_page(self, page, config) -> None:
        """Validate every quiz of `page`; PluginError naming each problem."""
        if not page.file.src_uri.endswith(".md"):
            return
        # The file's own text, not the page's markdown: MkDocs strips front matter,
        # which would shift every line number.
        text = page.file.content_string
        where = page_path(page, config)
        problems = []
        for fence in find_fences(text):
            if fence.language != QUIZ:
                continue
            if not fence.closed:
                problems.append(f"{where}:{fence.line}: quiz: fence never closes")
                continue
            try:
                questions = load_quiz(fence.source, where, fence.line)
            except QuizError as error:
                problems.append(str(error))
                continue
            self.found.append((page, where, page.file.src_uri, fence.line, questions))
        for problem in problems:
            log.error(problem)
        if problems:
            raise PluginError(f"{where}: {len(problems)} quiz block(s) failed validation (above)")

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


def page_path(page, config) -> str:
    """docs/x.md: the page's path from the project root, as the tests name it."""
    return _relative(page.file.abs_src_path, config.config_file_path)


def _relative(path: str, config_file: str | None) -> str:
    if not config_file:
        return path
    try:
        return Path(path).relative_to(Path(config_file).parent).as_posix()
    except ValueError:
        return path
