"""The invariants that keep every test honest (run by `make check`):

1. the reference passes every test;
2. every test fails on the pristine stubs, with a stub's NotImplementedError
   (its own kata's, or one it builds on), never an ImportError;
3. with only kata K stubbed, every test of K fails, nothing outside K and the
   katas that build on K fails, and each declared dependent really depends on K;
4. the catalogue is sound (ids, sections, titles and hints in both languages,
   modules and symbols that exist, regions that belong to katas, ordered builds_on);
5. the book's idioms pass: every kata either has a variant written the book's way in
   tests/meta/book_idioms/chNN/<module>.py (laid over the reference, its tests must
   pass) or names its deliberate difference (differs_from_book, ja and en).

Each tree is tested in a forked child of one parent that imported numpy and pytest
once, two at a time: no fresh interpreter per kata.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
import tempfile
import time
from pathlib import Path

from dlkata.kata import catalogue, stubs
from dlkata.runner import engine
from dlkata.kata.regions import MarkerError, find_regions


BOOK_IDIOMS = catalogue.ROOT / "tests" / "meta" / "book_idioms"


def book_variant(module: str) -> Path:
    """The file with the book-idiom variants of a module's katas: ch05.layers -> book_idioms/ch05/layers.py."""
    return BOOK_IDIOMS / (module.replace(".", "/") + ".py")


def book_symbols(module: str) -> set[str]:
    """The top-level functions and classes the module's book-idiom variant defines."""
    path = book_variant(module)
    if not path.exists():
        return set()
    return {n.name for n in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def book_covered(cat: catalogue.Catalogue, chapter: str) -> set[str]:
    """Katas of the chapter whose every symbol has a book-idiom variant."""
    return {k.id for k in cat.katas_of(chapter) if set(k.symbols) <= book_symbols(k.module)}


def write_book_tree(dest: Path, chapter: str) -> None:
    """The chapter's reference with each module's book-idiom variant appended: the later
    definitions win, and they see the module's own imports (as the learner's code would)."""
    for rel in stubs.source_files():
        if rel.parts[0] != chapter:
            continue
        text = (stubs.SOLUTIONS / rel).read_text(encoding="utf-8")
        variant = book_variant(stubs.module_name(rel))
        if variant.exists():
            text += "\n\n# ---- book-idiom variants (tests/meta/book_idioms) ----\n" + variant.read_text(encoding="utf-8")
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def _job(spec: tuple[str, str, str, str]) -> tuple[tuple, list[dict]]:
    kind, tree, chapter, name = spec
    extra: tuple[str, ...] = ("--slow",)
    if kind == "isolate":
        # Only the slow tests that may fail here (the kata's and its dependents'): every other
        # slow test passes in the reference job, and each of their katas' fast tests still runs
        # here, so an undeclared dependency still shows. Saves most of make check's self-check.
        katas = {name} | catalogue.load().dependents(name)
        extra += (f"--slow-katas={','.join(sorted(katas))}",)
    return spec, engine.run_chapter(tree, chapter, extra=extra)


def lint(cat: catalogue.Catalogue, chapters: list[str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    order = {k.id: i for i, k in enumerate(cat.katas)}
    for k in cat.katas:
        if k.chapter not in chapters:
            continue
        where = f"catalogue: {k.id}"
        m = catalogue.KATA_ID.match(k.id)
        if not m or m.group(1) not in cat.chapter_ids():
            problems.append(f"{where}: id must be chNN.name with a known chapter")
        if k.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(k.id)
        if not k.module.startswith(k.chapter + "."):
            problems.append(f"{where}: module {k.module} is not in chapter {k.chapter}")
        if not k.section or not k.section.startswith(k.chapter[2:].lstrip("0") + "."):
            problems.append(f"{where}: section {k.section!r} is not a section of {k.chapter}")
        for lang in ("ja", "en"):
            if not k.title.get(lang):
                problems.append(f"{where}: no title in {lang}")
            if not k.hints.get(lang):
                problems.append(f"{where}: no hints in {lang}")
        if len(k.hints.get("ja", ())) != len(k.hints.get("en", ())):
            problems.append(f"{where}: ja and en have a different number of hints")
        if k.points <= 0:
            problems.append(f"{where}: points must be positive")
        for dep in k.builds_on:
            if dep not in cat.by_id:
                problems.append(f"{where}: builds_on unknown kata {dep}")
            elif order[dep] >= order[k.id]:
                problems.append(f"{where}: builds_on {dep}, which comes later in the catalogue")
        src = stubs.SOLUTIONS / k.path
        if not src.exists():
            problems.append(f"{where}: no file solutions/{k.path}")
            continue
        text = src.read_text(encoding="utf-8")
        names = {n.name for n in ast.parse(text).body
                 if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        try:
            regions = find_regions(text, str(src))
        except MarkerError as e:
            problems.append(str(e))
            continue
        for sym in k.symbols:
            if sym not in names:
                problems.append(f"{where}: solutions/{k.path} defines no {sym}")
            elif not any(r.symbol == sym for r in regions):
                problems.append(f"{where}: {sym} has no BEGIN/END SOLUTION region")
        if not (catalogue.ROOT / k.test_path).exists():
            problems.append(f"{where}: no test file {k.test_path}")
        differs = k.differs_from_book
        if differs and not (differs.get("ja") and differs.get("en")):
            problems.append(f"{where}: differs_from_book needs both ja and en")
        if not differs and not set(k.symbols) <= book_symbols(k.module):
            problems.append(f"{where}: neither a book-idiom variant of {', '.join(k.symbols)} in "
                            f"{book_variant(k.module).relative_to(catalogue.ROOT)} nor differs_from_book")
    for path in sorted(BOOK_IDIOMS.rglob("*.py")):
        module = ".".join(path.relative_to(BOOK_IDIOMS).with_suffix("").parts)
        if module.split(".")[0] not in chapters:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for n in tree.body:
            if isinstance(n, (ast.Import, ast.ImportFrom)):
                problems.append(f"{path.relative_to(catalogue.ROOT)}:{n.lineno}: a variant uses the "
                                f"module's own imports (so a missing import shows), it imports nothing")
            elif isinstance(n, (ast.FunctionDef, ast.ClassDef)) and cat.owner(module, n.name) is None:
                problems.append(f"{path.relative_to(catalogue.ROOT)}:{n.lineno}: {n.name} is no kata's symbol in {module}")
    for rel in stubs.source_files():
        if rel.parts[0] not in chapters:
            continue
        module = stubs.module_name(rel)
        text = (stubs.SOLUTIONS / rel).read_text(encoding="utf-8")
        try:
            for r in find_regions(text, f"solutions/{rel}"):
                if cat.owner(module, r.symbol) is None:
                    problems.append(f"solutions/{rel}:{r.begin + 1}: region in {r.qualname} belongs to no kata")
        except (MarkerError, SyntaxError) as e:
            problems.append(str(e))
    return problems


def check(chapters: list[str] | None = None, workers: int | None = None) -> dict:
    cat = catalogue.load()
    chapters = chapters or [c for c in cat.chapter_ids() if cat.katas_of(c)]
    start = time.perf_counter()
    report: dict = {"lint": lint(cat, chapters), "chapters": {}, "katas": {}}
    if report["lint"]:
        report["seconds"] = time.perf_counter() - start
        return report
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jobs = []
        for ch in chapters:
            stub_tree = tmp / "stubs"
            stubs.write_tree(stub_tree, chapters={ch})
            jobs.append(("reference", str(stubs.SOLUTIONS), ch, ch))
            jobs.append(("stubs", str(stub_tree), ch, ch))
            if book_covered(cat, ch):
                book = tmp / f"book-{ch}"
                write_book_tree(book, ch)
                jobs.append(("book", str(book), ch, ch))
            for k in cat.katas_of(ch):
                tree = tmp / k.id
                stubs.write_tree(tree, only={k.id}, chapters={ch})
                jobs.append(("isolate", str(tree), ch, k.id))
        done = dict(engine.map_isolated(_job, jobs, workers))
    for (kind, _tree, ch, name), results in done.items():
        if kind == "reference":
            report["chapters"].setdefault(ch, {})["reference"] = _reference(results, cat, ch)
        elif kind == "stubs":
            report["chapters"].setdefault(ch, {})["stubs"] = _stubs(results, cat)
        elif kind == "book":
            report["chapters"].setdefault(ch, {})["book"] = _book(results, book_covered(cat, ch))
        else:
            report["katas"][name] = _isolation(results, cat, name)
    report["seconds"] = time.perf_counter() - start
    return report


def _reference(results: list[dict], cat, ch: str) -> list[str]:
    problems = [f"{r['nodeid']} fails on the reference: {_why(r)}" for r in results if r["outcome"] != "passed"]
    for r in results:
        kata = cat.by_id.get(r["kata"])
        if kata and r["nodeid"].split("::")[0] != kata.test_path:
            problems.append(f"{r['nodeid']} tests {kata.id}, whose tests belong in {kata.test_path}")
    tested = {r["kata"] for r in results}
    problems += [f"{k.id} has no test" for k in cat.katas_of(ch) if k.id not in tested]
    if not results:
        problems.append(f"{ch}: no test ran")
    return problems


def _stubs(results: list[dict], cat) -> list[str]:
    problems = []
    for r in results:
        f = r["failure"] or {}
        allowed = {r["kata"], *cat.prerequisites(r["kata"])} if r["kata"] in cat.by_id else set()
        if r["outcome"] == "passed":
            problems.append(f"{r['nodeid']} passes on the untouched stub: it cannot fail")
        elif f.get("kind") != "todo":
            problems.append(f"{r['nodeid']} fails on the stub with {_why(r)}, not a stub's NotImplementedError")
        elif f["kata"] not in allowed:
            problems.append(f"{r['nodeid']} ({r['kata']}) stops at {f['kata']}'s stub, which it does not build on")
    return problems


def _book(results: list[dict], covered: set[str]) -> list[str]:
    problems = [f"{r['nodeid']} fails on the book-idiom variant of {r['kata']}: {_why(r)}"
                for r in results if r["kata"] in covered and r["outcome"] != "passed"]
    ran = {r["kata"] for r in results}
    problems += [f"{k} has a book-idiom variant but no test ran" for k in sorted(covered - ran)]
    return problems


def _isolation(results: list[dict], cat, kid: str) -> list[str]:
    allowed = {kid} | cat.dependents(kid)
    problems = []
    failing_katas = set()
    for r in results:
        if r["outcome"] != "passed":
            failing_katas.add(r["kata"])
            if r["kata"] not in allowed:
                problems.append(f"stubbing only {kid} fails {r['nodeid']} of {r['kata']}, "
                                f"which does not declare builds_on {kid}: {_why(r)}")
        elif r["kata"] == kid:
            problems.append(f"{r['nodeid']} passes with {kid} stubbed: it does not test {kid}")
    for k in cat.katas_of(kid.split(".")[0]):
        if kid in k.builds_on and k.id not in failing_katas:
            problems.append(f"{k.id} declares builds_on {kid}, but no test of it fails with {kid} stubbed")
    if not any(r["kata"] == kid for r in results):
        problems.append(f"{kid} has no test")
    return problems


def _why(r: dict) -> str:
    f = r.get("failure") or {}
    if f.get("kind") == "check":
        return f"check failed: {f.get('call')} {f.get('note', '')}".strip()
    if f.get("kind") == "todo":
        return f"NotImplementedError of {f['kata']}"
    return f"{f.get('type')}: {f.get('message', '')[:200]} {f.get('where', '')}".strip()


def problems_of(report: dict) -> list[str]:
    out = list(report["lint"])
    for ch, parts in report["chapters"].items():
        for part in ("reference", "stubs", "book"):
            out += [f"[{part}] {p}" for p in parts.get(part, [])]
    for kid, ps in report["katas"].items():
        out += [f"[isolation] {p}" for p in ps]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="dlkata selfcheck", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*")
    p.add_argument("--json", help="write the full report here")
    args = p.parse_args(argv)
    report = check(args.chapters or None)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    problems = problems_of(report)
    for line in problems:
        print(line)
    n = len(report["katas"])
    print(f"selfcheck: {n} katas in {len(report['chapters'])} chapters, {len(problems)} problems "
          f"({report['seconds']:.1f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
