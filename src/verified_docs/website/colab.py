"""Open a page's notebook in Google Colab, at the releases the page was verified with.

Colab opens a notebook from a GitHub repository by its path
(`https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/PATH`), so the publish
workflow (.github/workflows/publish.yml) pushes the built notebooks, at their paths in
the site, to the repository's `notebooks` branch; the site links each one there when the
build knows its repository (`extra.repository` in mkdocs.yml, from $REPO_URL). Each page
notebook starts with a cell that, on Colab alone, installs the pinned releases of the
packages the page uses: Colab's own are others.
"""

import re
from importlib.metadata import version

from ..record.verification_record import release

BRANCH = "notebooks"  # where the publish workflow puts the built notebooks
GITHUB = re.compile(r"^https://github\.com/(?P<repository>[^/\s]+/[^/\s]+?)/?$")
PACKAGES = ("torch", "numpy", "scikit-learn", "matplotlib")
SETUP_TAG = "colab-setup"  # the setup cell's tag: not one of the page's blocks


def colab_url(repository: str, notebook: str) -> str | None:
    """The address Colab opens the site's notebook at `notebook` (a path in the site)
    from, when `repository` is a GitHub repository's address; else None."""
    match = GITHUB.match(repository or "")
    if match is None:
        return None
    return (
        f"https://colab.research.google.com/github/{match['repository']}/blob/{BRANCH}/{notebook}"
    )


def setup_source() -> str:
    """The first cell of a page notebook: on Colab, pip installs the pinned releases."""
    pins = ", ".join(f'"{name}=={release(version(name))}"' for name in PACKAGES)
    return (
        "# On Google Colab, install the releases this page was verified with (elsewhere,\n"
        "# this cell does nothing).\n"
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n\n"
        f"    pins = [{pins}]\n"
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *pins], check=True)\n'
    )
