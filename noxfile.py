"""Build, serve, verify and lint the guide. `nox` alone runs the whole verification."""

import os
import re
import subprocess
import sys

import nox

# The strict build runs once, in the browser session, which then tests the site it built.
nox.options.sessions = ["lint", "tests", "browser"]  # tests ends with the stability check
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# uv makes an environment in seconds where pip takes minutes; pip where uv is missing.
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.download_python = "never"

PYTHON = "3.11"
PYPROJECT = nox.project.load_toml("pyproject.toml")
LOCK = "requirements.lock"  # every package pinned, written by `nox -s lock`
LINTED = ["src", "tests", "snippets", "noxfile.py"]
QUIET = {"NO_MKDOCS_2_WARNING": "1"}
BUILT = "VERIFIED_DOCS_SITE"  # where tests/browser finds the site a session built
# pytest-xdist already runs one worker per core; torch's own threads on top of that
# make the training examples many times slower. The printed outputs do not change.
ONE_THREAD_PER_WORKER = {**QUIET, "OMP_NUM_THREADS": "1"}
# Every Python process the pages start prints its stack if a signal kills it: a torchrun
# worker that aborts then says where, in the failure of the block that launched it.
CRASH_STACKS = {"PYTHONFAULTHANDLER": "1"}
# What the test run verified, page by page; the build refuses a page that differs from it.
RECORD = "verified.json"
# What each output fence showed in the tests session's run: the stability session compares
# it with the other configurations' instead of running the same configuration again.
TESTS_OUTPUTS = "build/outputs/tests.json"
PUBLISHED = "build/publish"  # what .github/workflows/publish.yml deploys


def pip_find_links() -> list[str]:
    """`--find-links` for each place pip's configuration finds wheels besides PyPI.

    uv does not read pip's configuration. On this project's machines it names the
    folder that holds the CPU build of torch; without it, uv would look for the
    locked torch==2.13.0+cpu on PyPI, not find it, and stop (never fetching a CUDA build).
    """
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    places = re.findall(r"^\S*\.find-links='(.*)'$", listed, re.MULTILINE)
    unique = dict.fromkeys(" ".join(places).split())
    return [arg for place in unique for arg in ("--find-links", place)]


FIND_LINKS = pip_find_links()


def install(session: nox.Session, *groups: str) -> None:
    """Install the project and the pinned dependency groups, held to requirements.lock."""
    # Groups share the "pages" group; each requirement is listed once.
    requirements = dict.fromkeys(nox.project.dependency_groups(PYPROJECT, *groups))
    # Compiled once at install (pip always does; uv only when asked): otherwise every
    # process that imports torch before its .pyc files exist compiles them again, and
    # a fresh session starts many such processes at once.
    compiled = {"UV_COMPILE_BYTECODE": "1"}
    session.install(*FIND_LINKS, "-c", LOCK, "-e", ".", *requirements, env=compiled)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run every block on every page, check every output, quiz and snippet; then, when
    that was the whole site, check its outputs under every other CPU kernel set and
    thread count (`nox -s stability`), in the same environment."""
    install(session, "test")
    session.run(
        "pytest",
        "-n",
        "auto",
        # A page's blocks together on one worker; the longest pages first (run_order.py).
        "--dist",
        "loadscope",
        "--no-loadscope-reorder",
        "--ignore=tests/browser",  # needs Chromium and the built site: `nox -s browser`
        f"--verification-record={RECORD}",
        f"--record-outputs={TESTS_OUTPUTS}",
        "--standalone-copies",  # each block copied with what it needs, run alone
        *session.posargs,
        env={**ONE_THREAD_PER_WORKER, **CRASH_STACKS},
    )
    if not session.posargs:
        check_stability(session)


@nox.session(python=PYTHON)
def stability(session: nox.Session) -> None:
    """Verify the pages under each CPU kernel set and thread count; report any difference.

    `nox -s tests` ends with this check of the whole site; this session runs it alone,
    or for some pages: `nox -s stability -- docs/losses`.
    """
    install(session, "test")
    check_stability(session, *session.posargs)


def check_stability(session: nox.Session, *pytest_args: str) -> None:
    """The stability run. The configuration the tests session ran (this CPU's kernels,
    one thread a worker) is not run again while its record matches the pages."""
    session.run(
        "python",
        "-m",
        "verified_docs.testing.stability",
        f"--verification-record={RECORD}",
        f"--reuse-outputs={TESTS_OUTPUTS}",
        *pytest_args,
        env={**QUIET, **CRASH_STACKS},
    )


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the site into site/ with `mkdocs build --strict`: any warning fails.

    Not in plain `nox`: the browser session makes the same strict build, and tests it.
    """
    install(session, "docs")
    session.run("mkdocs", "build", "--strict", *session.posargs, env=QUIET)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Build and serve the site at http://127.0.0.1:8000, rebuilding on every change."""
    install(session, "docs")
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs, env=QUIET)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the project's Python."""
    session.install("-c", LOCK, *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


def build_site(session: nox.Session) -> str:
    """`mkdocs build --strict` into the session's own folder; the site's path."""
    site = os.path.join(session.create_tmp(), "site")
    session.run("mkdocs", "build", "--strict", "--quiet", "-d", site, env=QUIET)
    return site


@nox.session(python=PYTHON)
def browser(session: nox.Session) -> None:
    """Build the site, serve it on 127.0.0.1 and test it in Debian's Chromium.

    Pages, navigation, copy buttons (they copy the code the tests ran), quizzes, search,
    both colour schemes, axe-core's WCAG 2.1 AA rules, phone width and the notebooks.
    Screenshots go to $NOX_SCREENSHOTS, or build/screenshots/. `nox -s browser -- -k quiz`
    selects.
    """
    install(session, "browser", "test")
    site = build_site(session)
    # One Chromium per core; the tests of one page run on one, sharing its loads.
    pytest = ["pytest", "tests/browser", "-n", "auto"]
    session.run(*pytest, *session.posargs, env={**QUIET, BUILT: site})


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Print the site's weight and speed: sizes, bytes per page view, time to first render."""
    install(session, "browser")
    site = build_site(session)
    session.run("python", "tests/browser/bench.py", env={**QUIET, BUILT: site})


@nox.session(python=PYTHON)
def publish(session: nox.Session) -> None:
    """Build the tree to publish into build/publish, for the address in $SITE_URL.

    `mkdocs build --strict`, so a page changed since the test run verified it stops the
    build; then no link may point at this machine (the address was not set).
    """
    install(session, "docs")
    session.run("mkdocs", "build", "--strict", "-d", PUBLISHED, env=QUIET)
    session.run("python", "-m", "verified_docs.website.published_links", PUBLISHED)


@nox.session(python=PYTHON)
def lock(session: nox.Session) -> None:
    """Resolve pyproject.toml's pins into requirements.lock: every package, pinned.

    Every session installs within the lock, so a fresh machine installs what this one
    did. To upgrade, change a pin in pyproject.toml and run `nox -s lock`: the other
    packages keep their locked versions where they can (`nox -s lock -- --upgrade`
    moves them all to their newest).
    """
    # Not within the old lock: it may pin another uv than pyproject.toml now does.
    session.install(
        *[req for req in PYPROJECT["dependency-groups"]["dev"] if req.startswith("uv==")]
    )
    groups = [arg for group in PYPROJECT["dependency-groups"] for arg in ("--group", group)]
    python = os.path.join(session.bin, "python")
    command = ["uv", "pip", "compile", "pyproject.toml", *groups, *FIND_LINKS, "--python", python]
    command += ["--custom-compile-command", "python3.11 -m nox -s lock"]
    session.run(*command, "--quiet", "--output-file", LOCK, *session.posargs)


@nox.session(name="update-outputs", python=PYTHON)
def update_outputs(session: nox.Session) -> None:
    """Rewrite the output fences and figures from a real run (after a PyTorch upgrade).

    Only when every CPU kernel set and thread count printed the same: see `stability`.
    """
    install(session, "test")
    session.run(
        "python",
        "-m",
        "verified_docs.testing.stability",
        "--update",
        *session.posargs,
        env={**QUIET, **CRASH_STACKS},
    )
    session.log("Outputs rewritten where they differed: read `git diff docs/` before committing.")
