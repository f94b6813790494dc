"""exercises/ is derived from solutions/ and the catalogue: write it, or say where it drifted."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from dlkata.kata import catalogue
from dlkata.kata.regions import MarkerError, Region, find_regions, make_stub

ROOT = catalogue.ROOT
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
HEADER = ("# あなたの写経用のファイルです (参照解答から `make exercises` で生成)。\n"
          "# `# YOUR CODE HERE` と `raise NotImplementedError(...)` をあなたのコードに置き換えましょう。\n"
          "# Your copy, made from the reference by `make exercises`. Replace each\n"
          "# `# YOUR CODE HERE` + `raise NotImplementedError(...)` with your code.\n")


def module_name(rel: Path) -> str:
    return ".".join(rel.with_suffix("").parts)


def owner_resolver(module: str, filename: str):
    cat = catalogue.load()

    def owner_of(r: Region):
        kata = cat.owner(module, r.symbol)
        if kata is None:
            raise MarkerError(f"{filename}:{r.begin + 1}: region in {r.qualname} belongs to no kata "
                              f"(add {r.symbol!r} to a kata's symbols in catalogue.toml)")
        return kata
    return owner_of


BOOK_NOTE = {"ja": "本との違い: ", "en": "Differs from the book: "}


def with_book_notes(source: str, module: str, only: set[str] | None = None) -> str:
    """source with each stubbed kata's differs_from_book (catalogue) added to the docstring
    of its first symbol, so the learner reads it in the stub before a test fails on it."""
    cat = catalogue.load()
    notes = {k.symbols[0]: k.differs_from_book for k in cat.katas
             if k.module == module and k.differs_from_book and (only is None or k.id in only)}
    if not notes:
        return source
    lines = source.splitlines(keepends=True)
    for node in sorted(ast.parse(source).body, key=lambda n: -n.lineno):
        if getattr(node, "name", None) not in notes or not ast.get_docstring(node, clean=False):
            continue
        doc = node.body[0]
        indent = " " * doc.col_offset
        last = lines[doc.end_lineno - 1]
        head, tail = last[:doc.end_col_offset - 3], last[doc.end_col_offset - 3:]
        text = [indent + line + "\n"
                for lang in ("ja", "en") if notes[node.name].get(lang)
                for line in textwrap.wrap(BOOK_NOTE[lang] + notes[node.name][lang], 88 - len(indent),
                                          break_on_hyphens=False)]
        if doc.lineno == doc.end_lineno:   # a one-line docstring: open it up
            new = [head.rstrip() + "\n", "\n", *text, indent + tail]
        else:
            new = ([head.rstrip() + "\n"] if head.strip() else []) + ["\n", *text, indent + tail.lstrip()]
        lines[doc.end_lineno - 1:doc.end_lineno] = new
    return "".join(lines)


def stub_text(rel: Path, only: set[str] | None = None, solutions: Path = SOLUTIONS) -> str:
    """The exercise file for solutions/<rel>; with `only`, stub just those katas (no header)."""
    src = with_book_notes((solutions / rel).read_text(encoding="utf-8"), module_name(rel), only)
    regions = find_regions(src, str(rel))
    text = make_stub(src, regions, owner_resolver(module_name(rel), str(rel)), only)
    return text if only is not None or not regions else HEADER + text


def source_files(solutions: Path = SOLUTIONS) -> list[Path]:
    return sorted(p.relative_to(solutions) for p in solutions.rglob("*.py")
                  if "__pycache__" not in p.parts)


def expected_exercises() -> dict[Path, str]:
    return {rel: stub_text(rel) for rel in source_files()}


def write_tree(dest: Path, only: set[str] | None = None, chapters: set[str] | None = None) -> None:
    """Write a stubbed tree (all katas, or only some) to dest, e.g. for self-checks."""
    for rel in source_files():
        if chapters is not None and rel.parts[0] not in chapters:
            continue
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        text = stub_text(rel) if only is None else stub_text(rel, only)
        out.write_text(text, encoding="utf-8")


def write_exercises() -> list[Path]:
    """Regenerate exercises/; returns the files that changed."""
    changed = []
    for rel, text in expected_exercises().items():
        dest = EXERCISES / rel
        if not dest.exists() or dest.read_text(encoding="utf-8") != text:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
            changed.append(dest)
    return changed


def drift() -> list[str]:
    """What differs between exercises/ and what solutions/ generates."""
    want = expected_exercises()
    problems = []
    for rel, text in want.items():
        dest = EXERCISES / rel
        if not dest.exists():
            problems.append(f"exercises/{rel} is missing")
        elif dest.read_text(encoding="utf-8") != text:
            problems.append(f"exercises/{rel} differs from what solutions/{rel} generates")
    for p in EXERCISES.rglob("*.py"):
        rel = p.relative_to(EXERCISES)
        if "__pycache__" not in rel.parts and rel not in want:
            problems.append(f"exercises/{rel} has no source in solutions/")
    return problems
