"""Each program in snippets/ runs alone, as a reader runs it, and prints what its page shows.

It runs as `python snippets/name.py` does, in a process forked from the worker's fork
server, which has imported torch, NumPy, scikit-learn and matplotlib (see
verifier/program_run.py); the standalone copies run there too.
"""

from pathlib import Path

import pytest

from verified_docs.page.page_model import CodeBlock, read_page
from verified_docs.test_run.standalone_check import SERVER
from verified_docs.verifier.block_run import Run
from verified_docs.verifier.output_check import difference

ROOT = Path(__file__).parents[1]
SNIPPETS = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.glob("snippets/*.py"))


def embeddings(snippet: str) -> list[CodeBlock]:
    """The blocks on any page that include `snippet`."""
    blocks = []
    for page in sorted(ROOT.glob("docs/**/*.md")):
        blocks += [block for block in read_page(page, ROOT).blocks if snippet in block.snippets]
    return blocks


def test_there_are_snippets():
    assert SNIPPETS, "snippets/ holds no program"


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_snippet_runs_alone_and_prints_what_its_page_shows(snippet):
    blocks = embeddings(snippet)
    assert blocks, f"{snippet} is embedded in no page under docs/"
    shown = [block for block in blocks if block.output is not None]
    limit = max(block.time_limit_s for block in blocks)
    # As a page's blocks: in a folder of its own, with no input, under the page's limit.
    done = SERVER.run_program(snippet, ROOT, limit)
    assert done["returncode"] is not None, f"`python {snippet}` ran past {limit} s"
    run = Run(done["stdout"], done["stderr"] if done["returncode"] else None)
    if not shown:  # a setup snippet, such as the figure style, prints nothing
        assert (run.stdout, run.error) == ("", None), f"{snippet}: prints, but no page shows it"
    for block in shown:
        diff = difference(block.output.source, run)
        assert diff is None, f"{block.page}:{block.output.line}: `python {snippet}` printed\n{diff}"
