"""The house: no import cycle among the package's modules, and make's prerequisites of each stage are the
files its process can import, found from the code."""

from __future__ import annotations

import ast

from pipeline import deps


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(deps.PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(deps.ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = deps.imported(name, tree, name in deps.ENTRY) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_itself_through_others() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_each_stage_depends_on_what_it_imports_and_not_on_the_other_stages() -> None:
    sources = {}
    for variable, module in deps.STAGES.items():
        files, strings = deps.closure(module)
        sources[variable] = {str(p.relative_to(deps.ROOT)) for p in files | deps.resources(strings)}
    assert "pipeline/needs/profile_tables.py" in sources["NEEDS_SRC"]  # loaded on first use, still found
    assert "pipeline/resources/municipalities_2021.csv" in sources["INGEST_SRC"]  # a resource it names
    assert "notebooks/programplan.ipynb" in sources["REPORT_SRC"]
    assert not any(f.startswith(("pipeline/themes/", "pipeline/plan/")) for f in sources["ECONOMICS_SRC"])
    assert "pipeline/plan/model.py" not in sources["THEMES_SRC"]
    for variable, files in sources.items():
        assert {"pipeline/stages.py", "pipeline/config/models.py"} <= files, variable
