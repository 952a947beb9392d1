"""A guide page read once: its Python blocks, quizzes, skip directives and problems.

Every consumer works from this model: the test run (sybil_pages.py, Sybil's adapter),
the update mode (output_rewrite.py), the notebook export (page_notebooks.py) and the
quiz build (quiz/build.py). So the fence vocabulary, the gates and the skip rule live
here once, and a page's blocks are the same blocks wherever they are used.

A page pairs a `python` fence with the `output` fence right below it. Anything that looks
like Python but would not run (```py, an unknown attribute, a fence with no language, an
output under no block, a fence inside a blockquote, a `--8<--` include outside a fence)
becomes a `Problem`, so nothing on a page escapes the run unnoticed.

A block runs under a time limit (`DEFAULT_TIME_LIMIT_S`); a page gives one
block more with `<!-- timeout: 120 -->` on the line right above it.

Skip directives mean what Sybil makes them mean: `<!-- skip: next "..." -->` applies to
the next example of the page, whatever it is (a Python block, a quiz, a problem), and
`skip: start` ... `skip: end` to every example in between.
"""

import ast
import re
from dataclasses import dataclass
from os.path import relpath
from pathlib import Path
from typing import NamedTuple

from sybil import Document
from sybil.parsers.abstract.skip import SKIP_ARGUMENTS_PATTERN
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer

from .fences import Fence, find_fences, line_of
from .snippets import SnippetError, expand, included_files

PYTHON = "python"
OUTPUT = "output"
QUIZ = "quiz"
PYTHON_ATTRIBUTES = {"title", "hl_lines", "linenums"}
# ```output measured: one run's measurements (timings), whose numbers the comparison
# takes as any number; the rest of the text must match.
MEASURED = "measured"
OUTPUT_ATTRIBUTES = {MEASURED}
PYTHON_LOOKALIKES = {"py", "py3", "python3", "pycon", "ipython", "ipython3", "pyi", "Python"}
# Fences in these languages hold text or commands for the reader, not code we run.
OTHER_LANGUAGES = {
    "bash", "console", "json", "markdown", "md", QUIZ, "shell", "sh", "text", "toml", "yaml",
}  # fmt: skip
TIMEOUT = re.compile(r"<!--[ \t]*timeout:(?P<value>[^\n]*?)-->")
SECONDS = re.compile(r"[ \t]*(?P<seconds>[1-9][0-9]*)[ \t]*")
# Fences the verifier's scan cannot see: in a blockquote, or Markdown included at page level.
QUOTED_FENCE = re.compile(r"^[ \t]*>[ \t>]*(`{3,}|~{3,})", re.MULTILINE)
PAGE_INCLUDE = re.compile(r"^[ \t]*-+8<-+", re.MULTILINE)
TRACEBACK_HEADER = "Traceback (most recent call last):"
SKIP = "skip"
DEFAULT_TIME_LIMIT_S = 60  # seconds a block may run; <!-- timeout: N --> gives it more


@dataclass(frozen=True)
class CodeBlock:
    """A Python block as the reader sees it, with the output fence below it, if any.

    `fence` is the block as written in the Markdown; `source` is its code with snippet
    includes expanded, as pymdownx.snippets expands them: the code the built page shows,
    its copy button copies, the notebook holds and the test run executes.
    """

    page: str
    fence: Fence
    source: str
    output: Fence | None
    time_limit_s: int = DEFAULT_TIME_LIMIT_S

    @property
    def where(self) -> str:
        return f"{self.page}:{self.fence.line}"

    @property
    def snippets(self) -> list[str]:
        return included_files(self.fence.source)

    @property
    def expected_output(self) -> str | None:
        return self.output.source if self.output is not None else None

    @property
    def measured(self) -> bool:
        """Whether the output fence shows one run's measurements, any number matching."""
        return self.output is not None and MEASURED in self.output.attributes

    @property
    def expects_error(self) -> bool:
        """Whether the page shows a traceback under the block: it must raise."""
        return self.output is not None and shows_traceback(self.output.source)


@dataclass(frozen=True)
class Quiz:
    """A ```quiz fence: questions as JSON (quiz/schema.py), checked as one example."""

    page: str
    fence: Fence

    @property
    def where(self) -> str:
        return f"{self.page}:{self.fence.line}"


@dataclass(frozen=True)
class Problem:
    """Something on the page the verifier cannot run; it fails with `message`."""

    message: str


class Skip(NamedTuple):
    """A skip directive, unpacked by Sybil's skipper as `action, arguments`."""

    action: str  # next, start or end
    arguments: str | None  # the reason, or `if(condition, reason="...")`

    @property
    def reason(self) -> str:
        """The reason a reader is told, without evaluating a condition."""
        return skip_reason(self.arguments or "")

    @property
    def conditional(self) -> bool:
        """`if(condition, reason=...)`: the block runs wherever the condition is false."""
        return (self.arguments or "").strip().startswith("if")


Example = CodeBlock | Quiz | Problem


@dataclass(frozen=True)
class Item:
    """One part of a page that the test run sees: where it is and what it is."""

    start: int
    end: int
    parsed: Example | Skip


@dataclass(frozen=True)
class Page:
    """A page as read from its file: `path` from the project root, e.g. docs/losses/index.md."""

    path: str
    text: str
    fences: list[Fence]
    items: list[Item]  # in page order

    @property
    def blocks(self) -> list[CodeBlock]:
        return [item.parsed for item in self.items if isinstance(item.parsed, CodeBlock)]

    @property
    def quizzes(self) -> list[Quiz]:
        return [item.parsed for item in self.items if isinstance(item.parsed, Quiz)]

    @property
    def problems(self) -> list[Problem]:
        return [item.parsed for item in self.items if isinstance(item.parsed, Problem)]

    def reason_skipped(self, example: Example) -> str | None:
        """Why the test run skips `example`, a block or quiz of this page; None if it runs."""
        skip = self.skip_of(example)
        return skip.reason if skip is not None else None

    def skip_of(self, example: Example) -> Skip | None:
        """The directive that skips `example`; None if the test run runs it."""
        skips = _skips_by_item(self.items)
        indices = [index for index, item in enumerate(self.items) if item.parsed is example]
        return skips.get(indices[0]) if indices else None

    def skip_reasons(self) -> dict[int, str]:
        """{index in `items`: reason} for each example a skip directive applies to."""
        return {index: skip.reason for index, skip in _skips_by_item(self.items).items()}


def _skips_by_item(items: list[Item]) -> dict[int, Skip]:
    """{index in `items`: directive} for each example a skip directive applies to.

    Sybil's rule: `skip: next` takes the next example of any kind; `skip: start` every
    example until `skip: end`. A conditional skip counts as a skip here, since only the
    test run can evaluate its condition.
    """
    skips: dict[int, Skip] = {}
    next_skip = section_skip = None
    for index, item in enumerate(items):
        if isinstance(item.parsed, Skip):
            if item.parsed.action == "next":
                next_skip = item.parsed
            elif item.parsed.action == "start":
                section_skip = item.parsed
            else:
                section_skip = None
        elif next_skip is not None:
            skips[index], next_skip = next_skip, None
        elif section_skip is not None:
            skips[index] = section_skip
    return skips


def page_path(file: str | Path, root: str | Path) -> str:
    """The page's path from the project root (docs/x.md), as every message names it."""
    return Path(relpath(file, root)).as_posix()


def read_page(file: str | Path, root: Path) -> Page:
    """The page in `file`, read as it is on disk: real line numbers, front matter included."""
    return parse_page(Path(file).read_text(encoding="utf-8"), page_path(file, root), root)


def parse_page(text: str, path: str, root: Path) -> Page:
    """The model of a page's `text`; `path` names it in messages, `root` holds snippets/."""
    fences = list(find_fences(text))
    items = [
        *_hidden_blocks(path, text, fences),
        *_fence_items(path, text, fences, root),
        *_skips(path, text),
    ]
    return Page(path, text, fences, _unchecked_outputs(sorted(items, key=lambda i: i.start)))


def _unchecked_outputs(items: list[Item]) -> list[Item]:
    """`items`, with a problem for each output fence that no run can ever check: under a
    block skipped everywhere, or one run's measurements under a block that may not run.
    (Under a conditional skip the block, and its output, run where it can.)"""
    skips = _skips_by_item(items)
    for index, item in enumerate(items):
        block, skip = item.parsed, skips.get(index)
        if not isinstance(block, CodeBlock) or block.output is None or skip is None:
            continue
        if block.measured or not skip.conditional:
            message = (
                f"{block.page}:{block.output.line}: an output fence under a block the test "
                "suite skips is never checked, and would look verified: remove it (say in "
                "the text what the block does), or skip only where the block cannot run "
                '(<!-- skip: next if(condition, reason="...") -->)'
            )
            items[index] = Item(item.start, item.end, Problem(message))
    return items


def shows_traceback(output: str) -> bool:
    """Whether an output fence shows an exception (then the block must raise it)."""
    return TRACEBACK_HEADER in output


def skip_reason(arguments: str) -> str:
    """The reason of a skip directive's arguments: `"why"` or `if(cond, reason="why")`."""
    text = arguments.strip()
    if text.startswith("if"):  # Sybil's `if(...)`, which is not Python as written
        text = "if_" + text[2:]
    try:
        expression = ast.parse(text, mode="eval").body
    except SyntaxError:
        return arguments.strip()
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return expression.value
    if isinstance(expression, ast.Call):
        for keyword in expression.keywords:
            if keyword.arg == "reason" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return arguments.strip()


def _fence_items(path: str, text: str, fences: list[Fence], root: Path) -> list[Item]:
    limits, items = _time_limits(path, text, fences)
    paired: set[int] = set()
    for index, fence in enumerate(fences):
        if index in paired:
            continue
        following = fences[index + 1] if index + 1 < len(fences) else None
        if fence.language == PYTHON:
            output = following if _is_output_of(fence, following, text) else None
            if output is not None:
                paired.add(index + 1)
            limit = limits.get(index, DEFAULT_TIME_LIMIT_S)
            end = output.end if output else fence.end
            items.append(Item(fence.start, end, _python_block(path, fence, output, limit, root)))
        elif fence.language == QUIZ:
            items.append(Item(fence.start, fence.end, Quiz(path, fence)))
        else:
            problem = _fence_problem(path, fence)
            if problem is not None:
                items.append(Item(fence.start, fence.end, problem))
    return items


def _hidden_blocks(path: str, text: str, fences: list[Fence]) -> list[Item]:
    """A problem for each fence in a blockquote and each page-level include."""
    hidden = [
        (match, "a fence inside a blockquote is shown but never run; move it out of the quote")
        for match in QUOTED_FENCE.finditer(text)
    ] + [
        (match, "--8<-- outside a fence includes Markdown the verifier never sees; "
         "include snippets only as the one line of a python fence")
        for match in PAGE_INCLUDE.finditer(text)
    ]  # fmt: skip
    return [
        Item(match.start(), match.end(), _problem(path, text, match.start(), message))
        for match, message in hidden
        if not _inside(match.start(), fences)
    ]


def _time_limits(path: str, text: str, fences: list[Fence]) -> tuple[dict[int, int], list[Item]]:
    """{fence index: seconds} from the timeout directives, and a problem for each bad one."""
    limits: dict[int, int] = {}
    problems: list[Item] = []
    for match in TIMEOUT.finditer(text):
        if _inside(match.start(), fences):
            continue
        after = [i for i, fence in enumerate(fences) if fence.start >= match.end()]
        seconds = SECONDS.fullmatch(match["value"])
        target = after[0] if after else None
        if target is None or text[match.end() : fences[target].start].strip():
            message = "a timeout directive must be right above a python fence"
        elif fences[target].language != PYTHON:
            message = "a timeout directive applies only to a python fence"
        elif seconds is None:
            message = "write the time limit in whole seconds: <!-- timeout: 120 -->"
        else:
            limits[target] = int(seconds["seconds"])
            continue
        problem = _problem(path, text, match.start(), message)
        problems.append(Item(match.start(), match.end(), problem))
    return limits, problems


def _skips(path: str, text: str) -> list[Item]:
    """The skip directives, and a problem for one without a reason or a `skip: end`."""
    items = []
    last_start = None
    lexer = DirectiveInHTMLCommentLexer(SKIP)
    for lexed in lexer(Document(text, path)):
        arguments = lexed.lexemes["arguments"]
        match = SKIP_ARGUMENTS_PATTERN.match(arguments or "")
        if match is None:
            message = f"malformed skip directive: {(arguments or '').strip()!r}"
            items.append(Item(lexed.start, lexed.end, _problem(path, text, lexed.start, message)))
            continue
        action, reason = match.groups()
        if action in ("next", "start") and not (reason and reason.strip()):
            message = (
                f"'skip: {action}' gives no reason; "
                f'write <!-- skip: {action} "why this block cannot run here" -->'
            )
            items.append(Item(lexed.start, lexed.end, _problem(path, text, lexed.start, message)))
            continue
        item = Item(lexed.start, lexed.end, Skip(action, reason))
        last_start = item if action == "start" else None if action == "end" else last_start
        items.append(item)
    if last_start is not None:
        message = "'skip: start' has no '<!-- skip: end -->' after it"
        problem = _problem(path, text, last_start.start, message)
        items[items.index(last_start)] = Item(last_start.start, last_start.end, problem)
    return items


def _is_output_of(fence: Fence, following: Fence | None, text: str) -> bool:
    if following is None or following.language != OUTPUT:
        return False
    return not text[fence.end : following.start].strip()


def _python_block(
    path: str, fence: Fence, output: Fence | None, time_limit_s: int, root: Path
) -> CodeBlock | Problem:
    where = f"{path}:{fence.line}"
    unknown = sorted(set(fence.attributes) - PYTHON_ATTRIBUTES)
    if unknown:
        return Problem(
            f"{where}: python fence has attributes the verifier does not "
            f"know: {', '.join(unknown)} (known: {', '.join(sorted(PYTHON_ATTRIBUTES))})"
        )
    if fence.source.lstrip().startswith(">>>"):
        return Problem(
            f"{where}: python block uses >>> prompts, which the copy button "
            "would copy; write plain code and put what it prints in an output fence below"
        )
    if not fence.closed:
        return Problem(f"{where}: fence never closes")
    unknown = sorted(set(output.attributes) - OUTPUT_ATTRIBUTES) if output else []
    if unknown:
        return Problem(
            f"{path}:{output.line}: output fence has attributes the verifier does not know: "
            f"{', '.join(unknown)} (known: {', '.join(sorted(OUTPUT_ATTRIBUTES))})"
        )
    try:
        source = expand(fence.source, root, where)
    except SnippetError as error:
        return Problem(str(error))
    return CodeBlock(path, fence, source, output, time_limit_s)


def _fence_problem(path: str, fence: Fence) -> Problem | None:
    where = f"{path}:{fence.line}"
    language = fence.language
    if language == OUTPUT:
        return Problem(f"{where}: output fence with no python block right above it")
    if not language:
        return Problem(f"{where}: fence names no language; use ```python or ```text")
    if language in PYTHON_LOOKALIKES or PYTHON in language.lower():
        return Problem(
            f"{where}: ```{fence.info.strip()} is not run by the verifier; "
            f'open Python blocks with ```python (attributes: title="...", hl_lines, linenums)'
        )
    if language not in OTHER_LANGUAGES:
        return Problem(
            f"{where}: unknown fence language {language!r}; "
            f"use python, output, or one of {', '.join(sorted(OTHER_LANGUAGES))}"
        )
    return None


def _problem(path: str, text: str, offset: int, message: str) -> Problem:
    return Problem(f"{path}:{line_of(text, offset)}: {message}")


def _inside(offset: int, fences: list[Fence]) -> bool:
    return any(fence.start <= offset < fence.end for fence in fences)
