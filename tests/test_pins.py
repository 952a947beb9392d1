"""Every dependency is pinned exactly in pyproject.toml, requirements.lock agrees with
those pins, and the README and CI install the pinned nox and uv within the lock."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
GROUPS = PYPROJECT["dependency-groups"]
INSTALLED = [  # what the sessions install, within the lock
    *PYPROJECT["project"]["dependencies"],
    *(req for group in GROUPS.values() for req in group if isinstance(req, str)),
]
REQUIREMENTS = [*INSTALLED, *PYPROJECT["build-system"]["requires"]]
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9_.\-]*)==(?P<version>[0-9][0-9A-Za-z.+!]*)")


def locked() -> dict[str, str]:
    """requirements.lock as {normalized name: version}; every line an exact pin, once."""
    pins: dict[str, str] = {}
    for number, line in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        match = PIN.fullmatch(text)
        assert match, f"requirements.lock:{number}: not an exact pin: {text!r}"
        name = canonicalize_name(match["name"])
        assert name not in pins, f"requirements.lock:{number}: {name} pinned twice"
        pins[name] = match["version"]
    return pins


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_dependency_is_pinned_exactly(requirement):
    assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+]*", requirement), requirement


@pytest.mark.parametrize("tool", ["nox", "uv"])
def test_readme_and_ci_install_the_pinned_tools_within_the_lock(tool):
    [pin] = [req for req in GROUPS["dev"] if req.startswith(f"{tool}==")]
    for path in ("README.md", ".ci/run"):
        text = (ROOT / path).read_text()
        installs = re.findall(rf"\b{tool}==[^\s\"']+", text)
        assert installs, f"{path} installs no pinned {tool}"
        assert set(installs) == {pin}, f"{path} installs {installs}, pyproject.toml pins {pin}"
        within = rf"pip install [^\n]*-c requirements\.lock [^\n]*\b{tool}=="
        assert re.search(within, text), f"{path} installs {tool} outside requirements.lock"


def test_the_lock_pins_every_package_once():
    assert len(locked()) > len(INSTALLED), "the lock pins no package beyond pyproject's"


@pytest.mark.parametrize("requirement", INSTALLED)
def test_the_lock_agrees_with_pyproject(requirement):
    """A pin changed in pyproject.toml without `nox -s lock` fails here (and the install)."""
    wanted = Requirement(requirement)
    version = locked().get(canonicalize_name(wanted.name))
    assert version is not None, f"requirements.lock lacks {wanted.name}: run `nox -s lock`"
    # torch==2.13.0 admits the build the lock names, 2.13.0+cpu.
    assert wanted.specifier.contains(version, prereleases=True), (
        f"pyproject.toml pins {requirement}, requirements.lock {wanted.name}=={version}: "
        "run `nox -s lock`"
    )
