"""Solution regions (nbgrader's markers) in a reference module, and the stubs made from them."""
from __future__ import annotations

import ast
from dataclasses import dataclass

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_MARK = "# YOUR CODE HERE"


class MarkerError(ValueError):
    pass


@dataclass(frozen=True)
class Region:
    begin: int          # 0-based index of the BEGIN line
    end: int            # 0-based index of the END line
    indent: str
    symbol: str         # top-level name that holds the region ("Affine")
    qualname: str       # innermost definition ("Affine.forward")


def _definitions(tree: ast.AST) -> list[tuple[int, int, str, str]]:
    """(first line, last line, top-level name, qualified name) of every def and class."""
    out = []

    def walk(node, prefix: str, top: str | None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                q = f"{prefix}{child.name}"
                t = top or child.name
                out.append((child.lineno, child.end_lineno, t, q))
                walk(child, q + ".", t)
    walk(tree, "", None)
    return out


def find_regions(source: str, filename: str = "<source>") -> list[Region]:
    lines = source.splitlines()
    tree = ast.parse(source, filename)
    defs = _definitions(tree)
    regions: list[Region] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        if "BEGIN SOLUTION" in line:
            if open_at is not None:
                raise MarkerError(f"{filename}:{i + 1}: BEGIN SOLUTION inside another region")
            open_at = i
        elif "END SOLUTION" in line:
            if open_at is None:
                raise MarkerError(f"{filename}:{i + 1}: END SOLUTION without BEGIN")
            lineno = open_at + 1
            holders = [d for d in defs if d[0] <= lineno <= d[1]]
            if not holders:
                raise MarkerError(f"{filename}:{lineno}: a solution region outside any def or class")
            inner = max(holders, key=lambda d: d[0])
            begin_line = lines[open_at]
            regions.append(Region(open_at, i, begin_line[: len(begin_line) - len(begin_line.lstrip())],
                                  inner[2], inner[3]))
            open_at = None
    if open_at is not None:
        raise MarkerError(f"{filename}:{open_at + 1}: BEGIN SOLUTION never ends")
    return regions


def stub_line(kata_id: str, section: str, qualname: str) -> str:
    """The line a stub raises, in both languages; the runner reads the kata id back from its
    message, and the name after its last "write "."""
    return f'raise NotImplementedError("{kata_id} (§{section}): {qualname} を書きましょう / write {qualname}")'


def make_stub(source: str, regions: list[Region], owner_of, only: set[str] | None = None) -> str:
    """Replace each region owned by a kata in `only` (all when None) with a stub.

    owner_of(region) -> Kata.  Lines outside regions stay byte for byte.
    """
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    for r in regions:
        kata = owner_of(r)
        if only is not None and kata.id not in only:
            continue
        out += lines[pos:r.begin]
        out.append(f"{r.indent}{STUB_MARK}\n")
        out.append(f"{r.indent}{stub_line(kata.id, kata.section, r.qualname)}\n")
        pos = r.end + 1
    out += lines[pos:]
    return "".join(out)


def strip_markers(source: str) -> str:
    """The reference without its marker lines (for reading a solution)."""
    return "".join(l for l in source.splitlines(keepends=True)
                   if "BEGIN SOLUTION" not in l and "END SOLUTION" not in l)
