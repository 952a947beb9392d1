"""MkDocs hooks (see `hooks:` in mkdocs.yml): build-time work on the pages."""

from pathlib import Path

from verified_docs.figure_build import add_dark_variants, check_declarations, show_per_scheme
from verified_docs.math import render_math
from verified_docs.page_notebooks import add_notebook
from verified_docs.quiz.build import QuizCollector

QUIZZES = QuizCollector()


def on_pre_build(config):
    QUIZZES.reset()


def on_files(files, config):
    return add_dark_variants(files, config)


def on_page_markdown(markdown, page, config, files):
    QUIZZES.check_page(page, config)
    check_declarations(markdown, Path(page.file.abs_src_path), f"docs/{page.file.src_uri}")
    return show_per_scheme(add_notebook(markdown, page, config))


def on_page_content(html, page, config, files):
    return render_math(html)


def on_post_build(config):
    QUIZZES.write(config.site_dir)
