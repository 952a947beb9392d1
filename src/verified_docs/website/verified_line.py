"""The build's side of the verification record: a "Verified" line on every page, a
banner on a page changed since it was verified, and the table of the verification page.

A page whose hash differs from its entry in the record (`extra.verification_record` in
mkdocs.yml, written by `nox -s tests`), or that has no entry, is logged as a warning
naming it: `mkdocs build --strict` then fails, while `mkdocs serve` shows the page with
a "changed since last verified" banner. Notebook pages are executed by the build itself
(mkdocs-jupyter), so their line says what that execution did instead.
"""

import html
import json
import logging
import posixpath
from importlib.metadata import version
from pathlib import Path

from verified_docs.page.page_model import page_path
from verified_docs.record import verification_record
from verified_docs.record.verification_record import release

log = logging.getLogger("mkdocs.plugins.verified_docs.record")
VERIFICATION_PAGE = "verification.md"  # "How this site is verified"
TABLE_MARKER = "<!-- verification table -->"
RELEASES_MARKER = "<!-- releases table -->"
REPOSITORY_MARKER = "<!-- repository link -->"
KERNEL_NAMES = {"default": "default", "avx2": "AVX2", "avx512": "AVX-512"}


class VerifiedLines:
    """The record as one build reads it, and each page's line or banner."""

    def __init__(self) -> None:
        self.record: dict | None = None
        self.root = Path.cwd()
        self.record_name = ""
        self.problems: dict[str, str | None] = {}  # src_uri: why the page is not verified
        self.sources: dict[str, str] = {}  # src_uri: docs/x.md, the record's key
        self.same_torch = False  # the record was written with the torch that builds

    def load(self, config) -> None:
        """on_config: read the record; no `extra.verification_record` turns the check off."""
        self.record_name = config.extra.get("verification_record") or ""
        self.problems.clear()
        self.sources.clear()
        if config.config_file_path:
            self.root = Path(config.config_file_path).parent
        self.record = None
        if self.record_name:
            self.record = verification_record.read(self.root / self.record_name)
        recorded = self.record["environment"].get("torch") if self.record else None
        config.copyright = _footer(recorded, config.extra.get("repository"))
        if self.record is None:
            return
        self.same_torch = recorded == version("torch")
        if recorded and not self.same_torch:
            log.warning(
                f"{self.record_name} was written with PyTorch {recorded}, but the build uses "
                f"{version('torch')}: run `nox -s tests` to verify the pages again"
            )

    def page_markdown(self, markdown: str, page, config, files) -> str:
        """on_page_markdown: check the page against its entry; fill in the tables."""
        if REPOSITORY_MARKER in markdown:
            repository = config.extra.get("repository")
            named = (
                f"[the project's repository]({repository})"
                if repository
                else "the project's repository"
            )
            markdown = markdown.replace(REPOSITORY_MARKER, named)
        if self.record is None:
            return markdown
        if page.file.src_uri.endswith(".md"):
            where = page_path(page.file.abs_src_path, self.root)
            problem = self._problem(where, page.file.content_string)
            if problem:
                log.warning(problem)
            self.sources[page.file.src_uri] = where
            self.problems[page.file.src_uri] = problem
        if TABLE_MARKER in markdown:
            markdown = markdown.replace(TABLE_MARKER, self._table(page, files))
        if RELEASES_MARKER in markdown:
            markdown = markdown.replace(RELEASES_MARKER, self._releases_table(page))
        return markdown

    def vouches_for(self, page) -> bool:
        """Whether the record holds the page as it is now (after page_markdown), run whole
        and passed by the tests under the PyTorch that builds: its code, quizzes' too, need
        not run again."""
        src_uri = page.file.src_uri
        return self.same_torch and src_uri in self.problems and self.problems[src_uri] is None

    def page_content(self, content: str, page, files) -> str:
        """on_page_content: the line (or banner) right under the page's title."""
        if self.record is None:
            return content
        if page.file.src_uri.endswith(".ipynb"):
            line = self._notebook_line(page, files)
        elif self.problems.get(page.file.src_uri):
            line = _banner(self.problems[page.file.src_uri])
        else:
            line = self._line(page, files)
        title_end = content.find("</h1>")
        at = title_end + len("</h1>") if title_end >= 0 else 0
        return f"{content[:at]}\n{line}\n{content[at:]}"

    def _problem(self, where: str, text: str) -> str | None:
        entry = self.record["pages"].get(where)
        run = f"run `nox -s tests -- {where}` to verify it"
        if entry is None:
            return f"{where}: has no entry in the verification record {self.record_name}; {run}"
        if (
            verification_record.page_hash(text, self.root, (self.root / where).parent)
            != entry["hash"]
        ):
            return (
                f"{where}: changed since it was last verified (its code, snippets, outputs "
                f"or quizzes differ from {self.record_name}); {run}"
            )
        return None

    def _line(self, page, files) -> str:
        entry = self.record["pages"][self.sources[page.file.src_uri]]
        counts = _counts(entry)
        return (
            f'<p class="verified-line">{self._link(page, files, "Verified")}: {counts} with '
            f"PyTorch {release(self.record['environment']['torch'])} ({self._kernels(entry)}) "
            f"on {entry['verified_on']}. {self._releases(entry)}</p>"
        )

    def _releases(self, entry: dict) -> str:
        """What `nox -s releases` found of the page under the earlier releases."""
        earlier = self.record["environment"].get("earlier_releases", [])
        if not earlier:
            return "Earlier releases of PyTorch not checked yet."
        found = entry.get("releases", {})
        current = release(self.record["environment"]["torch"])
        holds = [name for name in earlier if found.get(name, {}).get("holds")]
        parts = []
        if holds:
            named = _releases_named([*earlier, current], [*holds, current])
            parts.append(f"Holds on PyTorch {named}.")
        differing: dict[str, list[str]] = {}  # what differs: the releases it differs on
        for name in earlier:
            if name not in found:
                parts.append(f"Not yet checked with PyTorch {name}.")
            elif not found[name]["holds"]:
                differing.setdefault(_differences(found[name]), []).append(name)
        for what, names in differing.items():
            parts.append(f"With PyTorch {' and '.join(names)}, {what}.")
        return html.escape(" ".join(parts))

    def _kernels(self, entry: dict) -> str:
        configurations = self.record["environment"].get("stability")
        if not (configurations and entry.get("stable")):
            return "CPU kernels not compared yet"
        kernels = dict.fromkeys(name.split(",")[0] for name in configurations)
        return "CPU: " + ", ".join(KERNEL_NAMES.get(kernel, kernel) for kernel in kernels)

    def _notebook_line(self, page, files) -> str:
        cells = _count(code_cells(Path(page.file.abs_src_path)), "code cell")
        return (
            f'<p class="verified-line">{self._link(page, files, "Executed by the build")}: '
            f"its {cells} ran without an error with PyTorch {release(version('torch'))} "
            "in the environment that built this site; the outputs shown are that run's, "
            "not compared with stored ones.</p>"
        )

    def _link(self, page, files, text: str) -> str:
        target = files.get_file_from_path(VERIFICATION_PAGE)
        if target is None:
            return text
        return f'<a href="{html.escape(target.url_relative_to(page.file))}">{text}</a>'

    def _table(self, page, files) -> str:
        here = posixpath.dirname(page.file.src_uri)
        env = self.record["environment"]
        agreed = "; ".join(env.get("stability", [])) or "not compared yet"
        intro = (
            f"Verified with PyTorch {env.get('torch')}, Python {env.get('python')} and NumPy "
            f"{env.get('numpy')}. CPU configurations that agreed on every output: {agreed}.\n\n"
        )
        # Narrow columns: the table fits the column of a wide screen (the seconds each page
        # took are in the record).
        rows = [
            "| Page | Blocks run | Outputs checked | Quiz questions | Skipped | Verified on |",
            "|---|--:|--:|--:|---|---|",
        ]
        for where, entry in self.record["pages"].items():
            source = where.removeprefix("docs/")
            link = f"[{source}]({posixpath.relpath(source, here or '.')})"
            skipped = "; ".join(entry["skipped"]) or "none"
            rows.append(
                f"| {link} | {entry['blocks']} | {entry['outputs']} | "
                f"{entry['quiz_questions']} | {skipped} | {entry['verified_on']} |"
            )
        for file in sorted(files.documentation_pages(), key=lambda file: file.src_uri):
            if file.src_uri.endswith(".ipynb"):
                link = f"[{file.src_uri}]({posixpath.relpath(file.src_uri, here or '.')})"
                cells = code_cells(Path(file.abs_src_path))
                rows.append(f"| {link} | {cells} cells, run by the build | - | - | none | - |")
        return intro + "\n".join(rows) + "\n"

    def _releases_table(self, page) -> str:
        """The pages against the releases: what each printed, from `nox -s releases`."""
        here = posixpath.dirname(page.file.src_uri)
        earlier = self.record["environment"].get("earlier_releases", [])
        current = release(self.record["environment"].get("torch", "?"))
        if not earlier:
            return "No earlier release of PyTorch has been checked yet (`nox -s releases`).\n"
        rows = [
            "| Page | " + " | ".join(f"PyTorch {name}" for name in [*earlier, current]) + " |",
            "|---|" + "---|" * (len(earlier) + 1),
        ]
        for where, entry in self.record["pages"].items():
            source = where.removeprefix("docs/")
            cells = [f"[{source}]({posixpath.relpath(source, here or '.')})"]
            for name in earlier:
                found = entry.get("releases", {}).get(name)
                if found is None:
                    cells.append("not checked")
                elif found["holds"]:
                    cells.append("the same")
                else:
                    cells.append(_differences(found))
            rows.append("| " + " | ".join([*cells, "verified"]) + " |")
        return "\n".join(rows) + "\n"


def _footer(torch_version: str | None, repository: str | None) -> str | None:
    """The footer: the release that printed the outputs (the record of the run is its one
    place), and the project's repository, where the build knows it."""
    parts = []
    if torch_version:
        release_ = release(torch_version)
        parts.append(
            f"Every output on this site is printed by PyTorch {release_}, checked on each build."
        )
    if repository:
        parts.append(f'<a href="{html.escape(repository)}">The pages, code and tests</a>.')
    return " ".join(parts) or None


def _releases_named(checked: list[str], holding: list[str]) -> str:
    """ "2.13 to 2.15" when the releases held on are the newest ones checked, in a row;
    else each, in full."""
    if len(holding) > 1 and checked[-len(holding) :] == holding:
        return f"{_minor(holding[0])} to {_minor(holding[-1])}"
    return " and ".join(holding)


def _minor(name: str) -> str:
    return ".".join(name.split(".")[:2])


def _differences(result: dict) -> str:
    lines = sorted((where.rpartition(":")[2] for where in result["differs"]), key=int)
    if not lines:
        return "a check other than a printed output fails (a figure, a quiz or a copy)"
    blocks = _count(len(lines), "block")
    return (
        f"{blocks} {'prints' if len(lines) == 1 else 'print'} otherwise (line {', '.join(lines)})"
    )


def _counts(entry: dict) -> str:
    if not entry["blocks"] and not entry["quiz_questions"] and not entry["skipped"]:
        return "no code on this page; checked"
    parts = [f"{_count(entry['blocks'], 'block')} run", _count(entry["outputs"], "output")]
    parts[-1] += " checked"
    if entry["quiz_questions"]:
        parts.append(f"{_count(entry['quiz_questions'], 'quiz question')} checked")
    if entry["skipped"]:
        parts.append(f"{len(entry['skipped'])} skipped ({'; '.join(entry['skipped'])})")
    return html.escape(", ".join(parts))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _banner(problem: str) -> str:
    return (
        '<div class="verified-stale" role="status"><strong>Changed since last verified'
        f"</strong>: {html.escape(problem)}</div>"
    )


def code_cells(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)
