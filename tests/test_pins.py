"""Every dependency is pinned exactly in pyproject.toml; the locks agree with those pins,
pin every package with its hashes, from the default index alone, for every platform; the
README and CI install nox and uv from their lock."""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
GROUPS = PYPROJECT["dependency-groups"]
INSTALLED = [  # what the environment holds besides what these bring in
    *PYPROJECT["project"]["dependencies"],
    *(req for group in GROUPS.values() for req in group if isinstance(req, str)),
]
REQUIREMENTS = [*INSTALLED, *PYPROJECT["build-system"]["requires"]]
LOCK = ROOT / "requirements.lock"
TOOLS_LOCK = ROOT / "requirements-nox.lock"


def earlier_releases() -> tuple[str, ...]:
    """noxfile.py's EARLIER_RELEASES, read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "EARLIER_RELEASES":
            return ast.literal_eval(node.value)
    raise AssertionError("noxfile.py defines no EARLIER_RELEASES")


RELEASE_LOCKS = {
    release: ROOT / f"requirements-torch-{release}.lock" for release in earlier_releases()
}
LOCKS = [LOCK, TOOLS_LOCK, *RELEASE_LOCKS.values()]


def entries(lock: Path) -> list[tuple[int, Requirement, list[str]]]:
    """Each requirement of `lock` with its line and hashes; fails on any other option."""
    found = []
    text = lock.read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", re.sub(r"(?m)\s*#.*$", "", text))
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line[:1].isalnum()]
    lines = [line.strip() for line in logical.splitlines() if line.strip()]
    assert len(lines) == len(starts), f"{lock.name}: a line that is not a requirement"
    for number, line in zip(starts, lines, strict=True):
        requirement_text, *options = line.split(" --")
        assert all(option.startswith("hash=sha256:") for option in options), (
            f"{lock.name}:{number}: an option besides hashes: {line!r}"
        )
        hashes = [option.removeprefix("hash=sha256:").strip() for option in options]
        found.append((number, Requirement(requirement_text), hashes))
    return found


def pins(lock: Path) -> dict[str, str]:
    """{normalized name: version} of the entries that apply to Python 3.11."""
    python = {"python_version": "3.11", "python_full_version": "3.11.7"}
    return {
        canonicalize_name(requirement.name): str(requirement.specifier).removeprefix("==")
        for _, requirement, _ in entries(lock)
        if requirement.marker is None or requirement.marker.evaluate({**python})
    }


@pytest.mark.parametrize("requirement", REQUIREMENTS)
def test_dependency_is_pinned_exactly(requirement):
    assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", requirement), requirement


@pytest.mark.parametrize("lock", LOCKS, ids=lambda lock: lock.name)
def test_a_lock_pins_each_package_exactly_with_its_hashes_from_the_default_index(lock):
    seen = {}
    for number, requirement, hashes in entries(lock):
        where = f"{lock.name}:{number}"
        [specifier] = requirement.specifier
        assert specifier.operator == "==" and "+" not in specifier.version, (
            f"{where}: not an exact pin of a release on the default index: {requirement}"
        )
        assert hashes and all(re.fullmatch("[0-9a-f]{64}", h) for h in hashes), where
        name = canonicalize_name(requirement.name)
        assert (name, str(requirement.marker)) not in seen, f"{where}: {name} pinned twice"
        seen[name, str(requirement.marker)] = number


def test_the_lock_resolves_for_linux_macos_and_windows():
    markers = {str(requirement.marker) for _, requirement, _ in entries(LOCK)}
    assert 'sys_platform == "linux"' in markers  # torch's CUDA libraries, on Linux only
    assert 'sys_platform == "darwin"' in markers  # appnope, which IPython needs on macOS
    assert any("win32" in marker for marker in markers)


@pytest.mark.parametrize("requirement", INSTALLED)
def test_the_lock_agrees_with_pyproject(requirement):
    """A pin changed in pyproject.toml without `nox -s lock` fails here (and the install)."""
    wanted = Requirement(requirement)
    version = pins(LOCK).get(canonicalize_name(wanted.name))
    assert version is not None, f"requirements.lock lacks {wanted.name}: run `nox -s lock`"
    assert wanted.specifier.contains(version), (
        f"pyproject.toml pins {requirement}, requirements.lock {wanted.name}=={version}: "
        "run `nox -s lock`"
    )


@pytest.mark.parametrize("release", RELEASE_LOCKS)
def test_an_earlier_release_has_the_same_packages_but_torch_and_what_it_brings(release):
    lock = RELEASE_LOCKS[release]
    assert lock.is_file(), f"{lock.name} is missing: run `nox -s lock`"
    current, earlier = pins(LOCK), pins(lock)
    assert earlier["torch"] == release
    torch_own = {"torch", "triton", "cuda-toolkit", "cuda-bindings", "cuda-pathfinder"}
    for name, version in current.items():
        if name not in torch_own and not name.startswith("nvidia-"):
            assert earlier.get(name) == version, f"{lock.name}: {name} is not {version}"


def test_the_tools_lock_is_a_part_of_the_lock():
    current = pins(LOCK)
    tools = pins(TOOLS_LOCK)
    assert {"nox", "uv"} <= set(tools)
    assert {name: current.get(name) for name in tools} == tools


@pytest.mark.parametrize("path", ["README.md", ".ci/run", ".github/workflows/publish.yml"])
def test_readme_and_ci_install_nox_and_uv_from_their_lock(path):
    text = (ROOT / path).read_text()
    assert re.search(r"python3\.11 -m pip install [^\n]*-r requirements-nox\.lock", text), path
    assert not re.search(r"\b(?:nox|uv)==", text), f"{path} pins nox or uv itself"
    assert "find-links" not in text.lower() and "index-url" not in text.lower(), path
