"""The package's architecture, checked: no import cycle, and every arrow from a higher layer to a lower one.

    python -m dlkata.dev.layers        # prints the layers and any violation; exit 1 on one

Imports under `if TYPE_CHECKING:` are annotations, not arrows, and are ignored.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]

# Lowest first. A module may import its own layer and the layers below it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("public", ("dlkata", "dlkata.testing", "dlkata.nbcheck", "dlkata.training", "dlkata.i18n", "dlkata.data")),
    ("kata machinery", ("dlkata.kata",)),
    ("runner", ("dlkata.runner",)),
    ("sandbox", ("dlkata.sandbox",)),
    ("commands", ("dlkata.learner", "dlkata.classroom", "dlkata.figures", "dlkata.dev")),
    ("entry", ("dlkata.cli", "dlkata.__main__")),
]


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, rank = len(p), i
    return rank


def modules() -> dict[str, Path]:
    out = {}
    for f in sorted(PACKAGE.rglob("*.py")):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    return skip


def arrows(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the dlkata modules it imports (anywhere in its body, functions included)."""
    out: dict[str, set[str]] = {}
    for name, f in mods.items():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if f.name == "__init__.py" else name.split(".")[:-1]
                    base = base[:len(base) - node.level + 1] + ([node.module] if node.module else [])
                    mod = ".".join(base)
                else:
                    mod = node.module or ""
                targets.add(mod)
                targets |= {f"{mod}.{a.name}" for a in node.names}
        # `import dlkata.x.y` also runs dlkata and dlkata.x: those are packages, not arrows we judge
        out[name] = {t for t in targets if t in mods and t != name and not name.startswith(t + ".")}
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
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

    sys.setrecursionlimit(max(1000, 10 * len(graph)))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def problems() -> list[str]:
    mods = modules()
    graph = arrows(mods)
    out = [f"{m}: belongs to no layer (add it to LAYERS in dlkata/dev/layers.py)" for m in mods if layer_of(m) < 0]
    for m, targets in sorted(graph.items()):
        for t in sorted(targets):
            if layer_of(t) > layer_of(m):
                out.append(f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]}): "
                           "a lower layer must not import a higher one (pass what it needs in)")
    out += ["import cycle: " + " -> ".join(c) for c in cycles(graph)]
    return out


def main() -> int:
    mods = modules()
    for i, (label, prefixes) in enumerate(LAYERS):
        print(f"{i} {label:15} {', '.join(prefixes)}")
    found = problems()
    print("\n".join(found) if found else f"{len(mods)} modules: no cycle, every import points down")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
