"""IPython syntax in a notebook cell, as plain Python for the sandbox (which runs module files, not a kernel).

A kernel accepts `%time x = f(1)`, a `%%time` cell, `!pip install ...` and `f?`; a module file
does not, so without this a correct answer written with them could not even be imported.
IPython's own input transformer (`TransformerManager`, what the kernel runs first) says what
each line means; then:

- `%time` / `%timeit` lines and `%%time` / `%%timeit` / `%%capture` cells run their code once, as
  plain statements (the timing is not reported);
- shell escapes (`!cmd`, `x = !cmd`), help (`f?`) and every other magic are not run: the line
  becomes a print of a note saying so (in an expression, the note's print, whose value is None).

Lines are kept where they were (a changed line stays one line), so messages point at the
student's own line numbers.
"""
from __future__ import annotations

import ast
import re

RUN_LINE = {"time", "timeit"}                    # line magics whose code runs (once)
RUN_CELL = {"time", "timeit", "capture"}         # cell magics whose body runs
NOTE = "(dlkata) 採点では実行しません / not run when grading: "
TIMEIT_OPTIONS = re.compile(r"^\s*(?:-[nrp]\s*\d+\s+|-[tcqo]\s+)*")
SHELL = {"system": "!", "getoutput": "!"}


def _transformer():
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:   # no IPython: the cell is taken as it is
        return None
    return TransformerManager()


def _ipython_call(node: ast.AST) -> tuple[str, list] | None:
    """(method, constant arguments) for get_ipython().<method>(...), else None."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
            and node.func.value.func.id == "get_ipython"):
        args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        return node.func.attr, args
    return None


def _shown(method: str, args: list) -> str:
    """How the student wrote it: !ls, %matplotlib inline, f?"""
    if method in SHELL:
        return "!" + str(args[0] if args else "")
    if method == "run_line_magic" and len(args) >= 2:
        if args[0] in ("pinfo", "pinfo2", "psearch"):
            return f"{args[1]}?"
        return f"%{args[0]} {args[1]}".rstrip()
    if method == "run_cell_magic" and args:
        return f"%%{args[0]}"
    return f"get_ipython().{method}(...)"


def _note_call(text: str) -> ast.expr:
    return ast.parse(f"print({NOTE + text!r})", mode="eval").body


def _magic_code(args: list, mode: str) -> ast.AST | None:
    """The code of a %time / %timeit line, parsed in mode ("exec" or "eval"), or None."""
    if len(args) < 2 or args[0] not in RUN_LINE or not isinstance(args[1], str):
        return None
    code = args[1]
    if args[0] == "timeit":
        code = TIMEIT_OPTIONS.sub("", code)
    try:
        return ast.parse(code.strip(), mode=mode)
    except SyntaxError:
        return None


class _Rewrite(ast.NodeTransformer):
    def visit_Expr(self, node: ast.Expr):
        call = _ipython_call(node.value)
        if call and call[0] == "run_line_magic":
            tree = _magic_code(call[1], "exec")
            if tree is not None and len(tree.body) == 1:
                return tree.body[0]
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        call = _ipython_call(node)
        if call is None:
            return self.generic_visit(node)
        if call[0] == "run_line_magic":
            tree = _magic_code(call[1], "eval")
            if tree is not None:
                return tree.body
        return _note_call(_shown(*call))


def _line(transformed: str) -> str:
    """One transformed line (IPython's get_ipython() calls) as plain Python, on one line."""
    indent = transformed[: len(transformed) - len(transformed.lstrip())]
    try:
        tree = ast.parse(transformed.strip())
    except SyntaxError:
        return transformed
    tree = ast.fix_missing_locations(_Rewrite().visit(tree))
    return indent + "; ".join(ast.unparse(s).replace("\n", " ") for s in tree.body)


def as_python(source: str) -> str:
    """The cell as plain Python, as the kernel would run it (see the module's docstring)."""
    if not re.search(r"^\s*(?:[%!]|.*\?\s*$|.*=\s*[%!])", source, re.M):
        return source   # nothing IPython would change (the common case; no IPython import)
    tm = _transformer()
    if tm is None:
        return source
    try:
        code = tm.transform_cell(source)
    except Exception:  # noqa: BLE001 - what IPython cannot read, Python will refuse with a message
        return source
    if code == source or code.rstrip("\n") == source.rstrip("\n"):
        return source
    stripped = code.lstrip()
    if stripped.startswith("get_ipython().run_cell_magic("):
        try:
            call = _ipython_call(ast.parse(stripped, mode="eval").body)
        except SyntaxError:
            call = None
        if call and len(call[1]) == 3 and isinstance(call[1][2], str):
            name, body = call[1][0], call[1][2]
            lines = source.splitlines()
            first = next(i for i, l in enumerate(lines) if l.strip())
            head = "\n" * first
            if name in RUN_CELL:
                return head + "\n" + as_python(body)   # the %%time line becomes a blank line
            body_lines = body.count("\n") + (0 if body.endswith("\n") else 1)
            return head + f"print({NOTE + '%%' + name!r})\n" + "\n" * body_lines
        return source
    src_lines, new_lines = source.splitlines(), code.splitlines()
    if len(src_lines) != len(new_lines):
        # IPython joined lines (a continued magic): rewrite the whole cell, line numbers may move
        try:
            tree = ast.fix_missing_locations(_Rewrite().visit(ast.parse(code)))
        except SyntaxError:
            return code
        return ast.unparse(tree) + "\n"
    out = [new if new == old else _line(new) for old, new in zip(src_lines, new_lines)]
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")
