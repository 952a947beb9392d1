"""Quiz blocks: the "Quick check" that ends each guide page.

A page holds a ```quiz fence with a JSON array of questions (see schema.py for the
keys; the page model finds the fence). check.py validates a block and runs its `code`,
for the build (build.py, from mkdocs_hooks.py) and for the test run (sybil_pages.py);
render.py renders it to HTML that works without JavaScript (the fence's formatter), and
export.py writes every quiz as JSON. docs/assets/quiz.js makes the rendered quiz
interactive.
"""
