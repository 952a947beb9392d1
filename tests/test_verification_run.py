"""A whole pytest run over a small site: the summary line, and failures naming page:line."""

import json

import pytest

PAGE = """# A page

```python
squared = [(p - t) ** 2 for p, t in zip([2.5, 0.0, 2.1], [3.0, 0.0, 2.0])]
print(sum(squared) / 3)
```

```output
{shown}
```

<!-- skip: next "shows a GPU-only call" -->

```python
import torch
torch.zeros(1, device="cuda")
```

```python
total = 1 + 1
```
"""


@pytest.fixture
def site(pytester: pytest.Pytester):
    pytester.makepyprojecttoml(
        '[tool.pytest.ini_options]\naddopts = "-p verified_docs.test_run.pytest_plugin"'
    )
    (pytester.path / "docs").mkdir()
    pytester.makefile(".md", README="# Readme\n\n```python\nprint(3)\n```\n")
    return pytester


def write_page(site: pytest.Pytester, shown: str) -> None:
    (site.path / "docs" / "page.md").write_text(PAGE.format(shown=shown))


def test_a_good_site_passes_with_its_summary(site):
    write_page(site, "0.0867")
    result = site.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=4, skipped=1)
    result.stdout.fnmatch_lines(
        ["blocks: 3 executed, 1 outputs verified, 1 skipped (reason given), 0 unverified, 0 failed"]
    )


def test_a_changed_digit_fails_the_run_naming_page_and_line(site):
    write_page(site, "0.0866")
    result = site.runpytest_subprocess()
    result.assert_outcomes(passed=3, skipped=1, failed=1)
    result.stdout.fnmatch_lines(
        ["docs/page.md:8: the output differs from what the block at line 3*"]
    )
    result.stdout.fnmatch_lines(["*1 failed"])


def test_an_unrun_python_block_fails_the_coverage_gate(site):
    write_page(site, "0.0867")
    with (site.path / "docs" / "page.md").open("a") as page:
        page.write('\n```py\nprint("never run")\n```\n')
    result = site.runpytest_subprocess()
    result.assert_outcomes(passed=4, skipped=1, failed=1)
    result.stdout.fnmatch_lines(["*docs/page.md:23: ```py is not run*", "*1 unverified*"])


def test_a_python_variant_in_the_readme_fails_the_gate(site):
    write_page(site, "0.0867")
    site.makefile(".md", README='# Readme\n\n```python title="x.py"\nprint(3)\n```\n')
    result = site.runpytest_subprocess()
    result.stdout.fnmatch_lines(
        ['*README.md:3: ```python title="x.py" is not run by pytest-codeblocks*']
    )
    result.assert_outcomes(passed=3, skipped=1, failed=1)


def test_update_mode_rewrites_the_page_and_the_next_run_passes(site):
    write_page(site, "0.5")
    site.runpytest_subprocess("--update-outputs").assert_outcomes(passed=4, skipped=1)
    assert "```output\n0.08666666666666667\n```" in (site.path / "docs" / "page.md").read_text()
    site.runpytest_subprocess().assert_outcomes(passed=4, skipped=1)


STANDALONE_PAGE = """# A page

```python
globals()["hidden"] = 2
shown = 3
```

```python
print(shown)
```

```output
3
```

```python
print(hidden)
```

```output
2
```
"""


def test_a_block_whose_copy_does_not_run_alone_fails_naming_page_and_line(site):
    (site.path / "docs" / "page.md").write_text(STANDALONE_PAGE)
    record = "--verification-record=verified.json"
    result = site.runpytest_subprocess("--standalone-copies", "-p", "no:randomly", record)
    result.assert_outcomes(passed=4, failed=1)
    # The page's examples passed, but it is not verified: its entry is dropped.
    assert json.loads((site.path / "verified.json").read_text())["pages"] == {}
    result.stdout.fnmatch_lines(
        [
            "docs/page.md:16: the standalone copy of this block (the blocks at lines 16), "
            "run alone, fails:",
            "*NameError: name 'hidden' is not defined",
            "standalone copies: 3 run, 2 verified, 0 print before their block's output; lines: *",
        ]
    )


def test_a_run_of_other_tests_alone_prints_no_verification_summary(site):
    """As the browser tests: no page ran, so "blocks: 0 executed" would say nothing."""
    site.makepyfile(test_other="def test_fails():\n    assert False\n")
    result = site.runpytest_subprocess("test_other.py")
    result.assert_outcomes(failed=1)
    assert "verification summary" not in result.stdout.str()
