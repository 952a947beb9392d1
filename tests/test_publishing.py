"""Publishing: the site built for an address links nowhere on this machine, and the
workflow that publishes it runs the README's commands."""

import re
from importlib.metadata import version
from pathlib import Path

import nbformat
import yaml
from sample_projects import build, project

from verified_docs.page.fences import find_fences
from verified_docs.website.colab import BRANCH as colab_branch
from verified_docs.website.published_links import local_links

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
PAGES = {"index.md": "# Home\n\nText.\n", "guide/page.md": "# Page\n\nMore text.\n"}


def test_the_site_built_for_an_address_has_no_link_to_this_machine(tmp_path, monkeypatch):
    config = project(tmp_path, PAGES)
    monkeypatch.setenv("SITE_URL", "https://example.org/guide/")
    result = build(config)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert list(local_links(site)) == []
    assert "<loc>https://example.org/guide/guide/page/</loc>" in (site / "sitemap.xml").read_text()
    html = (site / "guide" / "page" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/guide/guide/page/">' in html


def test_the_default_address_is_found_in_the_built_site(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert build(project(tmp_path, PAGES)).returncode == 0
    found = list(local_links(tmp_path / "site"))
    assert "sitemap.xml: <loc>http://127.0.0.1:" in found
    assert any(link.startswith("guide/page/index.html: href=") for link in found)


def readme_commands(section: str) -> list[str]:
    """The commands the shell fences of the README section `section` run with python3.11."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {section}\n")
    end = readme.find("\n## ", start + 1)
    text = readme[start : end if end > 0 else None]
    return [
        line
        for fence in find_fences(text)
        if fence.language == "shell"
        for line in fence.source.splitlines()
        if line.startswith("python3.11 ")
    ]


def test_the_workflow_verifies_then_publishes_what_it_verified():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    verify, deploy = workflow["jobs"]["verify"], workflow["jobs"]["deploy"]
    runs = [step["run"] for step in verify["steps"] if "run" in step]
    commands = readme_commands("Verify everything") + readme_commands("Publish the site")
    assert len(commands) >= 2
    for command in commands:
        assert command in runs, f"the workflow does not run the README's `{command}`"
    assert runs.index(commands[0]) < runs.index(commands[-1])  # verify, then build
    upload = next(
        step for step in verify["steps"] if "upload-pages-artifact" in step.get("uses", "")
    )
    assert upload["with"]["path"] == "build/publish"
    assert 'PUBLISHED = "build/publish"' in (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert "SITE_URL" in verify["env"]
    assert deploy["needs"] == "verify"
    assert "refs/heads/main" in deploy["if"]
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


CODE_PAGE = "# Code\n\n```python\nprint(2 + 2)\n```\n\n```output\n4\n```\n"


def test_a_site_built_for_a_github_repository_links_it_and_opens_its_notebooks_in_colab(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("REPO_URL", "https://github.com/owner/repo")
    result = build(project(tmp_path, {**PAGES, "guide/code.md": CODE_PAGE}))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    html = (site / "guide" / "code" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/owner/repo">The pages, code and tests</a>.' in html
    [colab] = re.findall(r'<a href="(https://colab\.research\.google\.com/[^"]+)"', html)
    prefix = f"https://colab.research.google.com/github/owner/repo/blob/{colab_branch}/"
    assert colab.startswith(prefix)
    assert (site / colab.removeprefix(prefix)).is_file()  # the path the branch gets it at
    notebook = nbformat.read(site / colab.removeprefix(prefix), as_version=4)
    setup = notebook.cells[1]
    assert setup.metadata["tags"] == ["colab-setup"]
    assert 'if "google.colab" in sys.modules:' in setup.source
    assert f'"torch=={version("torch").split("+")[0]}"' in setup.source
    # The workflow puts the published notebooks, at those paths, on that branch.
    push = next(step["run"] for step in workflow_steps() if "notebooks" in step.get("name", ""))
    assert "cd build/publish && find . -name '*.ipynb'" in push
    assert f"git init -q -b {colab_branch}" in push and f" {colab_branch}\n" in push


def workflow_steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["verify"]["steps"]
