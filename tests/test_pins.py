"""Every dependency is pinned exactly in pyproject.toml, and the README installs that nox."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
GROUPS = PYPROJECT["dependency-groups"]
REQUIREMENTS = [
    *PYPROJECT["project"]["dependencies"],
    *PYPROJECT["build-system"]["requires"],
    *(req for group in GROUPS.values() for req in group if isinstance(req, str)),
]


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_dependency_is_pinned_exactly(requirement):
    assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+]*", requirement), requirement


def test_readme_and_ci_install_the_pinned_nox():
    [nox] = [req for req in GROUPS["dev"] if req.startswith("nox==")]
    for path in ("README.md", ".ci/run"):
        installs = re.findall(r"\bnox==[^\s\"']+", (ROOT / path).read_text())
        assert installs, f"{path} installs no pinned nox"
        assert set(installs) == {nox}, f"{path} installs {installs}, pyproject.toml pins {nox}"
