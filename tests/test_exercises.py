"""Every exercise is whole: a check the reader runs, a starter the check says is not done
yet, a solution it accepts and a common slip it rejects, each verdict an output the test
run verified. And each phase of the course has at least three.

An exercise is a run of Python blocks titled, in page order, "The check", "Your turn",
"Solution" and "A common slip" (CONTRIBUTING.md, "Exercises"). The check prints one line
that starts with "Correct:" or "Not yet:"; the test run compares every such line with the
page like any other output, so this test reads the verified outputs from the page model.
"""

import re
from pathlib import Path

import pytest

from verified_docs.page.page_model import CodeBlock, read_page

ROOT = Path(__file__).resolve().parents[1]
ROLES = ("The check", "Your turn", "Solution", "A common slip")
CHECK_CALL = re.compile(r"^(check_\w+)\(", re.MULTILINE)
# Which phase an exercise practises, by the folder of its page or, on the course's own
# pages, by the page.
PHASES = {"losses": "losses", "optimizers": "optimizers", "training-loop": "training loop"}


def exercises(page) -> list[dict[str, CodeBlock]]:
    """The page's exercises: each a {role: block}, in page order."""
    found, current = [], None
    for block in page.blocks:
        role = block.fence.attributes.get("title")
        if role not in ROLES:
            continue
        if role == "The check":
            current = {}
            found.append(current)
        assert current is not None, f"{block.where}: a {role!r} block before any 'The check'"
        assert role not in current, f"{block.where}: a second {role!r} in one exercise"
        current[role] = block
    return found


def verdict(block: CodeBlock) -> str:
    assert block.output is not None, f"{block.where}: no output fence: the check says nothing"
    return block.output.source.strip().splitlines()[-1]


PAGES = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.glob("docs/**/*.md"))
EXERCISES = [
    (f"{page}:{exercise['The check'].fence.line}", exercise)
    for page in PAGES
    for exercise in exercises(read_page(ROOT / page, ROOT))
]


@pytest.mark.parametrize(("where", "exercise"), EXERCISES, ids=[w for w, _ in EXERCISES])
def test_an_exercise_has_a_check_a_starter_a_solution_and_a_slip(where, exercise):
    assert set(exercise) == set(ROLES), f"{where}: has {sorted(exercise)}, needs {ROLES}"
    check = exercise["The check"]
    [name] = re.findall(r"^def (check_\w+)\(", check.source, re.MULTILINE)
    for role in ROLES[1:]:
        block = exercise[role]
        assert CHECK_CALL.findall(block.source)[-1:] == [name], (
            f"{block.where}: the {role!r} block must end by calling {name}"
        )
    assert verdict(exercise["Your turn"]).startswith("Not yet:"), where
    assert verdict(exercise["Solution"]).startswith("Correct:"), where
    assert verdict(exercise["A common slip"]).startswith("Not yet:"), where


def phase_of(page: str, text: str) -> str | None:
    folder = page.split("/")[1]
    if folder in PHASES:
        return PHASES[folder]
    match = re.search(r"<!-- phase: (losses|optimizers|training loop) -->", text)
    return match[1] if match else None


def test_each_phase_has_at_least_three_exercises():
    counts = dict.fromkeys(PHASES.values(), 0)
    for where, _ in EXERCISES:
        page = where.rpartition(":")[0]
        phase = phase_of(page, (ROOT / page).read_text(encoding="utf-8"))
        assert phase is not None, f"{page}: an exercise on a page of no phase"
        counts[phase] += 1
    print(f"exercises by phase: {counts}")
    assert all(count >= 3 for count in counts.values()), counts
