"""Build, serve, verify and lint the guide. `nox` alone runs the whole verification."""

import os
import shutil
import sys
from dataclasses import dataclass

import nox

# The strict build runs once, in the browser session, which then tests the site it built.
nox.options.sessions = ["lint", "tests", "browser"]  # tests ends with the stability check
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"
PYPROJECT = nox.project.load_toml("pyproject.toml")
# Every package of the environment the sessions run in, pinned with its hashes for every
# platform (Linux, macOS, Windows), from the default index: written by `nox -s lock`.
LOCK = "requirements.lock"
TOOLS_LOCK = "requirements-nox.lock"  # nox and uv, which the README installs to run this
# The releases of PyTorch before the current one (pyproject.toml's pin) that
# `nox -s releases` verifies every page under, oldest first; each has its own lock,
# requirements-torch-RELEASE.lock, the same packages but torch and what it brings.
EARLIER_RELEASES = ("2.13.0", "2.14.1")
ENVIRONMENT = ".nox/site"  # the one environment every session runs in (`environment`)
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
UV = [sys.executable, "-m", "uv"]  # installed with nox (README); never pip's configuration


def release_lock(release: str) -> str:
    return f"requirements-torch-{release}.lock"


@dataclass(frozen=True)
class Environment:
    """A virtual environment that holds a lock's packages and the project."""

    path: str

    def run(self, session: nox.Session, program: str, *args: str, **kwargs) -> None:
        """`session.run` of one of the environment's programs, with it first on PATH."""
        bin_ = os.path.join(os.path.abspath(self.path), "bin")
        env = {"PATH": bin_ + os.pathsep + os.environ["PATH"], "VIRTUAL_ENV": bin_[:-4]}
        env |= kwargs.pop("env", {})
        session.run(os.path.join(bin_, program), *args, env=env, **kwargs)


def environment(session: nox.Session, lock: str = LOCK, where: str = ENVIRONMENT) -> Environment:
    """Make the environment at `where` hold exactly what `lock` pins (hashes checked)
    and the project, editable.

    One environment for every session: the locked packages (torch alone is gigabytes)
    are installed once, and a session whose lock has not changed installs nothing.
    """
    python = os.path.join(where, "bin", "python")
    if not os.path.exists(python):
        session.run_install(*UV, "venv", "--quiet", "--python", PYTHON, where)
    project = os.path.join(where, "project.txt")
    with open(project, "w", encoding="utf-8") as file:
        file.write(f"-e {os.path.abspath('.')}\n")
    # Compiled once at install: otherwise every process that imports torch before its
    # .pyc files exist compiles them again, and a session starts many such processes.
    sync = [*UV, "pip", "sync", "--quiet", "--compile-bytecode", "--python", python]
    session.run_install(*sync, lock, project)
    return Environment(where)


# Every session runs in `environment`, made by uv, rather than in one nox makes for it.
session = nox.session(venv_backend="none")


@session
def tests(session: nox.Session) -> None:
    """Run every block on every page, check every output, quiz and snippet; then, when
    that was the whole site, check its outputs under every other CPU kernel set and
    thread count (`nox -s stability`), in the same environment."""
    site = environment(session)
    site.run(
        session,
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
        *site_rules(session.posargs),
        env={**ONE_THREAD_PER_WORKER, **CRASH_STACKS},
    )
    if not session.posargs:
        # The pages the record marks stable as they are need no second look: they print
        # what they printed under each configuration then (`nox -s stability` looks again).
        check_stability(session, site, "--unmarked-only")


# The rules a page keeps across the site: a run of some pages checks them too.
SITE_RULES = [
    "tests/test_quiz_site.py",  # unique ids, no repeats, fair positions and lengths
    "tests/test_exercises.py",  # every exercise whole; three a phase
    "tests/test_course.py",  # the course's path and length
    "tests/test_math_font.py",  # the math font holds every formula's characters
]


def site_rules(pytest_args: list[str]) -> list[str]:
    """The site's rules, when the run names pages (and the rules are not named already)."""
    if not any(argument.startswith("docs") for argument in pytest_args):
        return []
    return [rule for rule in SITE_RULES if rule not in pytest_args]


@session
def stability(session: nox.Session) -> None:
    """Verify the pages under each CPU kernel set and thread count; report any difference.

    `nox -s tests` ends with this check of the whole site; this session runs it alone,
    or for some pages: `nox -s stability -- docs/losses`.
    """
    check_stability(session, environment(session), *session.posargs)


def check_stability(session: nox.Session, site: Environment, *arguments: str) -> None:
    """The stability run (`arguments`: its own and pytest's). The configuration the tests
    session ran (this CPU's kernels, one thread a worker) is not run again while its record
    matches the pages."""
    site.run(
        session,
        "python",
        "-m",
        "verified_docs.test_run.stability",
        f"--verification-record={RECORD}",
        f"--reuse-outputs={TESTS_OUTPUTS}",
        *arguments,
        env={**QUIET, **CRASH_STACKS},
    )


@session
def releases(session: nox.Session) -> None:
    """Verify every page under each earlier release of PyTorch too, and write into the
    record, page by page, whether it holds on each, and each block that prints otherwise.

    After `nox -s tests`, whose run of the current release the others are compared with.
    Run by the publish workflow; not part of plain `nox`.
    """
    outputs = [f"build/outputs/torch-{release}.json" for release in EARLIER_RELEASES]
    for release, recorded in zip(EARLIER_RELEASES, outputs, strict=True):
        earlier = environment(session, release_lock(release), f".nox/torch-{release}")
        earlier.run(
            session,
            "pytest",
            "docs",
            "-q",
            "-n",
            "auto",
            "--dist",
            "loadscope",
            "--no-loadscope-reorder",
            f"--record-outputs={recorded}",
            env={**ONE_THREAD_PER_WORKER, **CRASH_STACKS},
            success_codes=[0, 1],  # a page that prints otherwise is a finding, not an error
        )
    environment(session).run(
        session,
        "python",
        "-m",
        "verified_docs.test_run.releases",
        f"--verification-record={RECORD}",
        f"--current-outputs={TESTS_OUTPUTS}",
        *outputs,
    )


@session
def docs(session: nox.Session) -> None:
    """Build the site into site/ with `mkdocs build --strict`: any warning fails.

    Not in plain `nox`: the browser session makes the same strict build, and tests it.
    """
    environment(session).run(session, "mkdocs", "build", "--strict", *session.posargs, env=QUIET)


@session
def serve(session: nox.Session) -> None:
    """Build and serve the site at http://127.0.0.1:8000, rebuilding on every change."""
    serve = ["serve", "--dev-addr", "127.0.0.1:8000", *session.posargs]
    environment(session).run(session, "mkdocs", *serve, env=QUIET)


@session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the project's Python."""
    site = environment(session)
    site.run(session, "ruff", "check", *LINTED)
    site.run(session, "ruff", "format", "--check", *LINTED)


def build_site(session: nox.Session, site: Environment) -> str:
    """`mkdocs build --strict` into the session's own folder; the built site's path."""
    built = os.path.join(session.create_tmp(), "site")
    site.run(session, "mkdocs", "build", "--strict", "--quiet", "-d", built, env=QUIET)
    return built


@session
def browser(session: nox.Session) -> None:
    """Build the site, serve it on 127.0.0.1 and test it in Debian's Chromium.

    Pages, navigation, copy buttons (they copy the code the tests ran), quizzes, search,
    both colour schemes, axe-core's WCAG 2.1 AA rules, phone width and the notebooks.
    `nox -s browser -- -k quiz` selects.
    """
    site = environment(session)
    built = build_site(session, site)
    # One Chromium per core; the tests of one page run on one, sharing its loads.
    pytest = ["tests/browser", "-n", "auto", *session.posargs]
    site.run(session, "pytest", *pytest, env={**QUIET, BUILT: built})


@session
def screenshots(session: nox.Session) -> None:
    """Build the site and save screenshots for a reviewer: the home page, a guide page,
    a quiz and two figures, in both schemes and at phone width, into $NOX_SCREENSHOTS or
    build/screenshots/. Not part of plain `nox`: pictures to look at, not a test."""
    site = environment(session)
    built = build_site(session, site)
    site.run(session, "python", "tests/browser/screenshots.py", env={**QUIET, BUILT: built})


LIGHTHOUSE = "tests/browser/lighthouse"  # its package.json and package-lock.json pin it


@session
def bench(session: nox.Session) -> None:
    """Print the site's weight and speed: sizes, bytes per page view, time to first render,
    and Lighthouse's mobile scores (installed with npm, as its lock pins it, where npm is)."""
    site = environment(session)
    built = build_site(session, site)
    env = {**QUIET, BUILT: built}
    if shutil.which("npm"):
        # As locked; not `npm ci`, which refuses the lock: lighthouse asks for a
        # package's "latest".
        npm = ["npm", "install", "--no-save", "--silent", "--no-audit", "--no-fund"]
        session.run_install(*npm, "--prefix", LIGHTHOUSE)
        env["LIGHTHOUSE"] = os.path.abspath(f"{LIGHTHOUSE}/node_modules/.bin/lighthouse")
    site.run(session, "python", "tests/browser/bench.py", env=env)


@session
def publish(session: nox.Session) -> None:
    """Build the tree to publish into build/publish, for the address in $SITE_URL.

    `mkdocs build --strict`, so a page changed since the test run verified it stops the
    build; then no link may point at this machine (the address was not set).
    """
    site = environment(session)
    site.run(session, "mkdocs", "build", "--strict", "-d", PUBLISHED, env=QUIET)
    site.run(session, "python", "-m", "verified_docs.website.published_links", PUBLISHED)


@session
def lock(session: nox.Session) -> None:
    """Resolve pyproject.toml's pins into the locks: every package, pinned with its
    hashes, for Linux, macOS and Windows alike, from the default index.

    requirements.lock is the environment of every session; requirements-nox.lock the
    nox and uv that run them, a part of it; requirements-torch-RELEASE.lock, for each
    earlier release, the same with that torch. To upgrade, change a pin in pyproject.toml
    and run `nox -s lock`: the other packages keep their locked versions where they can
    (`nox -s lock -- --upgrade` moves them all to their newest).
    """
    groups = [arg for group in PYPROJECT["dependency-groups"] for arg in ("--group", group)]
    # The lowest Python the pins allow (pymdown-extensions asks for 3.11.5).
    compile_ = [*UV, "pip", "compile", "--universal", "--python-version", "3.11.5"]
    compile_ += ["--generate-hashes", "--quiet", "--custom-compile-command"]
    compile_ += ["python3.11 -m nox -s lock", *session.posargs]
    session.run(*compile_, "pyproject.toml", *groups, "-o", LOCK)
    tools = ["--group", "pyproject.toml:dev", "-c", LOCK]
    session.run(*compile_, *tools, "-o", TOOLS_LOCK)
    for release in EARLIER_RELEASES:
        override = os.path.join(session.create_tmp(), f"torch-{release}.txt")
        with open(override, "w", encoding="utf-8") as file:
            file.write(f"torch=={release}\n")
        session.run(
            *compile_,
            "pyproject.toml",
            *groups,
            "--override",
            override,
            "-o",
            release_lock(release),
        )


@session(name="update-outputs")
def update_outputs(session: nox.Session) -> None:
    """Rewrite the output fences and figures from a real run (after a PyTorch upgrade).

    Only when every CPU kernel set and thread count printed the same: see `stability`.
    """
    environment(session).run(
        session,
        "python",
        "-m",
        "verified_docs.test_run.stability",
        "--update",
        *session.posargs,
        env={**QUIET, **CRASH_STACKS},
    )
    session.log("Outputs rewritten where they differed: read `git diff docs/` before committing.")
