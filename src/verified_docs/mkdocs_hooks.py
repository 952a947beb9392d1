"""MkDocs hooks (see `hooks:` in mkdocs.yml): build-time work on the pages."""

from verified_docs.math import render_math


def on_page_content(html, page, config, files):
    return render_math(html)
