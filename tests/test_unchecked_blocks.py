"""Nothing unchecked looks checked: a skipped block is labelled with its reason and keeps
its copy, an output box under it is titled as not checked (or refused where no run can
ever check it), and one run's measurements are compared as text, any number matching,
in a box that says so."""

import re

from sample_projects import build, project, verify

TIMED = """# Page

```python
import time

start = time.perf_counter()
print(f"took {1000 * (time.perf_counter() - start) + 7:.3f} ms in 1 step")
```

```output measured
took 0.123 ms in 1 step
```

<!-- skip: next if(True, reason="needs a CUDA GPU") -->
```python
print(start > 0)
```

```output
True
```

<!-- skip: next "needs two machines" -->
```python
print("never here")
```
"""
NEVER_CHECKED = """# Page

<!-- skip: next "needs two machines" -->
```python
print("never here")
```

```output
never here
```
"""


def built_page(tmp_path, text: str):
    result = build(project(tmp_path, {"page.md": text}))
    html = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    return result, html


def test_a_skipped_block_is_labelled_keeps_its_copy_and_its_output_is_not_checked(tmp_path):
    result, html = built_page(tmp_path, TIMED)
    assert result.returncode == 0, result.stderr
    gpu = re.search(
        r'<p class="verified-not-run">Not run by the test suite: needs a CUDA GPU.</p>\s*'
        r'<p class="verified-continues">Continues from above: uses .*?</p>\s*'
        r'<div class="language-python highlight" id="block-2">'
        r'<button class="md-code__button verified-copy-standalone" [^>]*'
        r'data-clipboard-text="import time\n\nstart = .*?print\(start &gt; 0\)\n"></button>'
        r".*?</div>\s*"
        r'<div class="highlight verified-output verified-not-checked no-copy">'
        r'<span class="filename">Output not checked: the test suite has not run this block'
        r"</span><pre><code>True</code></pre></div>",
        html,
        re.DOTALL,
    )
    assert gpu, html
    never = re.search(
        r'<p class="verified-not-run">Not run by the test suite: needs two machines.</p>\s*'
        r'<div class="language-python highlight" id="block-3">.*?</div>\s*(?P<after><[^>]*>)',
        html,
        re.DOTALL,
    )
    assert never and "verified-output" not in never["after"]  # no output box under it
    assert html.count('class="verified-not-run"') == 2
    assert (
        '<div class="highlight verified-output no-copy verified-measured"><span class="filename">'
        "One run's measurements: they vary, and are not compared</span>"
    ) in html


def test_an_output_no_run_can_check_fails_the_build_and_the_test_run(tmp_path):
    result, _ = built_page(tmp_path, NEVER_CHECKED)
    assert result.returncode == 1
    message = "docs/page.md:8: an output fence under a block the test suite skips is never checked"
    assert message in result.stderr
    assert any(message in failure for failure in verify(tmp_path, NEVER_CHECKED).failures)


def test_a_measured_output_matches_any_numbers_but_not_other_text(tmp_path):
    result = verify(tmp_path, TIMED)
    assert result.failures == []
    reworded = TIMED.replace("took 0.123 ms in 1 step", "took 0.123 ms in one step")
    [failure] = verify(tmp_path, reworded).failures
    assert "docs/page.md:10: the output differs from what the block at line 3 printed" in failure
    assert verify(tmp_path, TIMED.replace("```output measured", "```output")).failures
    unknown = TIMED.replace("```output measured", "```output timed")
    [failure] = verify(tmp_path, unknown).failures
    assert "output fence has attributes the verifier does not know: timed" in failure
