"""Run copied code blocks in this (fresh) Python process; used by test_copy.py.

Usage: python run_blocks.py BLOCKS.json RESULTS.json

BLOCKS.json is a list of {"source": ..., "fresh": bool}. The blocks run in order, as a
reader pastes them into one Python session: each in the namespace of the blocks before
it, or in a namespace of its own when "fresh" (a quiz's code). Each result is what the
block printed and the traceback it raised, if any, captured as the test suite does
(verified_docs.outputs.run_code).
"""

import json
import sys
from dataclasses import asdict

from verified_docs.outputs import run_code


def main(blocks_file: str, results_file: str) -> None:
    with open(blocks_file, encoding="utf-8") as handle:
        blocks = json.load(handle)
    shared = {"__name__": "__main__"}
    results = []
    for number, block in enumerate(blocks, 1):
        namespace = {"__name__": "__main__"} if block["fresh"] else shared
        run = run_code(block["source"], f"<copied block {number}>", 1, namespace)
        results.append(asdict(run))
    with open(results_file, "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main(*sys.argv[1:3])
