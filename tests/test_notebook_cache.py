"""The build's executed notebooks are cached apart for each set of installed packages."""

from pathlib import Path
from types import SimpleNamespace

from mkdocs.config import load_config

from verified_docs.website import notebook_cache

ROOT = Path(__file__).resolve().parents[1]


def installed(torch: str) -> list:
    return [
        SimpleNamespace(metadata={"Name": name}, version=number)
        for name, number in [("numpy", "2.3.5"), ("torch", torch)]
    ]


def test_another_torch_gets_another_cache_folder(monkeypatch):
    monkeypatch.setattr(notebook_cache, "distributions", lambda: installed("2.13.0"))
    before = notebook_cache.environment_key()
    monkeypatch.setattr(notebook_cache, "distributions", lambda: installed("2.14.0"))
    assert notebook_cache.environment_key() != before
    monkeypatch.setattr(notebook_cache, "distributions", lambda: installed("2.13.0"))
    assert notebook_cache.environment_key() == before


def test_the_sites_notebook_plugin_caches_in_the_folder_of_this_environment():
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins[notebook_cache.PLUGIN]
    assert plugin.config["cache"], "mkdocs-jupyter's cache is off: nothing to keep apart"
    shared = plugin.config["cache_dir"]
    notebook_cache.separate_cache(config)
    assert plugin.config["cache_dir"] == f"{shared}/{notebook_cache.environment_key()}"
