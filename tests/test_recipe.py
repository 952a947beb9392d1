"""The recipe of CONTRIBUTING.md, end to end, on a new page in a small project: written
with empty output fences (one under a block that raises) and a quiz, filled by the
update mode, verified and recorded, checked under every CPU configuration, and built
strictly, with its "Verified" line. Each step is the command the recipe gives, run as
the nox session runs it: the update mode writes what every CPU configuration printed
alike, and a stability run of one page marks that page stable, and no other."""

import json
import subprocess
import sys
from pathlib import Path

from sample_projects import ONE_PROCESS, PYPROJECT, RECORD, build, project

from verified_docs.test_run.stability import available_kernels, configurations

NEW_PAGE = """# A new page

```python
import torch

print(torch.tensor([1.0, 2.0]).mean())
```

```output
```

```python
torch.tensor([1.0, 2.0]).view(3)
```

```output
```

```quiz
[{"id": "recipe-mean", "q": "What does `torch.tensor([1.0, 3.0]).mean()` give?",
  "choices": ["`tensor(2.)`", "`tensor(4.)`", "`2`"], "answer": 0,
  "explain": "The mean of 1 and 3 is 2; a float tensor prints it as `tensor(2.)`.",
  "new_case": true}]
```
"""


def run(root: Path, *command: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, *command], cwd=root, env=ONE_PROCESS, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_new_page_goes_from_empty_fences_to_a_stable_entry_and_a_strict_build(tmp_path):
    home = "# Home\n\n```python\nprint(2)\n```\n\n```output\n2\n```\n"
    config = project(tmp_path, {"index.md": home, "new.md": NEW_PAGE}, RECORD)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    page = tmp_path / "docs" / "new.md"
    stability = ["-m", "verified_docs.test_run.stability", f"--verification-record={RECORD}"]

    updated = run(tmp_path, *stability, "--update", "docs/new.md")  # step 3
    assert "FAILED" not in updated.stdout
    text = page.read_text(encoding="utf-8")
    assert "```output\ntensor(1.5000)\n```" in text
    assert (
        "```output\nTraceback (most recent call last):\n  ...\n"
        "RuntimeError: shape '[3]' is invalid for input of size 2\n```"
    ) in text

    tests_run = ["--verification-record", RECORD, "--record-outputs=build/tests.json"]
    run(tmp_path, "-m", "pytest", *tests_run, "docs")  # step 4
    checked = run(tmp_path, *stability, "--reuse-outputs=build/tests.json", "docs/new.md")
    assert "passed in build/tests.json, the run of these pages" in checked.stdout
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    entry = record["pages"]["docs/new.md"]
    assert (entry["blocks"], entry["outputs"], entry["quiz_questions"]) == (2, 2, 1)
    assert entry["stable"] is True
    assert "stable" not in record["pages"]["docs/index.md"]  # not run by that check
    assert len(record["environment"]["stability"]) == len(configurations(available_kernels()))

    built = build(config)  # step 5
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / "new" / "index.html").read_text(encoding="utf-8")
    assert "2 blocks run, 2 outputs checked, 1 quiz question checked" in html
    assert "CPU kernels not compared yet" not in html
