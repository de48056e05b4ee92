"""The module graph stays a DAG: no first-party module imports, directly or through others,
a module that imports it back (imports inside functions count; ``TYPE_CHECKING`` ones do not)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "evaluation", "index", "retriever", "trainer", "toolrag")


def _module(path: Path) -> str:
    """The installed name: ``agent/planner.py`` is ``toolrag.agent.planner`` (pyproject's package-dir)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[0] != "toolrag":
        parts.insert(0, "toolrag")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {_module(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        skip = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = resolve(f"{node.module}.{alias.name}") or resolve(node.module)
                    if target:
                        deps.add(target)
            elif isinstance(node, ast.Import):
                deps.update(t for a in node.names if (t := resolve(a.name)))
        deps.discard(name)
        graph[name] = deps
    return graph


def test_no_import_cycles():
    graph = import_graph()
    assert len(graph) > 50
    assert (
        "toolrag.agent.loader" in graph["toolrag.agent.planner"]
    )  # the graph sees function-level imports
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as err:
        raise AssertionError(f"import cycle: {' -> '.join(err.args[1])}") from None


@pytest.mark.parametrize("layer", ["evaluation", "trainer"])
def test_the_runtime_never_imports_evaluation_or_training(layer):
    graph = import_graph()
    runtime = [m for m in graph if m.split(".")[1:2] in (["agent"], ["index"], ["retriever"])]
    assert "toolrag.agent.simulator" in runtime
    offenders = {m: sorted(d for d in graph[m] if d.split(".")[1:2] == [layer]) for m in runtime}
    assert not {m: d for m, d in offenders.items() if d}
