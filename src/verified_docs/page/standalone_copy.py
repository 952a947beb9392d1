"""What a block needs from earlier blocks of its page, and its copy that runs alone.

The blocks of a page run top to bottom in one namespace, like a notebook, so most use
names an earlier block made. A block's standalone copy is the statements of earlier
blocks it needs, transitively, in page order, then the block itself, each verbatim:
pasted into a fresh Python, it prints what the page shows under the whole blocks it
holds (the test run checks it: test_run/standalone_check.py). What each statement needs
is worked out from the code by code_reading.py.

Skipped blocks never go into another block's copy; their own copy is made all the same
(the reader of a GPU-only block copies it to a GPU), but not run by the test run. A
block whose page shows a traceback raises in its last statement (the page shows the
mistake there); what comes before it may make names later blocks use, so a copy takes
that part of it (`BlockSetup`), which must print what the page shows above the
traceback. The test run proves, for every copy, that these rules held.
"""

import ast
import copy
from dataclasses import dataclass, replace

from .code_reading import BlockReading, PageContext, learn_prints, prints
from .page_model import TRACEBACK_HEADER, CodeBlock, Page
from .torch_effects import FILE

# Above an earlier block, or part of one, that prints when a copy runs it.
PRINTS_TOO = "# This part prints too (its output is shown above it on the page).\n"


@dataclass(frozen=True)
class Need:
    """Something a block takes from an earlier block: a name, a file or a random state."""

    key: str  # `model`, `file ckpt.pt`, or one of the random states
    source: CodeBlock  # the last earlier block that made it
    imported: bool = False  # a module or a name imported from one

    @property
    def label(self) -> str:
        return self.key.removeprefix(FILE)


@dataclass(frozen=True)
class BlockSetup(CodeBlock):
    """A block that raises, without its last statement: what it does before the error."""

    @property
    def key(self) -> str:
        return f"{self.fence.line} setup"

    @property
    def copied(self) -> str:
        return self.source


@dataclass(frozen=True)
class BlockPart(CodeBlock):
    """The statements of an earlier block that a copy needs, the others left out.

    `source` keeps every line where it was (the others blank), so that a traceback
    names the page's own lines; `copied` is what the copy holds. Its output is not
    compared: the page shows the whole block's. `prints` says it may print some of it.
    """

    statements: tuple[int, ...] = ()  # the indices of its top-level statements
    lines: tuple[int, ...] = ()  # the lines of `source` it keeps, from 1
    prints: bool = False

    @property
    def key(self) -> str:
        return f"{self.fence.line} part {','.join(map(str, self.statements))}"

    @property
    def copied(self) -> str:
        """The kept lines: a statement's own blank lines stay, as do those between two
        statements both kept; the lines left out leave no gap."""
        lines = self.source.splitlines(keepends=True)
        return "".join(lines[number - 1] for number in self.lines)


@dataclass(frozen=True)
class StandaloneCopy:
    """A block with what it needs from earlier blocks: the code that runs alone."""

    block: CodeBlock
    blocks: tuple[CodeBlock, ...]  # the earlier blocks it needs, in page order, then it
    needs: tuple[Need, ...]  # what the block itself takes from earlier blocks
    skipped: str | None = None  # why the test run skips the block: its copy is not run

    @property
    def text(self) -> str:
        """The copy: the code of each block, or the statements of it that are needed,
        verbatim, a blank line between blocks; an earlier one that prints says so."""
        parts = []
        for block in self.blocks[:-1]:
            prints = block.prints if isinstance(block, BlockPart) else bool(printed(block))
            parts.append((PRINTS_TOO if prints else "") + copied(block))
        return "\n".join([*parts, self.block.source])

    @property
    def continues(self) -> bool:
        """Whether the block needs earlier blocks (the page then says so)."""
        return len(self.blocks) > 1

    @property
    def is_program(self) -> bool:
        """Whether the copy is one program of snippets/ and nothing else, which
        tests/test_snippets.py runs alone (`python snippets/name.py`) and checks."""
        return len(self.blocks) == 1 and bool(self.block.snippets)

    @property
    def steps(self) -> tuple[str, ...]:
        """What the copy runs, one key per block: its line, and "setup" for a setup."""
        return tuple(step_key(block) for block in self.blocks)


def step_key(block: CodeBlock) -> str:
    return block.key if isinstance(block, BlockSetup | BlockPart) else str(block.fence.line)


def copied(block: CodeBlock) -> str:
    """What a copy holds of `block`: all of it, or the part of it that is needed."""
    return block.copied if isinstance(block, BlockSetup | BlockPart) else block.source


def printed(block: CodeBlock) -> str:
    """What the page shows `block` printing, a traceback aside."""
    shown = block.output.source if block.output is not None else ""
    return shown.partition(TRACEBACK_HEADER)[0].strip()


@dataclass(frozen=True, eq=False)
class Statement:
    """One top-level statement of a block: what a copy takes, or leaves out."""

    block: CodeBlock
    index: int
    node: ast.stmt
    prints: bool  # it calls print, or a function of the page that prints


def standalone_copies(page: Page) -> dict[int, StandaloneCopy]:
    """{index in `page.blocks`: its copy} for every block; a skipped one's says why.

    A block is read statement by statement: each statement needs the earlier statements
    that made what it uses, transitively. A block's copy is the statements its own
    statements need, of each earlier block all of it (or, of a block that raises, all
    but its last statement) where all are needed, else only those, then the block.
    """
    context = PageContext()
    made_by: dict[str, Statement] = {}  # key -> the last statement that made it
    closures: dict[Statement, set[Statement]] = {}  # a statement and all it needs
    copies: dict[int, StandaloneCopy] = {}
    for index, block in enumerate(page.blocks):
        skipped = page.reason_skipped(block)
        # What a skipped block defines teaches later blocks nothing: they run without it.
        reading_context = context if skipped is None else copy.deepcopy(context)
        labels = BlockReading(copy.deepcopy(reading_context))
        labels.read(block.source)
        needs = tuple(
            Need(key, made_by[key].block, key in reading_context.modules)
            for key in labels.uses
            if key in made_by
        )
        statements = ast.parse(block.source).body
        own: set[Statement] = set()
        for number, node in enumerate(statements):
            reading = BlockReading(reading_context)
            reading.read_nodes([node])
            statement = Statement(block, number, node, prints(node, reading_context))
            closures[statement] = {statement}.union(
                *(closures[made_by[key]] for key in reading.uses if key in made_by)
            )
            own |= closures[statement]
            raises_here = block.expects_error and number == len(statements) - 1
            if skipped is None and not raises_here:
                made_by.update(dict.fromkeys(reading.makes, statement))
            learn_prints(node, reading_context)
        earlier = copied_blocks({each for each in own if each.block is not block}, page)
        copies[index] = StandaloneCopy(block, (*earlier, block), needs, skipped)
    return copies


def copied_blocks(statements: set[Statement], page: Page) -> list[CodeBlock]:
    """The earlier blocks, or parts of them, that hold `statements`, in page order."""
    result = []
    for block in page.blocks:
        taken = sorted(
            (statement for statement in statements if statement.block is block),
            key=lambda statement: statement.index,
        )
        if taken:
            result.append(block_taking(block, taken))
    return result


def block_taking(block: CodeBlock, taken: list[Statement]) -> CodeBlock:
    """`block` whole, its setup, or the part of it that holds the statements `taken`."""
    count = len(ast.parse(block.source).body)
    indices = tuple(statement.index for statement in taken)
    if indices == tuple(range(count)):
        return block
    if block.expects_error and indices == tuple(range(count - 1)):
        return block_setup(block) or block
    source_lines = block.source.splitlines(keepends=True)
    lines: set[int] = set()
    for statement in taken:
        first, last = statement_lines(statement.node, source_lines)
        lines.update(range(first, last + 1))
        if statement.index + 1 in indices:  # the blank lines up to the next one, too
            following = statement_lines(statements_of(block)[statement.index + 1], source_lines)
            lines.update(range(last + 1, following[0]))
    kept = [line if number in lines else "\n" for number, line in enumerate(source_lines, 1)]
    return BlockPart(
        block.page,
        block.fence,
        "".join(kept),
        None,
        block.time_limit_s,
        statements=indices,
        lines=tuple(sorted(lines)),
        prints=any(statement.prints for statement in taken),
    )


def statements_of(block: CodeBlock) -> list[ast.stmt]:
    return ast.parse(block.source).body


def statement_lines(node: ast.stmt, source_lines: list[str]) -> tuple[int, int]:
    """The first and last line of a statement, with its decorators and the comment lines
    right above it."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    while first > 1 and source_lines[first - 2].lstrip().startswith("#"):
        first -= 1
    return first, node.end_lineno


def block_setup(block: CodeBlock) -> BlockSetup | None:
    """The block without its last statement, and with its output without the traceback."""
    statements = ast.parse(block.source).body
    if len(statements) < 2:
        return None
    last = statements[-1]
    first_line = min([last.lineno, *(d.lineno for d in getattr(last, "decorator_list", []))])
    source = "".join(block.source.splitlines(keepends=True)[: first_line - 1])
    printed = block.output.source.partition(TRACEBACK_HEADER)[0]
    output = replace(block.output, source=printed) if printed.strip() else None
    return BlockSetup(block.page, block.fence, source, output, block.time_limit_s)
