"""MkDocs hooks (see `hooks:` in mkdocs.yml): build-time work on the pages."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from verified_docs.block_accounting import unaccounted_blocks
from verified_docs.figure_build import add_dark_variants, check_declarations, show_per_scheme
from verified_docs.formatter_errors import rendering
from verified_docs.math import render_math
from verified_docs.notebook_download import link_source_notebook
from verified_docs.page_encoding import utf8_problem
from verified_docs.page_notebooks import add_notebook
from verified_docs.quiz.build import QuizCollector, page_path
from verified_docs.verified_line import VerifiedLines

QUIZZES = QuizCollector()
VERIFIED = VerifiedLines()


def on_config(config):
    VERIFIED.load(config)


def on_pre_build(config):
    QUIZZES.reset()


def on_files(files, config):
    return add_dark_variants(files, config)


def on_page_read_source(page, config):
    # MkDocs would report a bad byte without its line; None lets MkDocs read the page.
    problem = utf8_problem(Path(page.file.abs_src_path), page_path(page, config))
    if problem:
        raise PluginError(problem)


def on_page_markdown(markdown, page, config, files):
    QUIZZES.check_page(page, config)
    rendering(page_path(page, config), page.file.content_string)
    check_declarations(markdown, Path(page.file.abs_src_path), page_path(page, config))
    markdown = VERIFIED.page_markdown(markdown, page, config, files)
    return show_per_scheme(add_notebook(markdown, page, config))


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".md"):
        problem = unaccounted_blocks(html, page.file.content_string, page_path(page, config))
        if problem:
            raise PluginError(problem)
    return VERIFIED.page_content(render_math(link_source_notebook(html, page)), page, files)


def on_post_build(config):
    QUIZZES.write(config.site_dir)
