"""The verification record (verified.json): what the last test run verified, page by page.

`nox -s tests` writes it (`pytest --verification-record PATH`, see record_writer.py) and
`nox -s stability` adds the CPU configurations under which every output agreed; the build
reads it (verified_line.py). Each page's entry holds a hash of what the reader sees and
runs (`page_hash`), so the build can tell a page edited since it was verified.

The file is small JSON with sorted keys. Nothing in it changes from one run to the next
on an unchanged tree: a page's date and seconds are kept while its hash and the PyTorch
version stay the same.
"""

import hashlib
import json
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from verified_docs.page.fences import find_fences
from verified_docs.page.figures import page_figures
from verified_docs.page.snippets import included_files

FORMAT = 1
# Fences that hold text or commands for the reader: shown, never run or compared. Every
# other fence (python, output, quiz, and any the verifier refuses) is part of the hash.
READER_TEXT = {"bash", "console", "json", "markdown", "md", "sh", "shell", "text", "toml", "yaml"}
# Comments that change what runs: which blocks are skipped, how long one may take.
DIRECTIVE = re.compile(r"<!--[ \t]*(?:skip|timeout):.*?-->", re.DOTALL)


def page_hash(text: str, root: Path, folder: Path) -> str:
    """A hash of a page's code, the snippet files it embeds, its outputs, figures (files
    under the page's `folder`), quizzes and directives, in page order; the prose around
    them does not count."""
    fences = list(find_fences(text))
    parts = [(fence.start, _fence_part(fence, root)) for fence in fences]
    parts += [
        (match.start(), ["directive", match.group()])
        for match in DIRECTIVE.finditer(text)
        if not any(fence.start <= match.start() < fence.end for fence in fences)
    ]
    hashed = [part for _, part in sorted(parts) if part is not None]
    hashed += [["figure", mark.path, _file_text(folder / mark.path)] for mark in page_figures(text)]
    return hashlib.sha256(json.dumps(hashed).encode("utf-8")).hexdigest()[:16]


def file_hash(page: str, root: Path) -> str:
    """`page_hash` of the page file `page` (docs/...) of the project at `root`."""
    text = (root / page).read_text(encoding="utf-8", errors="replace")
    return page_hash(text, root, (root / page).parent)


def _fence_part(fence, root: Path) -> list | None:
    if fence.language in READER_TEXT:
        return None
    snippets = {name: _file_text(root / name) for name in included_files(fence.source)}
    return [fence.info.strip(), fence.source, snippets]


def _file_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


@dataclass(frozen=True)
class PageResult:
    """What one complete run of a page verified."""

    blocks: int
    outputs: int
    quiz_questions: int
    skipped: list[str]  # the reason of each skipped block, in page order
    seconds: float


def release(torch_version: str) -> str:
    """2.15.0 for 2.15.0+cu132: the local part names the wheel's build, not the release."""
    return torch_version.split("+")[0]


def release_key(name: str) -> tuple[int, ...]:
    """Orders releases as numbers: 2.9.0 before 2.13.0."""
    return tuple(int(part) for part in release(name).split(".") if part.isdigit())


def environment() -> dict:
    return {
        "numpy": version("numpy"),
        "python": platform.python_version(),
        "torch": version("torch"),
    }


def read(path: Path) -> dict:
    """The record at `path`, or an empty one when there is none yet."""
    if not path.is_file():
        return {"environment": {}, "format": FORMAT, "pages": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, record: dict) -> None:
    text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def updated(
    old: dict,
    results: dict[str, tuple[str, PageResult]],
    failed: set[str],
    existing: set[str],
    today: str | None = None,
) -> dict:
    """The record after a run: `results` maps a page run whole to (hash, result).

    A failed page loses its entry, a page that no longer exists too; a page not run
    whole keeps its old entry. An entry whose hash and PyTorch version did not change
    keeps its date, seconds and stability mark, so the file changes only with the pages.
    """
    today = today or datetime.now(UTC).date().isoformat()
    env = environment()
    same_torch = old.get("environment", {}).get("torch") == env["torch"]
    for mark in ("stability", "earlier_releases"):
        if same_torch and mark in old.get("environment", {}):
            env[mark] = old["environment"][mark]
    pages = {
        page: entry
        for page, entry in old.get("pages", {}).items()
        if page in existing and page not in failed and same_torch
    }
    for page, (hash_, result) in results.items():
        previous = pages.get(page, {})
        entry = {
            "blocks": result.blocks,
            "hash": hash_,
            "outputs": result.outputs,
            "quiz_questions": result.quiz_questions,
            "seconds": round(result.seconds, 2),
            "skipped": result.skipped,
            "verified_on": today,
        }
        if previous.get("hash") == hash_:
            entry["seconds"] = previous["seconds"]
            entry["verified_on"] = previous["verified_on"]
            for mark in ("stable", "releases"):  # what other runs found of this page
                if mark in previous:
                    entry[mark] = previous[mark]
        pages[page] = entry
    return {"environment": env, "format": FORMAT, "pages": dict(sorted(pages.items()))}


def with_stability(record: dict, configurations: list[str], hashes: dict[str, str]) -> dict:
    """The record after a stability run in which every configuration agreed on every
    output: it names the configurations, and marks the pages whose hash it ran."""
    pages = {}
    for page, entry in record.get("pages", {}).items():
        entry = dict(entry)
        if hashes.get(page) == entry.get("hash"):
            entry["stable"] = True
        pages[page] = entry
    environment_ = {**record.get("environment", {}), "stability": configurations}
    return {**record, "environment": environment_, "pages": pages}


def with_releases(record: dict, releases: dict[str, dict[str, dict]], hashes: dict) -> dict:
    """The record after `nox -s releases`: `releases` maps each earlier release to what
    it did on each page ({"holds": ..., "differs": {...}}), for the pages at `hashes`
    (the current release's run). A page whose entry has another hash gets nothing."""
    pages = {}
    for page, entry in record.get("pages", {}).items():
        entry = dict(entry)
        if hashes.get(page) == entry.get("hash"):
            found = {name: runs[page] for name, runs in releases.items() if page in runs}
            entry["releases"] = {name: found[name] for name in sorted(found, key=release_key)}
        pages[page] = entry
    earlier = sorted(releases, key=release_key)
    environment_ = {**record.get("environment", {}), "earlier_releases": earlier}
    return {**record, "environment": environment_, "pages": pages}
