"""Verify the pages under every CPU kernel set and thread count this machine can run.

PyTorch picks its CPU kernels at start-up (AVX-512, AVX2 or the portable ones; the
environment variable ATEN_CPU_CAPABILITY chooses a lower set), and their results can
differ in the last bit; so can a reduction split over several threads. A page must show
the same output under all of them. This runs the page verification once per
configuration, each run recording what every output fence would show after it
(`pytest --record-outputs`), then compares the records block by block and reports
every difference with page:line, the configuration and each value.

    python -m verified_docs.testing.stability [PYTEST ARGS]           # check (nox -s stability)
    python -m verified_docs.testing.stability --update [PYTEST ARGS]  # nox -s update-outputs
    python -m verified_docs.testing.stability --verification-record=verified.json

With --update, the pages are rewritten from a run only when every configuration printed
the same text; otherwise nothing is written and the differences are reported. With
--verification-record, a check of the whole site in which every configuration passed and
agreed names them in the record, and marks each page whose hash it ran.
"""

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from verified_docs.testing import output_record, verification_record

CAPABILITIES = ("default", "avx2", "avx512")
RECORD_OPTION = "--verification-record="
ASK_TORCH = "import torch; print(torch.backends.cpu.get_cpu_capability().lower())"


@dataclass(frozen=True)
class Configuration:
    capability: str
    threads: int

    @property
    def name(self) -> str:
        return f"{self.capability}, {self.threads} thread{'s' if self.threads > 1 else ''}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "ATEN_CPU_CAPABILITY": self.capability,
            "OMP_NUM_THREADS": str(self.threads),
        }

    def pytest_arguments(self) -> list[str]:
        # One thread a worker: xdist spreads pages over the cores. Several threads: one
        # process, so that torch's own threads have the cores to themselves.
        if self.threads == 1:
            return ["-n", "auto", "--dist", "loadfile"]
        return ["-p", "no:xdist"]


def available_capabilities() -> tuple[list[str], list[str]]:
    """The kernel sets this CPU runs, and those it lacks (torch falls back silently)."""
    runs, lacks = [], []
    for capability in CAPABILITIES:
        environment = {**os.environ, "ATEN_CPU_CAPABILITY": capability}
        active = subprocess.run(
            [sys.executable, "-c", ASK_TORCH],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (runs if active == capability else lacks).append(capability)
    return runs, lacks


def configurations(capabilities: Sequence[str]) -> list[Configuration]:
    """Each kernel set with one thread, and the best one with several threads."""
    several = max(2, os.cpu_count() or 1)
    one_thread = [Configuration(capability, 1) for capability in capabilities]
    return [*one_thread, Configuration(capabilities[-1], several)]


def run(
    configuration: Configuration, pytest_args: Sequence[str], record: Path, quiet: bool
) -> bool:
    """Verify the pages under `configuration`; True when every check passed.

    A failing run's report is printed unless `quiet` (the update mode expects failures).
    """
    command = [
        sys.executable,
        "-m",
        "pytest",
        *configuration.pytest_arguments(),
        "-q",
        f"--record-outputs={record}",
        *pytest_args,
    ]
    started = time.monotonic()
    done = subprocess.run(command, env=configuration.environment(), capture_output=True, text=True)
    seconds = time.monotonic() - started
    verdict = "passed" if done.returncode == 0 else f"FAILED (pytest exit {done.returncode})"
    summary = [line for line in done.stdout.splitlines() if line.startswith("blocks: ")]
    print(f"{configuration.name}: {verdict} in {seconds:.0f} s; {' '.join(summary)}", flush=True)
    if done.returncode != 0 and not quiet:
        print(done.stdout + done.stderr, flush=True)
    return done.returncode == 0 and record.exists()


def differences(records: dict[str, dict[str, str]]) -> list[str]:
    """A report for each block whose shown output is not the same in every record."""
    blocks = sorted({where for shown in records.values() for where in shown}, key=_page_order)
    reports = []
    for where in blocks:
        texts = {name: shown.get(where) for name, shown in records.items()}
        if len(set(texts.values())) > 1:
            values = "".join(f"  {name}:\n{_indented(text)}" for name, text in texts.items())
            reports.append(f"{where}: the output differs between configurations\n{values}")
    return reports


def _page_order(where: str) -> tuple[str, int]:
    page, _, line = where.rpartition(":")
    return page, int(line)


def _indented(text: str | None) -> str:
    if text is None:
        return "      (block not run)\n"
    if not text:
        return "      (prints nothing)\n"
    return "".join(f"      {line}\n" for line in text.splitlines())


def main(arguments: Sequence[str]) -> int:
    update = "--update" in arguments
    records_to = [a.removeprefix(RECORD_OPTION) for a in arguments if a.startswith(RECORD_OPTION)]
    pytest_args = [
        argument
        for argument in arguments
        if argument != "--update" and not argument.startswith(RECORD_OPTION)
    ] or ["docs"]
    runs, lacks = available_capabilities()
    print(f"CPU kernel sets: {', '.join(runs)} run here", end="")
    print(f"; {', '.join(lacks)} not available on this CPU" if lacks else "", flush=True)
    records, all_passed = {}, True
    with tempfile.TemporaryDirectory() as folder:
        for configuration in configurations(runs):
            path = Path(folder) / f"{configuration.capability}-{configuration.threads}.json"
            all_passed &= run(configuration, pytest_args, path, quiet=update)
            if path.exists():
                records[configuration.name] = output_record.read(path)
    reports = differences(records)
    for report in reports:
        print(report)
    print(
        f"stability: {len(records)} configurations, "
        f"{len(reports)} blocks whose output differs between them"
    )
    if reports:
        print(
            "Show what does not depend on the last bit (round, count, compare): "
            "see the README, 'Outputs that hold on every machine'."
        )
        return 1
    if update:
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "--update-outputs",
            *pytest_args,
        ]
        return subprocess.run(command).returncode
    if all_passed and records_to:
        mark_record(Path(records_to[-1]), list(records), pytest_args)
    return 0 if all_passed else 1


def mark_record(path: Path, configurations: list[str], pytest_args: list[str]) -> None:
    """Name the configurations in the verification record, after a run of the whole site."""
    if pytest_args != ["docs"]:
        print(f"{path} not updated: this stability run did not cover the whole site")
        return
    hashes = {
        page.as_posix(): verification_record.page_hash(
            page.read_text(encoding="utf-8"), Path(), page.parent
        )
        for page in sorted(Path("docs").rglob("*.md"))
    }
    record = verification_record.read(path)
    verification_record.write(
        path, verification_record.with_stability(record, configurations, hashes)
    )
    print(f"{path}: the pages' outputs agree under {'; '.join(configurations)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
