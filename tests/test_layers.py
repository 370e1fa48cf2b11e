"""The package's layers only look down, and no module imports itself back through others.

Read from the source with :mod:`ast` (imports inside functions included), so a lazy import cannot
hide a climb or a loop. The layers, bottom to top, are those of the README's layout table.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "blina_analysis"
NAME = "blina_analysis"

#: Bottom to top; a module belongs to the first layer whose prefix it starts with (longest first).
LAYERS = (
    ("foundation", ("blina_analysis._version", "blina_analysis.errors", "blina_analysis.i18n")),
    ("data", ("blina_analysis.data",)),
    ("stats", ("blina_analysis.stats",)),
    ("definitions", ("blina_analysis.definitions", "blina_analysis.derive",
                     "blina_analysis.rounding")),
    ("analyses", ("blina_analysis.analyses",)),
    ("report", ("blina_analysis.report",)),
    ("publish", ("blina_analysis.publish",)),
    ("face", ("blina_analysis.book", "blina_analysis.cli", "blina_analysis.__main__",
              "blina_analysis")),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    best, rank = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    if rank is None:
        raise AssertionError(f"module {module} is in no layer of tests/test_layers.py")
    return rank


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports, at any depth of its code."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            # ``from pkg import mod`` imports the module ``pkg.mod`` when there is one
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target
                     for a in node.names]
        else:
            continue
        out.update(n for n in names if n in MODULES and n != module)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


def test_no_import_from_a_higher_layer():
    climbs = [f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
              for m, targets in GRAPH.items() for t in sorted(targets)
              if layer_of(t) > layer_of(m)]
    assert not climbs, "imports from a higher layer:\n" + "\n".join(climbs)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
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

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    cycles = _cycles()
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


@pytest.mark.parametrize("source, expected", [
    ("from blina_analysis.report import fmt\n", {"blina_analysis.report.fmt"}),
    ("def f():\n    from blina_analysis.publish.build import build_book\n",
     {"blina_analysis.publish.build"}),
    ("from . import fmt\n", {"blina_analysis.report.fmt"}),
])
def test_the_reader_sees_every_kind_of_import(tmp_path, monkeypatch, source, expected):
    """The check itself: top-level, function-level and relative imports are all seen."""
    fake = "blina_analysis.report.tables"
    path = tmp_path / "tables.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, fake, path)
    # relative imports resolve against the real module's place in the package
    assert imports_of(fake) == expected
