"""The release matrix (`nox -s releases`) end to end on a small project: a page that prints
otherwise under an earlier release is reported with its block and what it printed, the
record keeps it per release, and the "Verified" line and the verification page say so;
a page that prints the same holds; an edit takes the page's findings away.

One torch is installed here, so an environment variable stands for what a release
changes, and each earlier run's record is labelled with the release it stands for, as
the session's run in that release's environment would be.
"""

import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from sample_projects import PYPROJECT, RECORD, build, edit, project

from verified_docs.record.verification_record import release
from verified_docs.test_run import output_record

CHANGES = """# A page

```python
import os

print(os.environ.get("RELEASE_PRINTS", "new"))
```

```output
new
```
"""
STEADY = "# Steady\n\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n"
CURRENT = release(version("torch"))
MINOR = ".".join(CURRENT.split(".")[:2])


def make_project(root: Path) -> Path:
    pages = {
        "index.md": "# Home\n\nNo code.\n",
        "changes.md": CHANGES,
        "steady.md": STEADY,
        "verification.md": "# How\n\n<!-- releases table -->\n",
    }
    config = project(root, pages, RECORD)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return config


def run_pages(root: Path, *options: str, prints: str | None = None) -> int:
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider"]
    env = {k: v for k, v in os.environ.items() if k != "RELEASE_PRINTS"}
    if prints is not None:
        env["RELEASE_PRINTS"] = prints
    done = subprocess.run([*command, *options, "docs"], cwd=root, env=env, capture_output=True)
    return done.returncode


def earlier_run(root: Path, name: str, prints: str | None) -> str:
    """The run of an earlier release, as `nox -s releases` makes it; its record's path."""
    path = root / f"torch-{name}.json"
    run_pages(root, f"--record-outputs={path}", prints=prints)
    recorded = output_record.read(path)
    output_record.write(path, output_record.OutputRecord(**{**recorded.__dict__, "torch": name}))
    return str(path)


def record_releases(root: Path, *runs: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "verified_docs.test_run.releases",
            f"--verification-record={RECORD}",
            "--current-outputs=current.json",
            *runs,
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )


def verified_line(root: Path, page: str) -> str:
    html = (root / "site" / page / "index.html").read_text(encoding="utf-8")
    return re.search(r'<p class="verified-line">.*?</p>', html, re.DOTALL).group()


def test_a_page_that_prints_otherwise_on_an_earlier_release_is_named_with_its_block(tmp_path):
    config = make_project(tmp_path)
    current = ["--verification-record=verified.json", "--record-outputs=current.json"]
    assert run_pages(tmp_path, *current) == 0
    older = earlier_run(tmp_path, "2.13.0", prints="old")
    same = earlier_run(tmp_path, "2.14.1", prints=None)

    done = record_releases(tmp_path, older, same)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        f"docs/changes.md:3: PyTorch 2.13.0 prints otherwise\n  {CURRENT}:\n      new\n"
        "  2.13.0:\n      old\n"
    ) in done.stdout
    assert "steady.md" not in done.stdout
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert record["environment"]["earlier_releases"] == ["2.13.0", "2.14.1"]
    assert record["pages"]["docs/changes.md"]["releases"] == {
        "2.13.0": {"holds": False, "differs": {"docs/changes.md:3": "old\n"}},
        "2.14.1": {"holds": True, "differs": {}},
    }

    result = build(config)
    assert result.returncode == 0, result.stderr
    assert (
        f"Holds on PyTorch 2.14 to {MINOR}. With PyTorch 2.13.0, 1 block prints otherwise "
        "(line 3).</p>"
    ) in verified_line(tmp_path, "changes")
    assert f"Holds on PyTorch 2.13 to {MINOR}.</p>" in verified_line(tmp_path, "steady")
    table = (tmp_path / "site" / "verification" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<td><a href="../changes/">changes.md</a></td>\s*'
        r"<td>1 block prints otherwise \(line 3\)</td>\s*<td>the same</td>\s*<td>verified</td>",
        table,
    )

    edit(tmp_path / "docs" / "changes.md", '"new"))', '"new"))  # edited')
    assert run_pages(tmp_path, *current) == 0
    record = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    assert "releases" not in record["pages"]["docs/changes.md"]
    assert "releases" in record["pages"]["docs/steady.md"]
    assert build(config).returncode == 0
    assert (
        "Not yet checked with PyTorch 2.13.0. Not yet checked with PyTorch 2.14.1.</p>"
    ) in verified_line(tmp_path, "changes")


def test_the_record_step_refuses_a_current_run_of_another_release(tmp_path):
    make_project(tmp_path)
    assert run_pages(tmp_path, "--verification-record=verified.json") == 0
    done = record_releases(tmp_path, "none.json")
    assert done.returncode == 1
    assert "current.json is not the run that wrote the record: run `nox -s tests`" in done.stdout
