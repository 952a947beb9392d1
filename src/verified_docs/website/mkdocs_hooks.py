"""MkDocs hooks (see `hooks:` in mkdocs.yml): build-time work on the pages."""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from verified_docs.page.page_encoding import utf8_problem
from verified_docs.page.page_model import Page, page_path, parse_page
from verified_docs.page.rendering import rendering
from verified_docs.quiz.build import QuizCollector
from verified_docs.website.block_accounting import unaccounted_blocks
from verified_docs.website.figure_build import (
    add_dark_variants,
    check_declarations,
    show_per_scheme,
)
from verified_docs.website.mathml import render_math
from verified_docs.website.notebook_download import link_source_notebook
from verified_docs.website.notebook_runs import run_notebooks
from verified_docs.website.page_notebooks import add_notebook
from verified_docs.website.search_index import compact_search_index
from verified_docs.website.standalone_html import add_standalone_copies
from verified_docs.website.verified_line import VerifiedLines

log = logging.getLogger("mkdocs.plugins.verified_docs")
QUIZZES = QuizCollector()
PAGES: dict[str, Page] = {}  # each page's model, read in on_page_markdown, by src_uri
VERIFIED = VerifiedLines()


def on_config(config):
    VERIFIED.load(config)


def on_pre_build(config):
    # `mkdocs serve` rebuilds with the same hooks: start each build empty.
    QUIZZES.reset()
    PAGES.clear()


def on_files(files, config):
    run_notebooks(files, config)
    return add_dark_variants(files, config)


def on_page_read_source(page, config):
    # MkDocs would report a bad byte without its line; None lets MkDocs read the page.
    problem = utf8_problem(Path(page.file.abs_src_path), _path(page, config))
    if problem:
        raise PluginError(problem)


def on_page_markdown(markdown, page, config, files):
    check_declarations(markdown, Path(page.file.abs_src_path), _path(page, config))
    markdown = VERIFIED.page_markdown(markdown, page, config, files)
    if page.file.src_uri.endswith(".md"):
        model = PAGES[page.file.src_uri] = site_page(page, config)
        for problem in model.problems:  # what the test run refuses: `--strict` stops
            log.warning(problem.message)
        # The tests ran the quizzes' code of a page the record holds as it is: not again.
        QUIZZES.check_page(model, page, run=not VERIFIED.vouches_for(page))
        rendering(model)
        markdown = add_notebook(markdown, model, page, config)
    return show_per_scheme(markdown)


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".md"):
        problem = unaccounted_blocks(html, PAGES[page.file.src_uri])
        if problem:
            raise PluginError(problem)
        html = add_standalone_copies(html, PAGES[page.file.src_uri])
    return VERIFIED.page_content(render_math(link_source_notebook(html, page, config)), page, files)


def on_post_build(config):
    QUIZZES.write(config.site_dir)
    compact_search_index(config.site_dir)


def site_page(page, config) -> Page:
    """The model of a page of the site, from its file as written: MkDocs's `markdown`
    has the front matter stripped, which would shift every line number."""
    return parse_page(page.file.content_string, _path(page, config), _root(config))


def _path(page, config) -> str:
    return page_path(page.file.abs_src_path, _root(config))


def _root(config) -> Path:
    return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
