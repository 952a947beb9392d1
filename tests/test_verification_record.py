"""The verification record end to end: the test run writes it, the strict build refuses a
page that differs from it, and the "Verified" line shows what it holds. A small project
that inherits the site's mkdocs.yml, so the hooks under test are the site's."""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from sample_projects import CODE_QUIZ, PYPROJECT, RECORD, build, edit, project

from verified_docs.record import verification_record
from verified_docs.record.verification_record import PageResult, release

PAGE = """# A page

Some prose.

```python
squared = [(p - t) ** 2 for p, t in zip([2.5, 0.0, 2.1], [3.0, 0.0, 2.0])]
print(sum(squared) / 3)
```

```output
0.0867
```

<!-- skip: next "shows a GPU-only call" -->

```python
import torch
torch.zeros(1, device="cuda")
```

{quiz}
"""


def make_project(root: Path) -> Path:
    pages = {
        "index.md": "# Home\n\nNo code.\n",
        "page.md": PAGE.format(quiz=CODE_QUIZ),
        "verification.md": "# How\n\n<!-- verification table -->\n",
    }
    config = project(root, pages, RECORD)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return config


def verify(root: Path) -> subprocess.CompletedProcess:
    """The test run as `nox -s tests` makes it: it writes the record."""
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"]
    return subprocess.run(
        [*command, f"--verification-record={RECORD}", "docs"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_edited_output_fails_the_strict_build_until_the_tests_run_again(tmp_path):
    config = make_project(tmp_path)
    page = tmp_path / "docs" / "page.md"
    unverified = build(config)
    assert unverified.returncode == 1
    assert "docs/page.md: has no entry in the verification record verified.json" in (
        unverified.stderr
    )

    assert verify(tmp_path).returncode == 0
    first = (tmp_path / RECORD).read_bytes()
    assert verify(tmp_path).returncode == 0
    assert (tmp_path / RECORD).read_bytes() == first  # byte for byte, seconds included
    entry = json.loads(first)["pages"]["docs/page.md"]
    assert (entry["blocks"], entry["outputs"], entry["quiz_questions"]) == (1, 1, 1)
    assert entry["skipped"] == ["shows a GPU-only call"]
    result = build(config)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<p class="verified-line"><a href="../verification/">Verified</a>: 1 block run, '
        r"1 output checked, 1 quiz question checked, 1 skipped \(shows a GPU-only call\) "
        rf"with PyTorch {re.escape(release(version('torch')))} \(CPU kernels not compared yet\) "
        r"on \d{4}-\d\d-\d\d\. Earlier releases of PyTorch not checked yet\.</p>",
        html,
    )
    footer = f"Every output on this site is printed by PyTorch {release(version('torch'))}"
    assert footer in html
    table = (tmp_path / "site" / "verification" / "index.html").read_text(encoding="utf-8")
    assert '<td><a href="../page/">page.md</a></td>' in table
    assert "<td>shows a GPU-only call</td>" in table
    assert "CPU configurations that agreed on every output: not compared yet." in table

    edit(page, "Some prose.", "Some other prose.")
    assert build(config).returncode == 0  # prose is not what the record vouches for

    edit(page, "0.0867", "0.08667")  # still right, but not what the tests ran
    stale = build(config)
    assert stale.returncode == 1
    assert "docs/page.md: changed since it was last verified" in stale.stderr
    assert "index.md" not in stale.stderr
    served = subprocess.run(  # as `mkdocs serve` builds: not strict, the banner shows
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        cwd=tmp_path,
        capture_output=True,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert served.returncode == 0
    html = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Changed since last verified</strong>: docs/page.md: changed" in html

    assert verify(tmp_path).returncode == 0
    assert build(config).returncode == 0


def test_a_failing_page_loses_its_entry_and_the_build_names_it(tmp_path):
    config = make_project(tmp_path)
    assert verify(tmp_path).returncode == 0
    edit(tmp_path / "docs" / "page.md", "0.0867", "0.0866")
    assert verify(tmp_path).returncode == 1
    pages = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))["pages"]
    assert list(pages) == ["docs/index.md", "docs/verification.md"]
    result = build(config)
    assert result.returncode == 1
    assert "docs/page.md: has no entry in the verification record" in result.stderr


def test_the_hash_covers_code_snippets_outputs_quizzes_and_skips_not_prose(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")
    page = '# T\n\nProse.\n\n```python\n--8<-- "snippets/a.py"\n```\n\n```output\n1\n```\n'
    original = verification_record.page_hash(page, tmp_path, tmp_path)
    assert (
        verification_record.page_hash(page.replace("Prose.", "Other."), tmp_path, tmp_path)
        == original
    )
    changed = [
        page.replace("```output\n1", "```output\n2"),
        page.replace("Prose.", '<!-- skip: next "why" -->'),
        page + '\n```quiz\n[{"q": "?"}]\n```\n',
        page + "\n```py\nprint(2)\n```\n",
    ]
    for text in changed:
        assert verification_record.page_hash(text, tmp_path, tmp_path) != original, text
    assert (
        verification_record.page_hash(page + "\n```text\nshown\n```\n", tmp_path, tmp_path)
        == original
    )
    (tmp_path / "snippets" / "a.py").write_text("print(2)\n")
    assert verification_record.page_hash(page, tmp_path, tmp_path) != original
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "f.svg").write_text("<svg/>")
    drawn = page + "\n![A figure.](figures/f.svg)\n"
    before = verification_record.page_hash(drawn, tmp_path, tmp_path)
    (tmp_path / "figures" / "f.svg").write_text("<svg></svg>")
    assert verification_record.page_hash(drawn, tmp_path, tmp_path) != before


def test_a_date_moves_only_with_the_hash_and_the_stability_mark_goes_with_it():
    result = PageResult(blocks=2, outputs=1, quiz_questions=0, skipped=[], seconds=1.04)
    existing = {"docs/a.md", "docs/b.md"}
    results = {"docs/a.md": ("h1", result), "docs/b.md": ("h2", result)}
    first = verification_record.updated({}, results, set(), existing, "2026-01-01")
    marked = verification_record.with_stability(first, ["avx2, 1 thread"], {"docs/a.md": "h1"})
    assert marked["pages"]["docs/a.md"]["stable"] is True
    assert "stable" not in marked["pages"]["docs/b.md"]
    slower = PageResult(blocks=2, outputs=1, quiz_questions=0, skipped=[], seconds=9.0)
    again = verification_record.updated(
        marked, {"docs/a.md": ("h1", slower), "docs/b.md": ("h3", slower)}, set(), existing,
        "2026-02-02",
    )  # fmt: skip
    a, b = again["pages"]["docs/a.md"], again["pages"]["docs/b.md"]
    assert (a["verified_on"], a["seconds"], a["stable"]) == ("2026-01-01", 1.04, True)
    assert (b["verified_on"], b["seconds"], "stable" in b) == ("2026-02-02", 9.0, False)
    assert again["environment"]["stability"] == ["avx2, 1 thread"]
    failed = verification_record.updated(again, {}, {"docs/a.md"}, {"docs/a.md"}, "2026-03-03")
    assert failed["pages"] == {}  # a failed, b no longer exists
