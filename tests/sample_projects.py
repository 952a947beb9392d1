"""What the tests share: small pages run through the verifier as the test run would,
and small projects that inherit the site's configuration, built as the site is.

The tests import it as `sample_projects` (tests/ is on pytest's path)."""

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from unittest import SkipTest

from sybil import Document
from sybil.example import SybilFailure

from verified_docs.record import verification_record
from verified_docs.record.verification_record import PageResult
from verified_docs.test_run.page_state import PageState
from verified_docs.test_run.sybil_pages import PageParser
from verified_docs.verifier.output_rewrite import PageUpdates

ROOT = Path(__file__).resolve().parents[1]
RECORD = "verified.json"  # a project's verification record, when it has one
PYPROJECT = '[tool.pytest.ini_options]\naddopts = ["-p", "verified_docs.test_run.pytest_plugin"]\n'


# One process per run, with no xdist workers: the pages here are one tiny page each.
ONE_PROCESS = {**os.environ, "PYTEST_XDIST_AUTO_NUM_WORKERS": "0"}


CODE_QUIZ = """```quiz
[{"id": "product", "q": "What does this print?", "code": "print(2 * 3)", "choices": ["`5`", "`6`"],
  "answer": 1, "explain": "Two times three."}]
```
"""


@dataclass
class Result:
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # (what, how it ended) for each example: left out of comparisons of results
    outcomes: list[tuple[str, str]] = field(default_factory=list, compare=False)


def verify(root: Path, page: str, updates: PageUpdates | None = None) -> Result:
    """Run every example of `page` (Markdown) as docs/page.md under `root`."""
    path = root / "docs" / "page.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(page), encoding="utf-8")
    document = Document.parse(str(path), PageParser(root, updates))
    state = PageState(root)
    state.setup(document.namespace)
    result = Result()
    try:
        for example in document:
            kind = type(example.parsed).__name__
            try:
                example.evaluate()
            except SybilFailure as failure:
                result.failures.append(failure.result)
                result.outcomes.append((kind, "failed"))
            except SkipTest as skip:
                result.skipped.append(str(skip))
                result.outcomes.append((kind, f"skipped: {skip}"))
            else:
                result.passed += 1
                result.outcomes.append((kind, "ran"))
    finally:
        state.teardown(document.namespace)
    return result


def project(root: Path, pages: dict[str, str], record: str = "null") -> Path:
    """A project of `pages` that inherits the site's configuration; its mkdocs.yml.

    Its build checks the pages against the verification record `record` (a path from the
    project's root); by default it has none, and the pages are not checked.
    """
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    nav = "".join(f"  - {name}\n" for name in pages)
    config = root / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"hooks:\n  - {ROOT / 'src' / 'verified_docs' / 'website' / 'mkdocs_hooks.py'}\n"
        f"theme:\n  custom_dir: {ROOT / 'src' / 'verified_docs' / 'website' / 'theme'}\n"
        "watch: []\n"  # the site's watch paths are relative to its own root
        f"extra:\n  verification_record: {record}\n"
        f"nav:\n{nav}",
        encoding="utf-8",
    )
    return config


def record_home_page(root: Path, text: str, quiz_questions: int = 0) -> None:
    """Write the project's verification record (RECORD), holding docs/index.md as `text`,
    as a test run that passed it whole would."""
    checked = PageResult(0, 0, quiz_questions, skipped=[], seconds=0.1)
    hashed = verification_record.page_hash(text, root, root / "docs")
    record = verification_record.updated({}, {"docs/index.md": (hashed, checked)}, set(), set())
    verification_record.write(root / RECORD, record)


def build(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


def edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
