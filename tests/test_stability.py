"""The stability run: a page whose output depends on the CPU kernels is caught, never blessed."""

import subprocess
import sys
from pathlib import Path

import pytest

from verified_docs.testing.stability import available_capabilities

# SGD's step is `add_(grad, alpha=-lr)`: a fused multiply-add (one rounding) in the AVX2
# and AVX-512 kernels, a multiply then an add (two roundings) in the portable ones. So
# whether it equals `w - lr * grad` bit for bit depends on the kernel set.
KERNEL_DEPENDENT = """# A page

```python
import torch

torch.manual_seed(0)
w = torch.randn(1000, requires_grad=True)
w.grad = torch.randn(1000)
two_operations = w.detach() - 0.1 * w.grad
torch.optim.SGD([w], lr=0.1).step()
print(torch.equal(w.detach(), two_operations))
```

```output
{shown}
```
"""
STABLE = KERNEL_DEPENDENT.replace("torch.equal(w.detach(), two_operations)", "w.shape")


@pytest.fixture(scope="module")
def kernel_sets() -> list[str]:
    runs, _ = available_capabilities()
    if len(runs) < 2:
        pytest.skip(f"this CPU runs only the {runs[0]} kernels: nothing to compare")
    return runs


def stability(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "verified_docs.testing.stability", *arguments, "docs/page.md"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600)


def make_project(tmp_path: Path, page: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = ["-p", "verified_docs.testing.pytest_plugin"]\n'
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(page)
    return tmp_path


def test_a_kernel_dependent_output_fails_the_run_with_each_value(tmp_path, kernel_sets):
    done = stability(make_project(tmp_path, KERNEL_DEPENDENT.format(shown="False")))
    assert done.returncode == 1, done.stdout
    assert "docs/page.md:3: the output differs between configurations" in done.stdout
    assert "  default, 1 thread:\n      True\n" in done.stdout
    assert "  avx2, 1 thread:\n      False\n" in done.stdout


def test_update_mode_never_writes_a_kernel_dependent_output(tmp_path, kernel_sets):
    page = KERNEL_DEPENDENT.format(shown="")
    project = make_project(tmp_path, page)
    done = stability(project, "--update")
    assert done.returncode == 1, done.stdout
    assert "docs/page.md:3: the output differs between configurations" in done.stdout
    assert (project / "docs" / "page.md").read_text() == page


def test_update_mode_writes_an_output_every_configuration_agrees_on(tmp_path, kernel_sets):
    project = make_project(tmp_path, STABLE.format(shown=""))
    done = stability(project, "--update")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "```output\ntorch.Size([1000])\n```" in (project / "docs" / "page.md").read_text()
