"""The build runs the notebook pages itself: once per text and environment, each cell
under a time limit, and a failing cell stops it naming the notebook and the cell."""

from importlib.metadata import version

import nbformat
from sample_projects import RECORD, build, project, record_home_page

from verified_docs.website import notebook_runs

HOME = "# Home\n"


def notebook(*cells: str) -> str:
    made = nbformat.v4.new_notebook()
    made.cells = [nbformat.v4.new_markdown_cell("# A notebook")]
    made.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    return nbformat.writes(made)


def test_a_notebook_page_shows_what_it_printed_and_runs_again_only_when_changed(tmp_path):
    marker = tmp_path / "runs"
    counted = f"open({str(marker)!r}, 'a').write('run\\n')\nprint(6 * 7)"
    config = project(tmp_path, {"index.md": HOME, "nb.ipynb": notebook(counted)}, RECORD)
    record_home_page(tmp_path, HOME)  # the strict build needs the home page verified
    for _ in range(2):
        result = build(config)
        assert result.returncode == 0, result.stderr
    assert marker.read_text() == "run\n"  # the second build used the first one's run
    html = (tmp_path / "site" / "nb" / "index.html").read_text(encoding="utf-8")
    assert "<pre>42\n</pre>" in html
    assert (
        "Executed by the build: its 1 code cell ran without an error with PyTorch "
        f"{version('torch').split('+')[0]} in the environment that built this site" in html
    )
    downloaded = nbformat.read(tmp_path / "site" / "nb" / "nb.ipynb", as_version=4)
    assert downloaded.cells[1].outputs[0]["text"] == "42\n"  # the notebook as it ran
    (tmp_path / "docs" / "nb.ipynb").write_text(notebook(counted, "print(7)"))
    assert build(config).returncode == 0
    assert marker.read_text() == "run\nrun\n"


def test_a_failing_cell_stops_the_build_naming_notebook_and_cell(tmp_path):
    pages = {"index.md": "# Home\n", "nb.ipynb": notebook("x = 1", "print(x / 0)")}
    result = build(project(tmp_path, pages))
    assert result.returncode == 1
    assert "docs/nb.ipynb, cell 3: raised ZeroDivisionError: division by zero" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "nb" / "index.html").exists()


def test_a_file_that_is_not_a_notebook_is_named(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.ipynb").write_text('{"cells": [')
    problem = notebook_runs.run_notebook(tmp_path / "docs" / "broken.ipynb", tmp_path, tmp_path)
    assert problem == "docs/broken.ipynb: not a notebook (not JSON)"


def test_a_cell_that_runs_past_the_time_limit_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(notebook_runs, "TIME_LIMIT_S", 2)
    (tmp_path / "docs").mkdir()
    path = tmp_path / "docs" / "slow.ipynb"
    path.write_text(notebook("import time\ntime.sleep(60)"))
    problem = notebook_runs.run_notebook(path, tmp_path / "ran" / "slow.ipynb", tmp_path)
    assert problem == "docs/slow.ipynb, cell 2: ran past the time limit of 2 s"
    assert not (tmp_path / "ran").exists()
