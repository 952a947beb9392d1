"""Holes a wrong page could pass through, each a small bad page verified in a real run.

Every page here must fail by itself, naming its page and line, within its time limit,
whatever kind of run verifies it (in one process, as update-outputs runs, or with xdist
workers), and leave no file behind.
"""

import os
import sys

import pytest
from sample_projects import verify

from verified_docs.page import page_model

HANGS_AND_EXITS = {
    "endless_loop": (
        "<!-- timeout: 1 -->\n```python\nwhile True:\n    pass\n```\n",
        "docs/page.md:2: the block timed out after 1 s",
    ),
    "long_sleep": (
        "<!-- timeout: 1 -->\n```python\nimport time\ntime.sleep(600)\n```\n",
        "docs/page.md:2: the block timed out after 1 s",
    ),
    "swallowed_timeout": (
        "<!-- timeout: 1 -->\n```python\nimport time\ntry:\n    time.sleep(600)\n"
        "except Exception:\n    pass\n```\n",
        "docs/page.md:2: the block timed out after 1 s",
    ),
    "input": (
        '```python\nname = input("name? ")\n```\n',
        "docs/page.md:1: the block raised an exception*",
    ),
    "os_exit": (
        "```python\nimport os\nos._exit(0)\n```\n",
        "docs/page.md:1: the block called os._exit(0); a block must not end the run",
    ),
    "sys_exit": (
        "```python\nimport sys\nsys.exit(0)\n```\n",
        "docs/page.md:1: the block called sys.exit(0); a block must not end the run",
    ),
    "keyboard_interrupt": (
        "```python\nraise KeyboardInterrupt\n```\n",
        "docs/page.md:1: the block was interrupted (KeyboardInterrupt)",
    ),
    "exit_shown_as_traceback": (
        "```python\nimport sys\nsys.exit(3)\n```\n\n```output\nTraceback (most recent call "
        "last):\n  ...\nSystemExit: 3\n```\n",
        "docs/page.md:1: the block called sys.exit(3); a block must not end the run",
    ),
}

WRONG_OUTPUTS = {
    "ellipsis_over_an_exception": (
        "```python\nprint('start')\n1 / 0\n```\n\n```output\nstart\n...\n```\n",
        "docs/page.md:6: the output differs from what the block at line 1 printed",
    ),
    "another_exception_type": (
        "```python\n1 / 0\n```\n\n```output\nTraceback (most recent call last):\n  ...\n"
        "ValueError: division by zero\n```\n",
        "docs/page.md:5: the output differs*",
    ),
    "integral_number": (
        "```python\nprint(0.49)\n```\n\n```output\n0.\n```\n",
        "docs/page.md:5: the output differs*",
    ),
    "integral_numbers_in_a_tensor_print": (
        "```python\nprint('tensor([1.0000, 0.4000])')\n```\n\n```output\ntensor([1., 0.])\n```\n",
        "docs/page.md:5: the output differs*",
    ),
    "missing_line": (
        "```python\nprint('a')\nprint('b')\n```\n\n```output\na b\n```\n",
        "docs/page.md:6: the output differs*",
    ),
    "extra_blank_line": (
        "```python\nprint('a')\nprint('b')\n```\n\n```output\na\n\nb\n```\n",
        "docs/page.md:6: the output differs*",
    ),
}

UNSEEN_BLOCKS = {
    "fence_in_a_blockquote": (
        "Text.\n\n> ```python\n> print(1)\n> ```\n",
        "docs/page.md:3: a fence inside a blockquote is shown but never run*",
    ),
    "quiz_in_a_blockquote": (
        '> ```quiz\n> [{"q": "?", "choices": ["a", "a"], "answer": 5, "explain": "x"}]\n> ```\n',
        "docs/page.md:1: a fence inside a blockquote is shown but never run*",
    ),
    "include_at_page_level": (
        'Text.\n\n--8<-- "snippets/other.md"\n',
        "docs/page.md:3: --8<-- outside a fence includes Markdown*",
    ),
    "unclosed_skip_start": (
        '<!-- skip: start "not here" -->\n\n```python\npass\n```\n',
        "docs/page.md:1: 'skip: start' has no '<!-- skip: end -->' after it",
    ),
    "skip_over_a_gate_error": (
        '<!-- skip: next "looks harmless" -->\n\n```py\nprint(1)\n```\n',
        "docs/page.md:3: ```py is not run by the verifier*",
    ),
    "skip_over_a_gate_error_in_a_skipped_section": (
        '<!-- skip: start "looks harmless" -->\n\n```python hl_line="1"\nprint(1)\n```\n\n'
        "<!-- skip: end -->\n",
        "docs/page.md:3: python fence has attributes the verifier does not know: hl_line*",
    ),
    "timeout_on_no_block": (
        "<!-- timeout: 5 -->\n\nText.\n",
        "docs/page.md:1: a timeout directive must be right above a python fence",
    ),
    "timeout_not_in_seconds": (
        "<!-- timeout: 2 min -->\n```python\npass\n```\n",
        "docs/page.md:1: write the time limit in whole seconds*",
    ),
}

HOLES = HANGS_AND_EXITS | WRONG_OUTPUTS | UNSEEN_BLOCKS


@pytest.fixture
def site(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\naddopts = "-p verified_docs.test_run.pytest_plugin"'
    )
    (pytester.path / "docs").mkdir()
    return pytester


def verify_alone(site: pytest.Pytester, page: str | bytes | None, *args: str) -> pytest.RunResult:
    """Verify docs/ (with `page` as docs/page.md); check that nothing was left behind."""
    if page is not None:
        path = site.path / "docs" / "page.md"
        path.write_bytes(page.encode() if isinstance(page, str) else page)
    before = project_files(site)
    result = site.runpytest_subprocess("-p", "no:cacheprovider", "docs", *args, timeout=120)
    assert project_files(site) == before, "the run left files behind"
    return result


def project_files(site: pytest.Pytester) -> list[str]:
    """The files of the project, without what pytester keeps of its runs."""
    files = (path.relative_to(site.path) for path in site.path.rglob("*"))
    return sorted(str(path) for path in files if not path.parts[0].startswith(PYTESTER_OWN))


PYTESTER_OWN = ("runpytest", "stdout", "stderr")


def write_pages(site: pytest.Pytester, holes: list[str]) -> dict[str, str]:
    """One page per hole, docs/HOLE.md; the message each must fail with."""
    messages = {}
    for hole in holes:
        page, message = HOLES[hole]
        (site.path / "docs" / f"{hole}.md").write_text(page)
        messages[hole] = message.replace("docs/page.md", f"docs/{hole}.md")
    return messages


def assert_each_page_fails(result: pytest.RunResult, messages: dict[str, str]) -> None:
    assert result.ret == 1
    for message in messages.values():
        result.stdout.fnmatch_lines([f"*{message}*"])
    failed = result.parseoutcomes()["failed"]
    assert failed >= len(messages)
    result.stdout.fnmatch_lines([f"blocks: *, {failed} failed"])


@pytest.mark.parametrize("run", [["-n", "0"], ["-n", "2"]], ids=["one process", "xdist"])
def test_each_bad_page_fails_naming_page_and_line(site, run):
    messages = write_pages(site, list(HOLES))
    assert_each_page_fails(verify_alone(site, None, *run), messages)


def test_update_mode_fails_on_hangs_and_exits_and_rewrites_nothing(site):
    messages = write_pages(site, list(HANGS_AND_EXITS))
    pages = {path: path.read_text() for path in (site.path / "docs").glob("*.md")}
    assert_each_page_fails(verify_alone(site, None, "-n", "0", "--update-outputs"), messages)
    assert {path: path.read_text() for path in pages} == pages


def test_the_run_goes_on_after_an_exit(site):
    page = HOLES["os_exit"][0] + "\n```python\nprint('after')\n```\n\n```output\nafter\n```\n"
    result = verify_alone(site, page, "-n", "0")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["blocks: 2 executed, 1 outputs verified, *, 1 failed"])


def test_a_page_works_in_its_own_folder_and_leaves_nothing(site):
    first = (
        "```python\nimport os\nopen('left.txt', 'w').write('x')\nos.makedirs('sub')\n"
        "os.chdir('sub')\nprint(os.listdir('..'))\n```\n\n```output\n['left.txt', 'sub']\n```\n"
    )
    (site.path / "docs" / "first.md").write_text(first)
    second = "```python\nimport os\nprint(sorted(os.listdir('.')))\n```\n\n```output\n[]\n```\n"
    result = verify_alone(site, second, "-n", "0", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_every_skip_is_listed_with_its_reason(site):
    page = '<!-- skip: next "needs a CUDA GPU" -->\n\n```python\nimport cuda_only\n```\n'
    result = verify_alone(site, page, "-n", "0")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["skipped docs/page.md:3: needs a CUDA GPU"])


def test_an_error_in_a_skip_directive_is_counted(site):
    page = "<!-- skip: next if(undefined_name, reason='x') -->\n\n```python\npass\n```\n"
    result = verify_alone(site, page, "-n", "0")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "docs/page.md:1: the skip directive fails: NameError: *undefined_name*",
            "blocks: 1 executed, *, 1 failed",
        ]
    )


def test_a_crashed_worker_is_counted(site):
    page = "```python\nimport ctypes\nctypes.string_at(0)\n```\n"
    result = verify_alone(site, page, "-n", "1")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["blocks: *, [1-9] failed"])


def test_a_page_that_is_not_utf8_names_its_line(site):
    page = "# Title\n\nCaf\xe9 au lait.\n".encode("latin-1")
    result = verify_alone(site, page, "-n", "0")
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*docs/page.md:3: not valid UTF-8 (byte 0xe9 at column 4)*"])


def test_a_snippet_file_included_at_page_level_is_refused_even_if_present(site):
    (site.path / "snippets").mkdir()
    (site.path / "snippets" / "other.md").write_text("```python\nprint(1)\n```\n")
    page, message = HOLES["include_at_page_level"]
    result = verify_alone(site, page, "-n", "0")
    result.stdout.fnmatch_lines([f"*{message}*"])


def test_a_long_block_may_ask_for_more_time(tmp_path, monkeypatch):
    monkeypatch.setattr(page_model, "DEFAULT_TIME_LIMIT_S", 1)  # a default it outlasts
    page = "```python\nimport time\ntime.sleep(1.5)\n```\n"
    [failure] = verify(tmp_path, page).failures
    assert "docs/page.md:1: the block timed out after 1 s" in failure
    assert verify(tmp_path, "<!-- timeout: 3 -->\n" + page).failures == []


def test_input_fails_at_once_even_with_capture_off_and_a_terminal_waiting(site):
    (site.path / "docs" / "page.md").write_text(HOLES["input"][0])
    reader, writer = os.pipe()  # standard input that stays open, like a terminal's
    try:
        result = site.run(
            sys.executable, "-m", "pytest", "-s", "-n", "0", "docs", stdin=reader, timeout=60
        )
    finally:
        os.close(reader)
        os.close(writer)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["docs/page.md:1: the block raised an exception", "*EOFError*"])


def test_a_test_skipped_in_every_case_fails_the_run(pytester):
    pytester.makepyfile(
        test_planted="""
        import pytest

        @pytest.mark.parametrize("page", ["a", "b"])
        def test_never(page):
            pytest.skip("looked for HTML that is not there")

        @pytest.mark.parametrize("page", ["a", "b"])
        def test_sometimes(page):
            if page == "a":
                pytest.skip("no code on a")
        """
    )
    result = pytester.runpytest("-p", "all_skipped", "-p", "no:randomly")
    result.assert_outcomes(passed=1, skipped=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["test_planted.py::test_never: skipped in every case; it never runs"]
    )
    assert "test_sometimes: skipped" not in result.stdout.str()
