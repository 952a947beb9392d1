"""Verify the pages under every CPU kernel set and thread count this machine can run.

PyTorch picks its CPU kernels at start-up (AVX-512, AVX2 or the portable ones; the
environment variable ATEN_CPU_CAPABILITY chooses a lower set), and their results can
differ in the last bit; so can a reduction split over several threads. A page must show
the same output under all of them. This runs the page verification once per
configuration, each run recording what every output fence would show after it
(`pytest --record-outputs`), then compares the records block by block and reports
every difference with page:line, the configuration and each value.

    python -m verified_docs.test_run.stability [PYTEST ARGS]           # check (nox -s stability)
    python -m verified_docs.test_run.stability --update [PYTEST ARGS]  # nox -s update-outputs
    python -m verified_docs.test_run.stability --verification-record=verified.json
    python -m verified_docs.test_run.stability --reuse-outputs=build/outputs/tests.json

With --update, the pages are rewritten from a run only when every configuration printed
the same text; otherwise nothing is written and the differences are reported. With
--verification-record, a check of the whole site in which every configuration passed and
agreed names them in the record, and marks each page whose hash it ran. With
--reuse-outputs, the record of an earlier run of the whole site (`nox -s tests` writes
one) stands for its configuration, if every page it verified is unchanged since: the same
pages under the same kernels and threads print the same, so they are not run again.
With --unmarked-only (which `nox -s tests` passes), a page that the verification record
marks stable as it is, with this PyTorch, under every configuration this machine runs, is
not run again either, for the same reason: only the pages without that mark are run.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from importlib.metadata import version
from pathlib import Path

from verified_docs.record import verification_record
from verified_docs.test_run import output_record

CAPABILITIES = ("default", "avx2", "avx512")
ASK_TORCH = "import torch; print(torch.backends.cpu.get_cpu_capability().lower())"
# The lines of /proc/cpuinfo that say which CPU it is and what it can run (x86, ARM).
CPU_LINES = ("model name", "flags", "CPU implementer", "CPU part", "Features")
# The cores the runs share: as many as `pytest -n auto` would start workers.
CORES = int(os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or os.cpu_count() or 1)


@dataclass(frozen=True)
class Kernels:
    """The CPU kernel sets PyTorch runs on this machine."""

    runs: list[str]  # from the most portable
    native: str  # what torch picks when not asked

    @property
    def lacks(self) -> list[str]:
        """Those asked for in vain: torch falls back to another set, silently."""
        return [capability for capability in CAPABILITIES if capability not in self.runs]


@dataclass(frozen=True)
class Configuration:
    capability: str
    threads: int
    native: bool = False  # torch's own choice here, which the tests session ran

    @property
    def name(self) -> str:
        return output_record.configuration_name(self.capability, self.threads)

    def environment(self) -> dict[str, str]:
        environment = {
            **os.environ,
            "OMP_NUM_THREADS": str(self.threads),
            # Threads that wait for each other sleep instead of spinning: on a busy
            # machine (the runs go side by side), spinning made a small model's step 300
            # times slower. How threads wait changes no result.
            "OMP_WAIT_POLICY": "PASSIVE",
        }
        if self.native:  # not asked for, as in `nox -s tests`: the same torch.compile
            environment.pop("ATEN_CPU_CAPABILITY", None)  # cache (pytest_plugin.py)
        else:
            environment["ATEN_CPU_CAPABILITY"] = self.capability
        return environment

    def pytest_arguments(self, cores: int) -> list[str]:
        """Run on `cores` cores: one xdist worker per core, if the blocks run in one
        thread and there are several cores; else in pytest's own process. (A worker
        imports torch and the pages' other packages anew: two runs side by side on two
        cores took a third more CPU time with two workers each than in one process each.)
        """
        if self.threads > 1 or cores < 2:
            return ["-n", "0"]
        return ["-n", str(cores), "--dist", "loadscope", "--no-loadscope-reorder"]


def available_kernels() -> Kernels:
    """Which kernel sets torch runs when asked for each, and when not asked.

    Asking starts four processes that import torch (about ten seconds of CPU), and a
    test run asks several times: the answer is kept in the environment that holds this
    torch, for this CPU, and asked again only when one of them changes.
    """
    known = Path(sys.prefix) / f"verified-docs-kernels-{cpu_and_torch()}.json"
    if known.is_file():
        return Kernels(**json.loads(known.read_text(encoding="utf-8")))
    with ThreadPoolExecutor() as pool:
        *active, native = pool.map(active_capability, [*CAPABILITIES, None])
    runs = [asked for asked, got in zip(CAPABILITIES, active, strict=True) if asked == got]
    kernels = Kernels(runs, native)
    with contextlib.suppress(OSError):  # an environment we may not write to: ask each time
        written = known.with_suffix(f".{os.getpid()}")  # whole, for a run reading it now
        written.write_text(json.dumps(asdict(kernels)), encoding="utf-8")
        os.replace(written, known)
    return kernels


def cpu_and_torch() -> str:
    """A name for this CPU's model and instruction sets, and this torch."""
    cpuinfo = Path("/proc/cpuinfo")
    described = cpuinfo.read_text(encoding="utf-8") if cpuinfo.is_file() else platform.processor()
    lines = sorted({line for line in described.splitlines() if line.startswith(CPU_LINES)})
    named = [version("torch"), platform.machine(), *lines]
    return hashlib.sha256("\n".join(named).encode("utf-8")).hexdigest()[:16]


def active_capability(capability: str | None) -> str:
    """The kernel set torch runs when asked for `capability` (None: not asked)."""
    environment = dict(os.environ)
    environment.pop("ATEN_CPU_CAPABILITY", None)
    if capability is not None:
        environment["ATEN_CPU_CAPABILITY"] = capability
    command = [sys.executable, "-c", ASK_TORCH]
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def configurations(kernels: Kernels) -> list[Configuration]:
    """Each kernel set with one thread, and the best one with several threads."""
    several = max(2, os.cpu_count() or 1)
    best = kernels.runs[-1]
    one_thread = [Configuration(c, 1, native=c == kernels.native) for c in kernels.runs]
    return [*one_thread, Configuration(best, several, native=best == kernels.native)]


def run_all(
    configurations: Sequence[Configuration], pytest_args: Sequence[str], folder: Path, update: bool
) -> dict[Configuration, bool]:
    """Verify the pages under every configuration, each run writing its record into
    `folder` (`record_path`); whether each passed every check.

    The runs go side by side, sharing the cores: the machine's load changes no printed
    value, and threads that wait for each other sleep (OMP_WAIT_POLICY), so a run with
    several threads is slowed no more than the others. (On two cores, three runs side by
    side took 71 s; the one with two threads after the other two, 99 s.)
    """
    cores = CORES // len(configurations) if configurations else CORES

    def passed(configuration: Configuration) -> bool:
        record = record_path(folder, configuration)
        return run(configuration, cores, pytest_args, record, update)

    with ThreadPoolExecutor(max_workers=len(configurations) or 1) as pool:
        return dict(zip(configurations, pool.map(passed, configurations), strict=True))


def record_path(folder: Path, configuration: Configuration) -> Path:
    return folder / f"{configuration.capability}-{configuration.threads}.json"


def run(
    configuration: Configuration,
    cores: int,
    pytest_args: Sequence[str],
    record: Path,
    update: bool,
) -> bool:
    """Verify the pages under `configuration` on `cores` cores; True when every check
    passed. A failing run's report is printed, but in the update mode, where an output
    that differs from its page is what there is to write, not a failure."""
    arguments = configuration.pytest_arguments(cores)
    command = [sys.executable, "-m", "pytest", *arguments, "-q"]
    command += [f"--record-outputs={record}", *pytest_args]
    started = time.monotonic()
    done = subprocess.run(command, env=configuration.environment(), capture_output=True, text=True)
    seconds = time.monotonic() - started
    if update:
        verdict = "ran"
    else:
        verdict = "passed" if done.returncode == 0 else f"FAILED (pytest exit {done.returncode})"
    summary = [line for line in done.stdout.splitlines() if line.startswith("blocks: ")]
    report = f"{configuration.name}: {verdict} in {seconds:.0f} s; {' '.join(summary)}\n"
    if done.returncode != 0 and not update:
        report += done.stdout + done.stderr
    print(report, end="", flush=True)  # one write: the runs finish side by side
    return done.returncode == 0 and record.exists()


def differences(records: dict[str, dict[str, str]]) -> list[str]:
    """A report for each block whose shown output is not the same in every record."""
    blocks = sorted({where for shown in records.values() for where in shown}, key=_page_order)
    reports = []
    for where in blocks:
        texts = {name: shown.get(where) for name, shown in records.items()}
        if len(set(texts.values())) > 1:
            values = "".join(f"  {name}:\n{indented(text)}" for name, text in texts.items())
            reports.append(f"{where}: the output differs between configurations\n{values}")
    return reports


def _page_order(where: str) -> tuple[str, int]:
    page, _, line = where.rpartition(":")
    return page, int(line)


def _page(where: str) -> str:
    return where.rpartition(":")[0]


def indented(text: str | None) -> str:
    if text is None:
        return "      (block not run)\n"
    if not text:
        return "      (prints nothing)\n"
    return "".join(f"      {line}\n" for line in text.splitlines())


def main(arguments: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m verified_docs.test_run.stability")
    parser.add_argument("--update", action="store_true", help="rewrite the pages' outputs")
    parser.add_argument("--verification-record", type=Path, help="mark the pages in it")
    parser.add_argument("--reuse-outputs", type=Path, help="the tests session's outputs")
    parser.add_argument(
        "--unmarked-only", action="store_true", help="skip the pages the record marks stable"
    )
    options, pytest_args = parser.parse_known_args(arguments)
    pytest_args = pytest_args or ["docs"]
    kernels = available_kernels()
    print(f"CPU kernel sets: {', '.join(kernels.runs)} run here", end="")
    lacks = kernels.lacks
    print(f"; {', '.join(lacks)} not available on this CPU" if lacks else "", flush=True)
    to_run = configurations(kernels)
    if options.unmarked_only and options.verification_record and pytest_args == ["docs"]:
        pytest_args = unmarked_pages(options.verification_record, [c.name for c in to_run])
        if not pytest_args:
            return 0
    reusable = options.reuse_outputs
    earlier = earlier_run(reusable, pytest_args) if reusable else None
    records: dict[str, output_record.OutputRecord] = {}
    if earlier is not None and earlier.configuration in [c.name for c in to_run]:
        print(f"{earlier.configuration}: passed in {reusable}, the run of these pages")
        records[earlier.configuration] = earlier
    to_run = [c for c in to_run if c.name not in records]
    with tempfile.TemporaryDirectory() as folder:
        passed = run_all(to_run, pytest_args, Path(folder), update=options.update)
        recorded = {c.name: record_path(Path(folder), c) for c in to_run}
        records |= {name: output_record.read(p) for name, p in recorded.items() if p.exists()}
    records = {c.name: records[c.name] for c in configurations(kernels) if c.name in records}
    reports = differences({name: record.shown for name, record in records.items()})
    for report in reports:
        print(report)
    print(
        f"stability: {len(records)} configurations, "
        f"{len(reports)} blocks whose output differs between them"
    )
    if reports:
        print(
            "Show what does not depend on the last bit (round, count, compare): "
            "see CONTRIBUTING.md, 'Outputs that hold on every machine'."
        )
        return 1
    if options.update:
        command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "--update-outputs"]
        return subprocess.run([*command, *pytest_args]).returncode
    if all(passed.values()) and options.verification_record:
        verified = verified_everywhere(list(records.values()))
        mark_record(options.verification_record, list(records), verified, pytest_args)
    return 0 if all(passed.values()) else 1


def verified_everywhere(records: list[output_record.OutputRecord]) -> dict[str, str]:
    """{page: hash} of the pages that every configuration ran whole and passed."""
    pages = set.intersection(*(set(record.passed.items()) for record in records))
    return dict(sorted(pages))


def unmarked_pages(path: Path, configurations: list[str]) -> list[str]:
    """The site's pages that the record at `path` does not mark stable as they are now,
    with this PyTorch and NumPy, under each of `configurations`: ["docs"] when that is
    all of them."""
    record = verification_record.read(path)
    environment = record.get("environment", {})
    hashes = page_hashes()
    named = environment.get("stability", [])
    same = all(environment.get(package) == version(package) for package in ("torch", "numpy"))
    if not same or not set(configurations) <= set(named):
        return ["docs"]
    entries = record.get("pages", {})
    unmarked = [
        page
        for page, hash_ in hashes.items()
        if not (entries.get(page, {}).get("stable") and entries[page].get("hash") == hash_)
    ]
    print(
        f"stability: {len(hashes) - len(unmarked)} of {len(hashes)} pages are marked stable "
        f"in {path} as they are, with PyTorch {version('torch')} and NumPy "
        f"{version('numpy')}, under "
        f"{'; '.join(configurations)}: not run again (`nox -s stability` runs every page)",
        flush=True,
    )
    return ["docs"] if len(unmarked) == len(hashes) else unmarked


def earlier_run(path: Path, pytest_args: Sequence[str]) -> output_record.OutputRecord | None:
    """The record of an earlier run (`nox -s tests`) that verified the pages named (every
    page of the site for ["docs"]) as they are now, with this PyTorch, under one
    configuration, narrowed to those pages; None if there is none."""
    hashes = page_hashes()
    pages = list(hashes) if list(pytest_args) == ["docs"] else list(pytest_args)
    if not path.is_file() or not set(pages) <= set(hashes):
        return None
    earlier = output_record.read(path)
    if earlier.configuration is None or earlier.torch != version("torch"):
        return None
    if any(earlier.passed.get(page) != hashes[page] for page in pages):
        return None
    shown = {where: text for where, text in earlier.shown.items() if _page(where) in pages}
    return replace(earlier, shown=shown, passed={page: hashes[page] for page in pages})


def mark_record(
    path: Path, configurations: list[str], verified: dict[str, str], pytest_args: list[str]
) -> None:
    """Mark in the verification record the pages every configuration verified, as they
    are, and name the configurations. A run of some pages marks them only when it ran the
    configurations the record names (another machine may lack a kernel set)."""
    record = verification_record.read(path)
    named = record.get("environment", {}).get("stability")
    if pytest_args != ["docs"] and named and named != configurations:
        print(f"{path} not updated: it names other configurations ({'; '.join(named)})")
        return
    verification_record.write(
        path, verification_record.with_stability(record, configurations, verified)
    )
    print(f"{path}: {len(verified)} pages' outputs agree under {'; '.join(configurations)}")


def page_hashes() -> dict[str, str]:
    """{page: hash} for every page of the site, as verification_record hashes them."""
    pages = sorted(path.as_posix() for path in Path("docs").rglob("*.md"))
    return {page: verification_record.file_hash(page, Path()) for page in pages}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
