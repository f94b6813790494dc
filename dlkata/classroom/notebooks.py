"""Each chapter as an nbgrader assignment, generated from the single source.

`grader/source/chNN/` is written from the catalogue (titles, sections, conventions,
hints, points), the reference solutions with their markers (the answer cells) and
the tests (shipped with the assignment and run by the test cells). Nothing in it is
written by hand: `make notebooks` writes it and `make check` fails when it drifts.

One assignment folder holds:

  chNN.ipynb               the notebook: per kata a task cell, an answer cell and a test cell
  tests/chNN/test_*.py     the chapter's tests, as `make test` runs them, minus the hidden ones
  chMM/*.py                what the chapter imports from earlier chapters: the reference (given)
  dlkata/nbcheck.py        the runtime the notebook's cells call (given), testing.py, the manifest

The notebook's code cells build the chapter's modules (`ch05.layers`) in the kernel, so
the tests import them exactly as `make test` imports exercises/ch05/layers.py. The
same split works backwards: `fill_notebook` puts a learner's exercises/ code into a
released notebook, and `notebook_to_tree` turns a notebook back into module files.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from dlkata.kata import catalogue as catalogue_mod
from dlkata.kata.regions import find_regions, make_stub, strip_markers
from dlkata.classroom.ipython_cells import as_python

ROOT = catalogue_mod.ROOT
SOURCE = ROOT / "grader" / "source"
CHAPTER = re.compile(r"^ch\d\d$")
HEADER = re.compile(r"^#\s*module\s+(ch\d\d\.[A-Za-z_]\w*)")
RUNTIME = ("dlkata/__init__.py", "dlkata/i18n/__init__.py", "dlkata/i18n/messages.py", "dlkata/testing.py",
           "dlkata/nbcheck.py")
PYTEST_INI = """\
# pytest settings for the notebook's test cells (given, read-only).
[pytest]
markers =
    kata(id, hidden=False): the kata of the catalogue this test belongs to
    slow: a longer training check
"""
SCHEMA = 3


# --------------------------------------------------------------------------- splitting modules

@dataclass
class Chunk:
    """One top-level statement of a module, with the comment lines right above it."""
    text: str
    node: ast.stmt
    symbol: str | None = None      # def or class name
    kata: str | None = None        # the kata that owns the symbol, if any
    lines: tuple[int, int] = (0, 0)  # first and last+1 line index in the file


def split_module(source: str, module: str, cat) -> list[Chunk]:
    """The module's top-level statements, each tagged with the kata that owns it."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    chunks: list[Chunk] = []
    prev_end = 0
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        if start < prev_end:            # two statements on one line: keep them together
            chunks[-1].text += "".join(lines[prev_end:node.end_lineno])
            prev_end = max(prev_end, node.end_lineno)
            continue
        s = start
        while s > prev_end and lines[s - 1].lstrip().startswith("#"):
            s -= 1
        symbol = node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
        kata = cat.owner(module, symbol) if symbol else None
        end = _body_end(lines, node)
        chunks.append(Chunk("".join(lines[s:end]).rstrip() + "\n", node, symbol, kata.id if kata else None,
                            (s, end)))
        prev_end = end
    return chunks


def _body_end(lines: list[str], node: ast.stmt) -> int:
    """Where a top-level statement really ends: its last line, or the last indented comment
    after it that still belongs to its body (`### END SOLUTION` follows the last statement)."""
    end = node.end_lineno
    i = end
    while i < len(lines) and (not lines[i].strip() or (lines[i][:1].isspace() and lines[i].lstrip().startswith("#"))):
        if lines[i].strip():
            end = i + 1
        i += 1
    return end


def _uses_at_definition(node: ast.AST, names: set[str]) -> bool:
    """Does running this statement read one of names (function bodies run later, not now)?"""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts = [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]
        return any(p is not None and _uses_at_definition(p, names) for p in parts)
    if isinstance(node, ast.Lambda):
        return any(_uses_at_definition(d, names) for d in node.args.defaults)
    if isinstance(node, ast.Name) and node.id in names:
        return True
    return any(_uses_at_definition(child, names) for child in ast.iter_child_nodes(node))


def _join(chunks: list[Chunk]) -> str:
    """Statements as in a module: lines adjacent in the file stay adjacent; otherwise two blank
    lines around a def or class, one between other statements."""
    out = ""
    for prev, c in zip([None, *chunks], chunks):
        if prev is not None:
            wide = any(isinstance(x.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for x in (prev, c))
            out += "\n" if prev.lines[1] == c.lines[0] else "\n\n\n" if wide else "\n\n"
        out += c.text.rstrip("\n")
    return out


# --------------------------------------------------------------------------- tests and hidden tests

def _kata_decorator(node: ast.AST) -> tuple[str, bool] | None:
    """(kata id, hidden) when node is decorated with kata("chNN.x", hidden=...)."""
    for d in getattr(node, "decorator_list", []):
        if not isinstance(d, ast.Call) or not d.args or not isinstance(d.args[0], ast.Constant):
            continue
        name = d.func.id if isinstance(d.func, ast.Name) else getattr(d.func, "attr", None)
        if name != "kata":
            continue
        hidden = any(k.arg == "hidden" and isinstance(k.value, ast.Constant) and k.value.value is True
                     for k in d.keywords)
        return str(d.args[0].value), hidden
    return None


@dataclass
class TestFile:
    path: str                                   # tests/ch05/test_layers.py
    shipped: str                                # the file without its hidden tests
    katas: set[str] = field(default_factory=set)
    hidden: dict[str, str] = field(default_factory=dict)   # kata -> source of its hidden tests


def read_tests(root: Path, rel: str) -> TestFile:
    """A test file split into what ships with the assignment and the hidden tests per kata.

    A test class or function marked @kata("chNN.x", hidden=True) runs in `make test` like any
    other, but the notebook keeps it in the hidden part of the kata's test cell.
    """
    source = (root / rel).read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    tf = TestFile(rel, source)
    drop: list[tuple[int, int]] = []
    prev_end = 0
    for node in tree.body:
        mark = _kata_decorator(node)
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        s = start
        while s > prev_end and lines[s - 1].lstrip().startswith("#"):
            s -= 1
        end = prev_end = _body_end(lines, node)
        if not mark:
            continue
        kata, hidden = mark
        tf.katas.add(kata)
        if hidden:
            text = "".join(lines[s:end]).rstrip() + "\n"
            tf.hidden[kata] = (tf.hidden.get(kata, "") + "\n\n\n" + text).strip("\n") + "\n"
            drop.append((s, end))
    if drop:
        keep = [l for i, l in enumerate(lines) if not any(a <= i < b for a, b in drop)]
        tf.shipped = re.sub(r"\n{4,}", "\n\n\n", "".join(keep)).rstrip("\n") + "\n"
    return tf


def text_sha256(text: str) -> str:
    """The hash the hidden checks compare: line endings normalised (git may turn LF into CRLF)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- given files

def _imported(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _files_for(name: str, root: Path) -> list[tuple[str, Path]]:
    """(path in the assignment, file in the repository) for a module and its packages."""
    parts = name.split(".")
    if CHAPTER.match(parts[0]):
        base, dest = root / "solutions", ""
    elif parts[0] == "dlkata":
        base, dest = ROOT, ""
    elif parts[0] == "tests":
        base, dest = root, ""
    else:
        return []
    out = []
    for i in range(1, len(parts) + 1):
        p = base.joinpath(*parts[:i])
        rel = "/".join(parts[:i])
        if p.is_dir():
            if (p / "__init__.py").exists():
                out.append((f"{dest}{rel}/__init__.py", p / "__init__.py"))
            continue
        if p.with_suffix(".py").exists():
            out.append((f"{dest}{rel}.py", p.with_suffix(".py")))
        break
    return out


def given_files(chapter: str, root: Path, own_modules: list[str], first: dict[str, str]) -> dict[str, str]:
    """Every file the chapter's modules and tests import, transitively, except the notebook's own
    modules: earlier chapters come from the reference (markers removed), like `make test`."""
    files: dict[str, str] = {}
    todo = list(first.items())
    seen: set[str] = set()
    while todo:
        rel, text = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        if rel not in first:
            files[rel] = text
        if not rel.endswith(".py"):
            continue
        for name in sorted(_imported(text)):
            if name in own_modules:
                continue
            for dest, src in _files_for(name, root):
                if (dest in seen or dest.removesuffix(".py").replace("/", ".") in own_modules
                        or dest == f"{chapter}/__init__.py"):
                    continue
                body = src.read_text(encoding="utf-8")
                if CHAPTER.match(dest.split("/")[0]) and dest.endswith(".py"):
                    body = _given_header(dest, chapter) + strip_markers(body)
                todo.append((dest, body))
    # Packages of the shipped files (tests/ and tests/chNN/ for pytest, a chapter with given modules).
    own_paths = {m.replace(".", "/") + ".py" for m in own_modules}
    for rel in [r for r in [*first, *files] if r not in own_paths]:
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            init = "/".join(parts[:i]) + "/__init__.py"
            if init in files or init in first or parts[0] == "dlkata" and i > 1:
                continue
            repo = (root / "solutions" if CHAPTER.match(parts[0]) else root) / init
            files[init] = repo.read_text(encoding="utf-8") if repo.exists() else ""
    return files


def _given_header(dest: str, chapter: str) -> str:
    if dest.endswith("__init__.py"):
        return ""
    return (f"# Given with the {chapter} assignment (read-only): the reference solution of {dest},\n"
            f"# as `make test {chapter}` uses it. Your own earlier chapters are not needed here.\n")


# --------------------------------------------------------------------------- the notebook

def _cell_id(grade_id: str) -> str:
    return grade_id[:64]


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None, **dl) -> dict:
    nbg = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
           "solution": solution}
    if grade:
        nbg["points"] = points
    meta = {"nbgrader": nbg}
    if dl:
        meta["dlkata"] = dl
    return meta


def _md(grade_id: str, text: str, **dl) -> dict:
    return {"cell_type": "markdown", "id": _cell_id(grade_id), "metadata": _meta(grade_id, locked=True, **dl),
            "source": text}


def _code(grade_id: str, text: str, **meta) -> dict:
    dl = {k: meta.pop(k) for k in list(meta) if k in ("role", "kata", "module")}
    return {"cell_type": "code", "execution_count": None, "id": _cell_id(grade_id),
            "metadata": _meta(grade_id, **meta, **dl), "outputs": [], "source": text}


def gid(*parts: str) -> str:
    """grade_id of a cell: ch02.gates + answer -> ch02-gates-answer (nbgrader allows [A-Za-z0-9_-])."""
    return "-".join(p.replace(".", "-") for p in parts)


def _both(text: dict[str, str]) -> str:
    ja, en = text.get("ja", ""), text.get("en", "")
    return f"{ja} / {en}" if ja and en and ja != en else (ja or en)


def _kata_markdown(kata, qualnames: list[str], cat) -> str:
    pts = f"{kata.points} 点 / {kata.points} point{'s' if kata.points != 1 else ''}"
    lines = [f"### {kata.id}: {_both(kata.title)}", "",
             f"§{kata.section} · {pts} · `{kata.path}`", "",
             "次のセルに書くもの / Write in the cell below: " + ", ".join(f"`{q}`" for q in qualnames)]
    same = [b for b in kata.builds_on if b in cat.by_id]
    if same:
        lines += ["", "使うもの / Builds on: " + ", ".join(f"`{b}`" for b in same)]
    if kata.conventions:
        lines += ["", f"**約束 / Convention.** {kata.conventions.get('ja', '')}",
                  f"{kata.conventions.get('en', '')}".rstrip()]
    if kata.differs_from_book:
        lines += ["", f"**本との違い / Differs from the book.** {kata.differs_from_book.get('ja', '')}",
                  f"{kata.differs_from_book.get('en', '')}".rstrip()]
    ja, en = kata.hints.get("ja", ()), kata.hints.get("en", ())
    for i in range(max(len(ja), len(en))):
        body = "\n\n".join(dict.fromkeys(h[i] for h in (ja, en) if i < len(h)))
        lines += ["", f"<details><summary>ヒント {i + 1} / Hint {i + 1}</summary>", "", body, "", "</details>"]
    return "\n".join(lines)


def _intro(chapter: str, cat, katas, modules) -> str:
    ch = cat.chapter(chapter)
    total = sum(k.points for k in katas)
    mods = ", ".join(f"`{m}`" for m in modules)
    return "\n".join([
        f"# {chapter}: {_both(ch.title)}",
        "",
        f"カタ {len(katas)} 個、合計 {total} 点。各カタの答えのセルに書き、すぐ下のテストのセルを実行します。"
        f"テストは `make test {chapter}` と同じものです。最初のコードセルを最初に実行してください。"
        f"答えのセルは {mods} というモジュールになり、テストはそれを import します。",
        "",
        f"{len(katas)} katas, {total} points. Write each kata in its answer cell and run the test cell "
        f"right below it: the same tests as `make test {chapter}`. Run the first code cell first. "
        f"The answer cells become the module(s) {mods}, which the tests import.",
        "",
        "- 関数やクラスの名前と引数は変えないでください。補助関数は答えのセルの中に。"
        " / Keep the names and signatures; put helper functions inside the answer cell.",
        "- 提出の前に Kernel → Restart & Run All で上から通して確かめましょう。"
        " / Before you submit, check with Kernel → Restart & Run All.",
        "- 読み取り専用のセルとテストのセルは採点のときに元に戻されます。"
        " / Read-only cells and test cells are restored when the notebook is graded.",
    ])


SETUP = """\
# 配布 (読み取り専用)。最初にこのセルを実行します: 下のセルから章のモジュールを作り、カタのテスト
# (`make test` と同じもので、このノートブックの隣の tests/ にあります) を実行する check(kata) を用意します。
# Given (read-only). Run this cell first: it builds the chapter's module(s) from the
# cells below and provides check(kata), which runs that kata's tests: the same tests
# as `make test`, shipped in tests/ next to this notebook (the kernel runs in its folder).
import os
import sys

sys.path.insert(0, os.getcwd())
from dlkata.nbcheck import check, setup

setup()
"""


def _test_cell(kata, tf: TestFile, sha: str) -> str:
    hidden = tf.hidden.get(kata.id, "")
    body = [f"# Tests of {kata.id} ({tf.path}): the same tests as `make test {kata.id}`.",
            "from dlkata.nbcheck import check", "", f'check("{kata.id}")',
            "### BEGIN HIDDEN TESTS", "from dlkata.nbcheck import check_hidden", ""]
    if hidden:
        quoted = f"r'''\n{hidden}'''" if "'''" not in hidden and not hidden.endswith("\\") else repr(hidden)
        body.append(f'check_hidden("{kata.id}", tests_sha256="{sha}", source={quoted})')
    else:
        body.append(f'check_hidden("{kata.id}", tests_sha256="{sha}")')
    body.append("### END HIDDEN TESTS")
    return "\n".join(body)


def answer_source(module: str, kata_id: str, qualnames: list[str], chunks: list[Chunk]) -> str:
    """An answer cell: a header naming the module (which the notebook runtime reads) and the code."""
    head = f"# module {module} · kata {kata_id}: " + ", ".join(qualnames) + " を書きましょう / write " + ", ".join(qualnames)
    return head + "\n" + _join(chunks)


@dataclass
class ModulePlan:
    name: str
    opening: list[Chunk]
    closing: list[Chunk]
    katas: dict[str, list[Chunk]]        # kata id -> its chunks, in file order


def plan_module(source: str, module: str, cat) -> ModulePlan:
    """Which given lines open the module (before the katas) and which must wait for them.

    A given statement that uses a kata's symbol when it runs (a subclass, a module-level
    instance) goes after the katas, and so does whatever uses such a statement.
    """
    chunks = split_module(source, module, cat)
    late = {c.symbol for c in chunks if c.kata}
    plan = ModulePlan(module, [], [], {k.id: [] for k in cat.katas if k.module == module})
    for c in chunks:
        if is_main_guard(c.node):
            continue  # `if __name__ == "__main__":` would run in the notebook, whose __name__ is that
        if c.kata:
            plan.katas.setdefault(c.kata, []).append(c)
        elif _uses_at_definition(c.node, late):
            plan.closing.append(c)
            late |= _defined(c.node)
        else:
            plan.opening.append(c)
    return plan


def is_main_guard(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` at the top level of a module."""
    t = node.test if isinstance(node, ast.If) else None
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.comparators) == 1 and isinstance(t.comparators[0], ast.Constant)
            and t.comparators[0].value == "__main__")


def _defined(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return {n.id for t in getattr(node, "targets", [getattr(node, "target", None)]) if t is not None
            for n in ast.walk(t) if isinstance(n, ast.Name)}


def stub_module(source: str, module: str, cat) -> str:
    """The module as exercises/ has it (every kata a stub): what the notebook starts from, so the
    tests can import every name before the learner has run the later answer cells."""
    return make_stub(source, find_regions(source), lambda r: cat.owner(module, r.symbol))


def _qualnames(source: str, kata_id: str, module: str, cat) -> list[str]:
    regions = find_regions(source)
    names = [r.qualname for r in regions if (o := cat.owner(module, r.symbol)) and o.id == kata_id]
    if not names:
        names = list(cat.by_id[kata_id].symbols)
    return list(dict.fromkeys(names))


def chapters_with_tests(root: Path = ROOT) -> list[str]:
    """Chapters whose every kata has a test in its module's test file: those get a notebook."""
    cat = catalogue_mod.load(root / "catalogue.toml")
    out = []
    for ch in cat.chapter_ids():
        katas = cat.katas_of(ch)
        if not katas:
            continue
        found: set[str] = set()
        for k in katas:
            if (root / k.test_path).exists():
                found |= read_tests(root, k.test_path).katas
        if all(k.id in found for k in katas):
            out.append(ch)
    return out


def build_assignment(chapter: str, root: Path = ROOT) -> dict[str, str]:
    """Every file of the chapter's assignment folder: {relative path: text}."""
    cat = catalogue_mod.load(root / "catalogue.toml")
    katas = cat.katas_of(chapter)
    modules = cat.modules_of(chapter)
    sources = {m: (root / "solutions" / (m.replace(".", "/") + ".py")).read_text(encoding="utf-8")
               for m in modules}
    tests = {m: read_tests(root, next(k.test_path for k in katas if k.module == m)) for m in modules}
    files: dict[str, str] = {}
    for tf in tests.values():
        files[tf.path] = tf.shipped
    for rel in RUNTIME:   # the tooling's own files, whatever root the course comes from
        files[rel] = (ROOT / rel).read_text(encoding="utf-8")
    files["dlkata/pytest.ini"] = PYTEST_INI

    cells = [_md(gid(chapter, "intro"), _intro(chapter, cat, katas, modules), role="intro"),
             _code(gid(chapter, "setup"), SETUP, locked=True, role="setup")]
    manifest = {"chapter": chapter, "modules": {}, "katas": {}}
    for m in modules:
        plan = plan_module(sources[m], m, cat)
        tf = tests[m]
        manifest["modules"][m] = {"test_file": tf.path,
                                  "symbols": {s: k for k, cs in plan.katas.items() for s in
                                              [c.symbol for c in cs]},
                                  "stub": stub_module(sources[m], m, cat)}
        given_head = f"# module {m} (given, read-only): the lines of {m.replace('.', '/')}.py that are not katas."
        if plan.opening:
            cells.append(_code(gid(m, "given"), given_head + "\n" + _join(plan.opening), locked=True,
                               role="given", module=m))
        for kata in [k for k in katas if k.module == m]:
            qn = _qualnames(sources[m], kata.id, m, cat)
            cells.append(_md(gid(kata.id, "task"), _kata_markdown(kata, qn, cat), role="task", kata=kata.id))
            cells.append(_code(gid(kata.id, "answer"), answer_source(m, kata.id, qn, plan.katas[kata.id]),
                               solution=True, role="answer", kata=kata.id, module=m))
            cells.append(_code(gid(kata.id, "tests"), _test_cell(kata, tf, text_sha256(tf.shipped)),
                               grade=True, locked=True, points=kata.points, role="tests", kata=kata.id))
            manifest["katas"][kata.id] = {"module": m, "section": kata.section, "title": kata.title,
                                          "points": kata.points, "symbols": list(kata.symbols),
                                          "qualnames": qn}
        if plan.closing:
            cells.append(_code(gid(m, "given", "end"), given_head + "\n" + _join(plan.closing), locked=True,
                               role="given", module=m))
    files["dlkata/assignment.json"] = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    first = {rel: text for rel, text in files.items()}
    for m in modules:
        first[m.replace(".", "/") + ".py"] = sources[m]
    files.update(given_files(chapter, root, modules, first))
    for m in modules:
        files.pop(m.replace(".", "/") + ".py", None)
    files[f"{chapter}.ipynb"] = _notebook_json(cells)
    return dict(sorted(files.items()))


def _notebook_json(cells: list[dict]) -> str:
    nb = {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "pygments_lexer": "ipython3"}},
        "nbformat": 4, "nbformat_minor": 5}
    return dumps(nb)


def dumps(nb: dict) -> str:
    """nbformat's own layout (indent 1, sorted keys, sources as line lists), so files stay stable."""
    out = json.loads(json.dumps(nb))
    for cell in out["cells"]:
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(keepends=True)
    return json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def loads(text: str) -> dict:
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


# --------------------------------------------------------------------------- writing and drift

def write_sources(chapters: list[str] | None = None, dest: Path = SOURCE, root: Path = ROOT) -> list[Path]:
    """(Re)write dest/chNN/ for each chapter; returns what changed. Stale files are removed."""
    changed = []
    for ch in chapters or chapters_with_tests(root):
        want = build_assignment(ch, root)
        folder = dest / ch
        for rel, text in want.items():
            p = folder / rel
            if not p.exists() or p.read_text(encoding="utf-8") != text:
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text, encoding="utf-8", newline="\n")
                changed.append(p)
        if folder.exists():
            for p in sorted(folder.rglob("*"), reverse=True):
                rel = p.relative_to(folder).as_posix()
                if p.is_file() and rel not in want and "__pycache__" not in rel:
                    p.unlink()
                    changed.append(p)
                elif p.is_dir() and not any(p.iterdir()):
                    p.rmdir()
    return changed


def drift(dest: Path = SOURCE, root: Path = ROOT) -> list[str]:
    """Where grader/source/ differs from what the single source generates."""
    problems = []
    chapters = chapters_with_tests(root)
    for ch in chapters:
        want = build_assignment(ch, root)
        folder = dest / ch
        for rel, text in want.items():
            p = folder / rel
            if not p.exists():
                problems.append(f"{p.relative_to(root) if p.is_relative_to(root) else p} is missing")
            elif p.read_text(encoding="utf-8").replace("\r\n", "\n") != text:
                problems.append(f"{p.relative_to(root) if p.is_relative_to(root) else p} differs from what is generated")
        if folder.exists():
            for p in folder.rglob("*"):
                rel = p.relative_to(folder).as_posix()
                if p.is_file() and rel not in want and "__pycache__" not in rel:
                    problems.append(f"{folder.name}/{rel} is not generated (stale)")
    if dest.exists():
        for d in dest.iterdir():
            if d.is_dir() and d.name not in chapters:
                problems.append(f"{d.name}: a notebook for a chapter without tests for every kata")
    return problems


# --------------------------------------------------------------------------- notebooks <-> code

def _answers(nb: dict) -> dict[str, dict]:
    out = {}
    for cell in nb.get("cells", []):
        g = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if g.endswith("-answer") and cell.get("cell_type") == "code":
            out[g] = cell
    return out


def fill_notebook(nb: dict, impl: Path, chapter: str, only: set[str] | None = None,
                  root: Path = ROOT) -> dict:
    """Put a learner's code for the chapter (impl/chNN/*.py, as in exercises/) into the answer cells.

    Each kata's answer cell gets the learner's definitions of its symbols; lines of theirs that
    are not in the reference (helpers, extra imports) go with the kata whose code follows them.
    A file that does not parse goes whole into its module's first answer cell, so the notebook
    fails as `make test` does. only: fill just these katas.
    """
    cat = catalogue_mod.load(root / "catalogue.toml")
    answers = _answers(nb)
    for m in cat.modules_of(chapter):
        path = impl / (m.replace(".", "/") + ".py")
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        katas = [k for k in cat.katas_of(chapter) if k.module == m and (only is None or k.id in only)]
        ref = (root / "solutions" / (m.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        try:
            chunks = split_module(text, m, cat)
        except SyntaxError:
            first = katas[0] if katas else None
            if first and gid(first.id, "answer") in answers:
                answers[gid(first.id, "answer")]["source"] = (
                    f"# module {m} · kata {first.id}: the whole of {path.name}, which does not parse\n" + text)
            continue
        given = {ast.dump(c.node) for c in split_module(ref, m, cat) if not c.kata}
        per_kata: dict[str, list[Chunk]] = {k.id: [] for k in cat.katas_of(chapter) if k.module == m}
        pending: list[Chunk] = []
        last = None
        for c in chunks:
            if is_main_guard(c.node):
                continue
            if c.kata:
                per_kata.setdefault(c.kata, []).extend(pending + [c])
                pending, last = [], c.kata
            elif ast.dump(c.node) not in given:
                pending.append(c)
        if pending and last:
            per_kata[last].extend(pending)
        for k in katas:
            cell = answers.get(gid(k.id, "answer"))
            if cell is None:
                continue
            qn = _qualnames(ref, k.id, m, cat)
            cell["source"] = answer_source(m, k.id, qn, per_kata.get(k.id, []))
    return nb


def notebook_to_tree(nb: dict, manifest: dict) -> dict[str, str]:
    """The chapter's module files as a notebook defines them: given cells and answer cells, in order.

    The inverse of build_assignment; a grader that runs learner code outside the notebook's
    kernel writes these files and imports them like exercises/.
    """
    out: dict[str, list[str]] = {m: [] for m in manifest["modules"]}
    owner = {s: m for m, info in manifest["modules"].items() for s in info["symbols"]}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        src = as_python(src)   # %time, !cmd, f? as the kernel reads them (ipython_cells)
        first = next((l for l in src.splitlines() if l.strip()), "")
        m = HEADER.match(first)
        target = m.group(1) if m and m.group(1) in out else None
        if target is None:
            try:
                names = [n.name for n in ast.parse(src).body
                         if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
            except SyntaxError:
                names = []
            target = next((owner[n] for n in names if n in owner), None)
        if target:
            out[target].append(src.rstrip("\n"))
    return {m.replace(".", "/") + ".py": "\n\n\n".join(parts) + "\n" for m, parts in out.items()}
