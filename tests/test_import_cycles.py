"""No import cycles in Despatch, between modules or between packages, counting every import statement
(at module level, inside functions and under `if TYPE_CHECKING`): layers point one way.

The graph is read from the source (the AST), not from what happens to be imported at run time, so an
import hidden inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PKG = SRC / "despatch"


def _modules(src: Path, package: str) -> dict[str, Path]:
    out = {}
    for p in (src / package).rglob("*.py"):
        parts = list(p.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of `from <.*level><name> import ...` written in `module`."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph(src: Path = SRC, package: str = "despatch") -> dict[str, set[str]]:
    """module → the package's modules it imports (a `from pkg import name` where name is a submodule counts
    as importing that submodule; otherwise the package itself)."""
    mods = _modules(src, package)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, is_pkg, node.level, node.module)
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    targets.append(sub if sub in mods else base)
            for t in targets:
                # the longest Despatch module the name starts with (import despatch.x.y → despatch.x.y)
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != mod:
                    graph[mod].add(t)
    return graph


def package_of(module: str) -> str:
    """despatch.search.index → despatch.search; top-level modules (despatch.model) are their own node."""
    parts = module.split(".")
    return ".".join(parts[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph between the top-level packages and modules (the root package's own __init__, which
    re-exports for users, left out: nothing inside imports it)."""
    out: dict[str, set[str]] = {}
    for m, targets in graph.items():
        pm = package_of(m)
        out.setdefault(pm, set())
        for t in targets:
            pt = package_of(t)
            if pt != pm and "." in pm and "." in pt:
                out[pm].add(pt)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _explain(graph: dict[str, set[str]], comp: list[str]) -> str:
    members = set(comp)
    return "; ".join(f"{m} → {', '.join(sorted(graph[m] & members))}" for m in comp)


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The reader of the graph itself, on a small package: imports inside functions, relative imports of
    submodules and of names, and absolute imports are all edges; a cycle through them is found."""
    pkg = tmp_path / "pk"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .sub import b\n    return b\n")
    (pkg / "sub" / "__init__.py").write_text("from .b import thing\n")
    (pkg / "sub" / "b.py").write_text("import pk.c\nthing = 1\n")
    (pkg / "c.py").write_text("from . import a\n")
    g = import_graph(tmp_path, "pk")
    assert g["pk.a"] == {"pk.sub.b"} and g["pk.sub"] == {"pk.sub.b"} and g["pk.sub.b"] == {"pk.c"}
    assert g["pk.c"] == {"pk.a"}
    assert cycles(g) == [["pk.a", "pk.c", "pk.sub.b"]]
    assert cycles(package_graph(g)) == [["pk.a", "pk.c", "pk.sub"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_cycle_between_modules() -> None:
    g = import_graph()
    found = cycles(g)
    assert not found, "import cycles between modules: " + " | ".join(_explain(g, c) for c in found)


def test_no_cycle_between_packages() -> None:
    g = package_graph(import_graph())
    found = cycles(g)
    assert not found, "import cycles between packages: " + " | ".join(_explain(g, c) for c in found)


def test_search_reads_the_store_only_through_the_change_feed() -> None:
    """search/ imports neither sqlite3 nor the store, and holds no SQL."""
    g = import_graph()
    for mod, targets in g.items():
        if mod.startswith("despatch.search"):
            assert not any(t.startswith("despatch.store") for t in targets), (mod, targets)
    for p in (PKG / "search").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        tree = ast.parse(text)
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "sqlite3" not in names, p
        for word in ("SELECT ", "INSERT ", "DELETE FROM", "search_log", "is_current"):
            assert word not in text, (p, word)
