"""Quiz blocks: the "Quick check" that ends each guide page.

A page holds a ```quiz fence with a JSON array of questions (see schema.py for the
keys). The build validates it and runs its `code` (mkdocs_hooks.py), renders it to
HTML that works without JavaScript (render.py, the fence's formatter), and writes every
quiz as JSON (export.py). The test run checks each quiz block as one example
(sybil_parser.py). docs/assets/quiz.js makes the rendered quiz interactive.
"""
