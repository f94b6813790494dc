"""Top-level definitions in a source file: find them, cut them out, put others in their place.

Used to reset one kata (its symbols) in a learner's file without touching the
rest, and to show one kata's reference. Works on files that do not parse too
(a learner's syntax error is often the reason to reset), by indentation.
"""
from __future__ import annotations

import ast
import re

Span = tuple[int, int]  # 0-based first line (decorators included), last line + 1


def spans(source: str) -> dict[str, list[Span]]:
    """name -> spans of every top-level def/class of that name, in file order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _spans_by_indent(source)
    lines = source.splitlines()
    out: dict[str, list[Span]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            end = node.end_lineno
            # Indented comments after the last statement belong to the definition too.
            j = end
            while j < len(lines) and (not lines[j].strip() or lines[j][0].isspace()):
                j += 1
                if lines[j - 1].strip():
                    end = j
            out.setdefault(node.name, []).append((first - 1, end))
    return out


_HEAD = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)")


def _spans_by_indent(source: str) -> dict[str, list[Span]]:
    """The same for text that does not parse: a definition runs until the next
    line that starts at column 0 with something other than a comment or a closing bracket."""
    lines = source.splitlines()
    out: dict[str, list[Span]] = {}
    i = 0
    while i < len(lines):
        m = _HEAD.match(lines[i])
        if not m:
            i += 1
            continue
        first = i
        while first > 0 and lines[first - 1].startswith("@"):
            first -= 1
        j, last = i + 1, i
        while j < len(lines):
            line = lines[j]
            if line.strip():
                if not line[0].isspace() and line[0] not in "#)]}":
                    break
                if line[0] != "#":
                    last = j
            j += 1
        out.setdefault(m.group(1), []).append((first, last + 1))
        i = j
    return out


def segment(source: str, name: str) -> str | None:
    """The source of the last top-level definition of name (what Python keeps), or None."""
    found = spans(source).get(name)
    if not found:
        return None
    a, b = found[-1]
    return "".join(source.splitlines(keepends=True)[a:b])


def replace(source: str, pristine: str, names: list[str]) -> str:
    """source with the definitions of names taken from pristine.

    A name missing from source is inserted before the next definition (in
    pristine's order) that source has, else at the end.
    """
    for name in names:
        new = segment(pristine, name)
        if new is None:
            raise KeyError(name)
        if not new.endswith("\n"):
            new += "\n"
        lines = source.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        have = spans(source)
        if name in have:
            a, b = have[name][-1]
            lines[a:b] = [new]
        else:
            order = list(spans(pristine))
            later = [n for n in order[order.index(name) + 1:] if n in have]
            if later:
                at = have[later[0]][0][0]
                lines[at:at] = [new, "\n\n"]
            else:
                lines += ["\n\n", new]
        source = "".join(lines)
    return source


def symbol_at(source: str, lineno: int) -> str | None:
    """The top-level definition that holds 1-based line lineno, if any."""
    for name, found in spans(source).items():
        if any(a < lineno <= b for a, b in found):
            return name
    return None
