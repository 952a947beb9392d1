"""MkDocs hooks (see `hooks:` in mkdocs.yml): build-time work on the pages."""

from verified_docs.math import render_math
from verified_docs.page_notebooks import add_notebook
from verified_docs.quiz.build import QuizCollector

QUIZZES = QuizCollector()


def on_pre_build(config):
    QUIZZES.reset()


def on_page_markdown(markdown, page, config, files):
    QUIZZES.check_page(page, config)
    return add_notebook(markdown, page, config)


def on_page_content(html, page, config, files):
    return render_math(html)


def on_post_build(config):
    QUIZZES.write(config.site_dir)
