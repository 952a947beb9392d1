"""The stability run: a page whose output depends on the CPU kernels is caught, never blessed."""

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from sample_projects import ONE_PROCESS

from verified_docs.record import verification_record
from verified_docs.test_run import output_record
from verified_docs.test_run import stability as stability_run
from verified_docs.test_run.stability import (
    Kernels,
    available_kernels,
    configurations,
    differences,
    earlier_run,
    page_hashes,
    unmarked_pages,
)

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


@pytest.fixture(scope="session")
def kernels() -> Kernels:
    return available_kernels()  # four processes that import torch: asked once


@pytest.fixture
def kernel_sets(kernels) -> list[str]:
    if len(kernels.runs) < 2:
        pytest.skip(f"this CPU runs only the {kernels.runs[0]} kernels: nothing to compare")
    return kernels.runs


@pytest.fixture
def stability(monkeypatch, capsys, kernels):
    """The stability run's main() in `project`, here, with the kernel sets probed once
    for all the tests: each run starts its pytest runs as `python -m ...` would. Its
    exit status and what it printed."""

    def run(project: Path, *arguments: str) -> tuple[int, str]:
        monkeypatch.chdir(project)
        monkeypatch.setattr(stability_run, "available_kernels", lambda: kernels)
        monkeypatch.setattr(stability_run, "CORES", 1)  # one process per run
        status = stability_run.main(arguments)
        return status, capsys.readouterr().out

    return run


def make_project(tmp_path: Path, page: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = ["-p", "verified_docs.test_run.pytest_plugin"]\n'
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(page)
    return tmp_path


def test_a_kernel_dependent_output_is_reported_with_each_value_and_never_written(
    tmp_path, kernel_sets, stability
):
    page = KERNEL_DEPENDENT.format(shown="False")
    project = make_project(tmp_path, page)
    status, printed = stability(project, "--update", "docs")
    assert status == 1, printed
    assert "docs/page.md:3: the output differs between configurations" in printed
    assert "  default, 1 thread:\n      True\n" in printed
    assert "  avx2, 1 thread:\n      False\n" in printed
    assert (project / "docs" / "page.md").read_text() == page


def test_each_difference_names_the_block_and_every_configurations_value():
    records = {
        "default, 1 thread": {"docs/a.md:3": "True\n", "docs/a.md:9": "1\n"},
        "avx2, 1 thread": {"docs/a.md:3": "False\n", "docs/a.md:9": "1\n"},
        "avx512, 2 threads": {"docs/a.md:3": "False\n"},
    }
    assert differences(records) == [
        "docs/a.md:3: the output differs between configurations\n"
        "  default, 1 thread:\n      True\n"
        "  avx2, 1 thread:\n      False\n"
        "  avx512, 2 threads:\n      False\n",
        "docs/a.md:9: the output differs between configurations\n"
        "  default, 1 thread:\n      1\n"
        "  avx2, 1 thread:\n      1\n"
        "  avx512, 2 threads:\n      (block not run)\n",
    ]


def test_the_tests_sessions_run_stands_for_its_configuration(tmp_path, monkeypatch, kernels):
    """The record `nox -s tests` writes is taken for its configuration, which the
    stability run then leaves out; that it runs the others is what the tests above show."""
    project = make_project(tmp_path, STABLE.format(shown="torch.Size([1000])"))
    tests_run = [sys.executable, "-m", "pytest", "--record-outputs=build/tests.json", "docs"]
    environment = {**ONE_PROCESS, "OMP_NUM_THREADS": "1"}
    subprocess.run(tests_run, cwd=project, env=environment, check=True, capture_output=True)
    monkeypatch.chdir(project)
    reused = earlier_run(Path("build/tests.json"), ["docs"])
    assert reused is not None
    # The kernels torch runs here: the native ones, unless the environment asks for others.
    asked = stability_run.active_capability(os.environ.get("ATEN_CPU_CAPABILITY"))
    assert reused.configuration == f"{asked}, 1 thread"
    names = [c.name for c in configurations(kernels)]
    assert reused.configuration in names, "the stability run would run it again"
    assert reused.shown == {"docs/page.md:3": "torch.Size([1000])\n"}


def test_the_kernel_sets_are_asked_once_per_cpu_and_torch(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))  # the environment that holds torch
    asked = []

    def active(capability):  # a CPU without AVX-512: asked for it, torch runs AVX2
        asked.append(capability)
        return "avx2" if capability in ("avx512", None) else capability

    monkeypatch.setattr(stability_run, "active_capability", active)
    here = Kernels(["default", "avx2"], native="avx2")
    assert available_kernels() == here
    assert sorted(asked, key=str) == [None, "avx2", "avx512", "default"]
    assert available_kernels() == here
    assert len(asked) == 4  # kept from the first time
    monkeypatch.setattr(stability_run, "version", lambda package: "2.99.0")
    assert available_kernels() == here
    assert len(asked) == 8  # another torch is asked again


def test_the_native_kernels_run_unasked_and_so_share_the_tests_sessions_compile_cache(
    monkeypatch,
):
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")  # a reader's own setting, say
    here = configurations(Kernels(["default", "avx2", "avx512"], native="avx512"))
    asked = {c.name: c.environment().get("ATEN_CPU_CAPABILITY") for c in here}
    assert asked == {
        "default, 1 thread": "default",
        "avx2, 1 thread": "avx2",
        "avx512, 1 thread": None,
        f"avx512, {max(2, os.cpu_count() or 1)} threads": None,
    }
    # A native set that is none of the three (an ARM CPU's, say): each is asked for.
    arm = configurations(Kernels(["default"], native="sve256"))
    assert [c.environment()["ATEN_CPU_CAPABILITY"] for c in arm] == ["default", "default"]


def earlier(project: Path, **changes) -> output_record.OutputRecord:
    record = {
        "shown": {"docs/page.md:3": "torch.Size([1000])\n"},
        "configuration": "avx2, 1 thread",
        "torch": version("torch"),
        "passed": page_hashes(),
        **changes,
    }
    path = project / "build" / "tests.json"
    output_record.write(path, output_record.OutputRecord(**record))
    return earlier_run(path, ["docs"])


def test_a_run_of_other_pages_or_another_torch_is_run_again(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, STABLE.format(shown="torch.Size([1000])")))
    assert earlier(tmp_path).configuration == "avx2, 1 thread"
    assert earlier(tmp_path, passed={"docs/page.md": "0" * 16}) is None  # the page changed
    assert earlier(tmp_path, passed={}) is None  # the page failed, or did not run
    assert earlier(tmp_path, torch="2.12.0+cpu") is None
    assert earlier(tmp_path, configuration=None) is None  # its blocks disagreed on it


def test_a_run_of_some_pages_takes_the_tests_sessions_record_of_those_pages(tmp_path, monkeypatch):
    monkeypatch.chdir(make_project(tmp_path, STABLE.format(shown="torch.Size([1000])")))
    (tmp_path / "docs" / "other.md").write_text("# Other\n")
    shown = {"docs/page.md:3": "torch.Size([1000])\n", "docs/other.md:3": "1\n"}
    reused = earlier(tmp_path, shown=shown)
    assert reused.shown == shown
    path = Path("build/tests.json")
    narrowed = earlier_run(path, ["docs/page.md"])
    assert narrowed.shown == {"docs/page.md:3": "torch.Size([1000])\n"}
    assert narrowed.passed == {"docs/page.md": page_hashes()["docs/page.md"]}
    assert earlier_run(path, ["docs/losses"]) is None  # not a page: what it holds is unknown
    assert earlier_run(path, ["-k", "page", "docs"]) is None


def mark(project: Path, configurations: list[str], **environment) -> Path:
    """A verification record that marks every page of `project` stable as it is now."""
    pages = {page: {"hash": hash_, "stable": True} for page, hash_ in page_hashes().items()}
    environment = {
        "numpy": version("numpy"),
        "torch": version("torch"),
        "stability": configurations,
        **environment,
    }
    path = project / "verified.json"
    verification_record.write(path, {"environment": environment, "format": 1, "pages": pages})
    return path


def test_pages_the_record_marks_stable_as_they_are_are_not_run_again(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(make_project(tmp_path, STABLE.format(shown="torch.Size([1000])")))
    (tmp_path / "docs" / "other.md").write_text("# Other\n")
    here = ["default, 1 thread", "avx2, 1 thread", "avx2, 2 threads"]
    path = mark(tmp_path, ["default, 1 thread", "avx2, 1 thread", "avx2, 2 threads"])
    assert unmarked_pages(path, here) == []
    assert "2 of 2 pages are marked stable" in capsys.readouterr().out
    assert unmarked_pages(path, here[:2]) == []  # a machine that runs fewer
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n```python\nprint(1)\n```\n")
    assert unmarked_pages(path, here) == ["docs/other.md"]  # changed since it was marked
    mark(tmp_path, here)
    assert unmarked_pages(path, [*here, "avx512, 1 thread"]) == ["docs"]  # a set not run
    mark(tmp_path, here, torch="2.14.1")
    assert unmarked_pages(path, here) == ["docs"]  # another PyTorch
    mark(tmp_path, here, numpy="1.26.4")
    assert unmarked_pages(path, here) == ["docs"]  # another NumPy


def test_when_the_record_marks_every_page_the_tests_session_runs_no_configuration(
    tmp_path, stability, kernels, monkeypatch
):
    project = make_project(tmp_path, STABLE.format(shown="torch.Size([1000])"))
    monkeypatch.chdir(project)
    mark(project, [c.name for c in configurations(kernels)])
    monkeypatch.setattr(stability_run, "run_all", lambda *_: pytest.fail("ran the pages"))
    status, printed = stability(project, "--verification-record=verified.json", "--unmarked-only")
    assert status == 0, printed
    assert "1 of 1 pages are marked stable in verified.json as they are" in printed
