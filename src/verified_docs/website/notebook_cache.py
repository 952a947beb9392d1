"""mkdocs-jupyter's cache of executed notebooks, kept apart for each set of installed
packages.

mkdocs-jupyter keys an executed notebook on its text and the plugin's options only. After
an upgrade of PyTorch, a build would show the outputs of the old one, under a line that
names the new one (verified_line.py). So each set of installed distributions, with their
versions, and each Python get a cache folder of their own.
"""

import hashlib
import os
import platform
from importlib.metadata import distributions

PLUGIN = "mkdocs-jupyter"


def separate_cache(config) -> None:
    """on_config: point mkdocs-jupyter's cache at the folder of this environment."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is not None and plugin.config["cache"]:
        plugin.config["cache_dir"] = os.path.join(plugin.config["cache_dir"], environment_key())


def environment_key() -> str:
    """A short hash of the Python version and every installed distribution's version."""
    installed = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in distributions())
    text = "\n".join([platform.python_version(), *installed])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
