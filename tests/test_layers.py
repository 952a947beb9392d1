"""The package's layers point one way, and no module imports itself back.

From the bottom: the page model (`page/`); running and checking a block (`verifier/`)
and the verification record's format (`record/`); the quiz (`quiz/`); then the pytest
plugin (`test_run/`) and the build (`website/`), which never import each other. A module
may import its own layer and those below it. ARCHITECTURE.md draws the same picture.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "verified_docs"
LAYERS = {"page": 0, "verifier": 1, "record": 1, "quiz": 2, "test_run": 3, "website": 3}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The modules of the package that `path` imports, anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(
                    target
                    if (PACKAGE.parent / (target.replace(".", "/") + ".py")).exists()
                    else base
                )
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {module for module in found if module.startswith("verified_docs.")}


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: imports(path) & set(MODULES) for name, path in MODULES.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 2 else None


def test_every_module_is_in_a_layer():
    loose = [m for m in MODULES if layer(m) is None and m.count(".") > 1]
    assert loose == []


def against_the_layers(graph: dict[str, set[str]]) -> list[str]:
    """Each import of `graph` from a lower layer, or between test_run and website."""
    wrong = []
    for module, targets in graph.items():
        for target in sorted(targets):
            low, high = layer(module), layer(target)
            if low is None or high is None:
                continue
            peers = {module.split(".")[1], target.split(".")[1]} == {"test_run", "website"}
            if high > low or peers:
                wrong.append(f"{module} imports {target}")
    return wrong


def test_imports_point_down_or_stay_in_their_layer():
    assert against_the_layers(GRAPH) == []


def test_no_module_imports_itself_back():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            module, path = stack.pop()
            for target in GRAPH.get(module, ()):
                if target == start:
                    return [*path, start]
                if target not in path:
                    stack.append((target, [*path, target]))
        return None

    cycles = [" -> ".join(cycle) for module in sorted(GRAPH) if (cycle := cycle_from(module))]
    assert cycles == []


def test_the_check_sees_an_import_against_the_layers():
    assert "verified_docs.page.page_model" in GRAPH["verified_docs.verifier.block_run"]
    planted = {
        "verified_docs.page.page_model": {"verified_docs.verifier.block_guard"},
        "verified_docs.website.verified_line": {"verified_docs.test_run.stability"},
        "verified_docs.quiz.render": {"verified_docs.page.rendering"},
    }
    assert against_the_layers(planted) == [
        "verified_docs.page.page_model imports verified_docs.verifier.block_guard",
        "verified_docs.website.verified_line imports verified_docs.test_run.stability",
    ]
