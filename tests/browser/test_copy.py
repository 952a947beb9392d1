"""What a copy button copies runs, and prints what the page shows under the block.

For each page, every Python block's copy button is clicked and the clipboard read. The
copied blocks then run in order in one fresh Python process, as a reader pastes them
into a session, and what each prints is compared with the Output box under it, by the
test suite's own rules (verified_docs.outputs: numbers rounded to the digits shown,
`...` for any text). A quiz's code runs in a fresh process of its own and must print
the quiz's right answer. A block that the test suite skips (`<!-- skip: ... -->`,
e.g. one that needs a GPU) is copied and checked, but not run. A block shown with a file
name as its title is also saved under that name in the working folder, as a reader
saves it to run it as a script (a later block may launch it, say with torchrun).
"""

import json
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from browsing import PAGE_BLOCKS
from site_server import page_file

from verified_docs.outputs import Run, difference

RUNNER = Path(__file__).with_name("run_blocks.py")
SENTINEL = "(nothing copied yet)"

# The language of each block with a copy button that is not Python (a shell command).
OTHER_COPY_BUTTONS = """() => [...document.querySelectorAll("button[data-md-type=copy]")]
  .map((button) => button.closest(".highlight"))
  .filter((block) => !block || !block.matches(".language-python"))
  .map((block) => block ? block.className : "(not in a code block)")"""

# Make a block visible: open the <details> and select the content tab that hold it.
REVEAL = """(target) => {
  const code = document.querySelector(target);
  for (let node = code; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
    if (node.classList.contains("tabbed-block")) {
      const set = node.closest(".tabbed-set");
      const index = [...node.parentElement.children].indexOf(node);
      set.querySelectorAll(":scope > input")[index].click();
    }
  }
}"""


def test_copied_blocks_run_and_print_what_the_page_shows(browse, site, page_path, server, tmp_path):
    if "language-python highlight" not in page_file(site, page_path).read_text("utf-8"):
        pytest.skip("no Python block on this page")
    context = browse.context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(server(page_path))
    page.wait_for_load_state("networkidle")
    blocks = page.evaluate(PAGE_BLOCKS)
    problems = []
    output_buttons = page.locator(".verified-output button[data-md-type=copy]").count()
    if output_buttons:
        problems.append(f"{output_buttons} Output boxes have a copy button")
    for number, block in enumerate(blocks, 1):
        if block["id"] is None:
            problems.append(f"block {number} has no copy button")
            continue
        page.evaluate(REVEAL, block["id"])
        page.evaluate("text => navigator.clipboard.writeText(text)", SENTINEL)
        button = page.locator(f'button[data-clipboard-target="{block["id"]}"]')
        button.click()
        page.wait_for_function(
            "s => navigator.clipboard.readText().then(t => t !== s)", arg=SENTINEL, timeout=5000
        )
        block["copied"] = page.evaluate("navigator.clipboard.readText()")
        if block["copied"].rstrip("\n") != block["shown"].rstrip("\n"):
            problems.append(f"block {number}: the copied text is not the code the page shows")
    assert context.monitor.problems == []
    assert not problems, "\n".join(problems)

    runnable = [block for block in blocks if not block["quiz"] and not block["skipped"]]
    quizzes = [block for block in blocks if block["quiz"]]
    for group in (runnable, quizzes):
        if not group:
            continue
        work = tmp_path / ("quiz" if group is quizzes else "page")
        for block in group:
            save_as_titled(block, work)
        results = run_fresh([block["copied"] for block in group], group is quizzes, work)
        for block, result in zip(group, results, strict=True):
            problem = check(block, Run(**result))
            if problem:
                number = blocks.index(block) + 1
                problems.append(f"block {number}:\n{block['copied']}\n--> {problem}")
    skipped = [b["skipped"] for b in blocks if b["skipped"]]
    others = page.evaluate(OTHER_COPY_BUTTONS)
    print(
        f"{page_path or 'home'}: {len(runnable)} blocks run, {len(quizzes)} quiz codes run, "
        f"{len(skipped)} not run here {skipped}; copy buttons on other languages: {others}"
    )
    assert not problems, "\n\n".join(problems)


def save_as_titled(block: dict, work: Path) -> None:
    """Save a copied block under the file name the page gives it, if any."""
    work.mkdir(parents=True, exist_ok=True)
    name = PurePosixPath(block["filename"] or "")
    if block["filename"] and not name.is_absolute() and ".." not in name.parts:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(block["copied"], encoding="utf-8")


def run_fresh(sources: list[str], fresh: bool, work: Path) -> list[dict]:
    """Run the sources in order in a new Python process, in the working folder `work`."""
    work.mkdir(parents=True, exist_ok=True)
    blocks_file, results_file = work.parent / "blocks.json", work.parent / "results.json"
    blocks_file.write_text(json.dumps([{"source": s, "fresh": fresh} for s in sources]))
    environment = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    completed = subprocess.run(
        [sys.executable, str(RUNNER), str(blocks_file), str(results_file)],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(results_file.read_text())


def check(block: dict, run: Run) -> str | None:
    """What is wrong with a run of the block, or None."""
    if block["quiz"]:
        if run.error:
            return f"the quiz's code raised:\n{run.error}"
        if run.stdout.strip() != (block["answer"] or "").strip():
            return f"the quiz's code printed {run.stdout.strip()!r}, not {block['answer']!r}"
        return None
    if block["output"] is None:
        if run.error:
            return f"raised, and the page shows no output:\n{run.error}"
        if run.stdout:
            return f"printed, and the page shows no output:\n{run.stdout}"
        return None
    return difference(block["output"], run)
