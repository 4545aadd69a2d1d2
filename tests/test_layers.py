"""The import floors: read every module of auditor/ with `ast` (imports inside functions and TYPE_CHECKING blocks
count: they are dependencies too) and check the graph has no cycle, no edge from a lower layer to a higher one,
and no module much longer than one job needs."""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "auditor"

# Top imports bottom, never the reverse. A module takes the layer of its longest listed prefix.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("auditor.cli", "auditor.demo", "auditor.__main__"),
    ("auditor.sync", "auditor.analyze", "auditor.report", "auditor.status", "auditor.check", "auditor.export",
     "auditor.sqlrun",
     "auditor.csvimport", "auditor.labels", "auditor.prices.imports", "auditor.prices.resolve",
     "auditor.interrupt", "auditor.progress", "auditor.terminal"),
    ("auditor.extract", "auditor.decode", "auditor.store"),
    ("auditor.rpc", "auditor.marketplaces", "auditor.prices.feeds", "auditor.prices"),
    # logtable is the shape of fetched logs (an Arrow schema), which rpc builds and decode reads, as model's
    # RawLog is their shape one by one.
    ("auditor.model", "auditor.errors", "auditor.defaults", "auditor.resources", "auditor.chains", "auditor.abi",
     "auditor.events", "auditor.logtable", "auditor.sqlfile", "auditor.text"),
)
# The devnet is outside the product's path: it may use the product's declarations and values, and only the
# demo may use it.
DEVNET = "auditor.devnet"
DEVNET_MAY_IMPORT = 3   # layers from this index down (rpc, marketplaces, feeds; model, errors, ...)
DEVNET_USERS = ("auditor.demo",)
# Within the extract/decode/store layer: the store may know decoded rows' column types, nothing else here.
FORBIDDEN: tuple[tuple[str, str], ...] = (
    ("auditor.store", "auditor.extract"),
    ("auditor.decode", "auditor.store"),
    ("auditor.extract", "auditor.store"),
)

MAX_LINES = 300
LONG_MODULES: dict[str, str] = {
    "auditor.cli": "the typer app: one thin function per command, each with its flags and help text; the CLI's "
                   "whole surface read in one place is the point",
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = modules()[module].name == "__init__.py"
    base = module.split(".")[: len(module.split(".")) - node.level + is_package]
    return ".".join([*base, *([node.module] if node.module else [])])


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names}
    base = _absolute(module, node)
    return {f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base for a in node.names}


@cache
def edges() -> dict[str, frozenset[str]]:
    """module -> the auditor modules it imports (each `from x import y` names y when y is a module)."""
    out: dict[str, frozenset[str]] = {}
    for module, path in modules().items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found |= {t for t in _targets(module, node) if t == "auditor" or t.startswith("auditor.")}
        unknown = found - set(modules())
        assert not unknown, f"{module} imports {sorted(unknown)}, which are not modules of auditor/"
        out[module] = frozenset(found - {module})
    return out


def _prefixed(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer(module: str) -> int:
    """The module's layer, 0 at the top; the devnet gets none. The package's own __init__ (a docstring and
    the version) is at the bottom."""
    if module == "auditor":
        return len(LAYERS) - 1
    best = max(((len(p), i) for i, names in enumerate(LAYERS) for p in names if _prefixed(module, p)), default=None)
    assert best is not None, f"{module} is in no layer: place it in LAYERS"
    return best[1]


def package(module: str) -> str:
    """The top-level module or package a module belongs to (auditor.store.load -> auditor.store)."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _example_edges(component: list[str], of: dict[str, set[str]]) -> list[str]:
    members = set(component)
    return sorted(f"{a} -> {b}" for a in component for b in of.get(a, ()) if b in members)


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, targets in edges().items():
        graph[package(a)] |= {package(b) for b in targets if package(b) != package(a)}
    found = cycles(graph)
    assert not found, "package cycles:\n" + "\n".join(
        f"{c}: {_example_edges(c, graph)}" for c in found)


def test_no_cycle_between_modules() -> None:
    graph = {a: set(targets) for a, targets in edges().items()}
    found = cycles(graph)
    assert not found, "module cycles:\n" + "\n".join(f"{c}: {_example_edges(c, graph)}" for c in found)


def _bad_edge(a: str, b: str) -> str | None:
    if _prefixed(b, DEVNET) and not _prefixed(a, DEVNET):
        return None if a in DEVNET_USERS else "the product imports the devnet"
    if _prefixed(a, DEVNET):
        return None if _prefixed(b, DEVNET) or layer(b) >= DEVNET_MAY_IMPORT else "the devnet imports a stage"
    if layer(b) < layer(a):
        return f"layer {layer(a) + 1} imports layer {layer(b) + 1}"
    for low, high in FORBIDDEN:
        if _prefixed(a, low) and _prefixed(b, high):
            return f"{low} must not import {high}"
    return None


def test_no_upward_import() -> None:
    bad = sorted(f"{a} -> {b}: {why}" for a, targets in edges().items() for b in targets
                 if (why := _bad_edge(a, b)) is not None)
    assert not bad, "imports against the floors:\n" + "\n".join(bad)


def test_layers_know_every_module() -> None:
    for module in modules():
        if not _prefixed(module, DEVNET):
            layer(module)


def test_no_module_over_max_lines() -> None:
    long = {m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    unexplained = sorted(f"{m}: {n} lines" for m, n in long.items() if m not in LONG_MODULES)
    assert not unexplained, f"over {MAX_LINES} lines with no reason in LONG_MODULES:\n" + "\n".join(unexplained)
    stale = sorted(set(LONG_MODULES) - set(long))
    assert not stale, f"LONG_MODULES lists modules no longer over {MAX_LINES} lines: {stale}"


def test_the_check_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
