"""Which earlier releases of PyTorch each page holds on: the record step of `nox -s releases`.

The session verifies the whole site under each earlier release, in an environment of its
own (`pytest docs --record-outputs build/outputs/torch-RELEASE.json`), then runs

    python -m verified_docs.test_run.releases --verification-record=verified.json \\
        --current-outputs=build/outputs/tests.json build/outputs/torch-2.13.0.json ...

which compares each of those runs with the run of the current release that `nox -s tests`
recorded, block by block, prints every block that printed otherwise, and writes into
each page's entry of the record, per release, whether every check of the page passed and
what each differing block printed (`releases`: {"2.13.0": {"holds": false, "differs":
{"docs/index.md:41": "2.13.0"}}}). A page edited since loses the entry (a new hash).
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from verified_docs.record import verification_record
from verified_docs.record.verification_record import release
from verified_docs.test_run import output_record
from verified_docs.test_run.output_record import OutputRecord
from verified_docs.test_run.stability import indented


def page_of(where: str) -> str:
    return where.rpartition(":")[0]


def compare(current: OutputRecord, earlier: OutputRecord) -> dict[str, dict]:
    """{page: {"holds": ..., "differs": {page:line: what it printed}}} for each page that
    the current run verified whole, as the earlier release ran it."""
    results = {}
    for page, hash_ in current.passed.items():
        holds = earlier.passed.get(page) == hash_
        differs = {
            where: earlier.shown.get(where)
            for where, text in current.shown.items()
            if page_of(where) == page and earlier.shown.get(where) != text
        }
        results[page] = {"holds": holds and not differs, "differs": differs}
    return results


def report(name: str, results: dict[str, dict], current: OutputRecord) -> list[str]:
    """A line for each page that does not hold on release `name`, and each of its blocks
    that printed otherwise, with both values."""
    lines = []
    for page, result in results.items():
        if result["holds"]:
            continue
        if not result["differs"]:
            lines.append(f"{page}: fails with PyTorch {name}, though every output is the same")
        for where, text in result["differs"].items():
            lines.append(
                f"{where}: PyTorch {name} prints otherwise\n"
                f"  {release(current.torch)}:\n{indented(current.shown[where])}"
                f"  {name}:\n{indented(text)}"
            )
    return lines


def main(arguments: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m verified_docs.test_run.releases")
    parser.add_argument("--verification-record", type=Path, required=True)
    parser.add_argument("--current-outputs", type=Path, required=True)
    parser.add_argument("earlier_outputs", type=Path, nargs="+")
    options = parser.parse_args(arguments)
    record = verification_record.read(options.verification_record)
    current_path = options.current_outputs
    current = output_record.read(current_path) if current_path.is_file() else None
    if current is None or current.torch != record["environment"].get("torch"):
        print(f"{current_path} is not the run that wrote the record: run `nox -s tests` first")
        return 1
    by_release = {}
    for path in options.earlier_outputs:
        earlier = output_record.read(path)
        name = release(earlier.torch)
        by_release[name] = compare(current, earlier)
        lines = report(name, by_release[name], current)
        held = f"the {len(current.passed)} page(s) the last `nox -s tests` verified hold"
        print("\n".join(lines) if lines else f"PyTorch {name}: {held}")
    updated = verification_record.with_releases(record, by_release, current.passed)
    verification_record.write(options.verification_record, updated)
    print(f"{options.verification_record}: {', '.join(by_release)} recorded, page by page")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
