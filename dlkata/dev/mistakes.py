"""The catalogue of classic mistakes (tests/chNN/mistakes.toml) and its fingerprints.

A mistake is a small edit of a kata's reference: `old` replaced by `new` (or several
`edits = [[old, new], ...]`), each `old` found exactly once inside the kata's solution
regions, plus a short explanation in Japanese and English with the book section.

    python -m dlkata mistakes            run every mistake, write tests/chNN/mistakes.json
    python -m dlkata mistakes --check    run every mistake and prove: its kata fails, the
                                         diagnosis names exactly that mistake, and the
                                         stored fingerprints have not drifted (make check)

Each mistake runs only its kata's tests (not the slow ones), in a forked child of one
parent that imported numpy and pytest once, as the self-check does.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from dlkata import diagnosis
from dlkata.kata import catalogue
from dlkata.kata import stubs
from dlkata.kata.regions import find_regions
from dlkata.runner import engine

TESTS = catalogue.ROOT / "tests"
NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Mistake:
    id: str                              # "ch03.softmax.no_max"
    kata: str
    section: str
    edits: tuple[tuple[str, str], ...]
    ja: str
    en: str

    @property
    def chapter(self) -> str:
        return self.kata.split(".")[0]


def toml_path(chapter: str) -> Path:
    return TESTS / chapter / "mistakes.toml"


def prints_path(chapter: str) -> Path:
    return TESTS / chapter / "mistakes.json"


def load(chapter: str) -> list[Mistake]:
    path = toml_path(chapter)
    if not path.exists():
        return []
    with open(path, "rb") as f:
        data = tomllib.load(f)
    out = []
    for raw in data.get("mistake", []):
        edits = raw.get("edits") or [[raw.get("old", ""), raw.get("new", "")]]
        out.append(Mistake(id=f"{raw['kata']}.{raw['id']}", kata=raw["kata"], section=str(raw.get("section", "")),
                           edits=tuple((str(o), str(n)) for o, n in edits),
                           ja=raw.get("ja", ""), en=raw.get("en", "")))
    return out


def chapters() -> list[str]:
    return [c for c in catalogue.load().chapter_ids() if toml_path(c).exists()]


def lint(ms: list[Mistake]) -> list[str]:
    cat = catalogue.load()
    problems, seen = [], set()
    for m in ms:
        where = f"{toml_path(m.chapter).relative_to(catalogue.ROOT)}: {m.id}"
        if m.kata not in cat.by_id:
            problems.append(f"{where}: unknown kata {m.kata}")
            continue
        if not NAME.match(m.id.rsplit(".", 1)[-1]):
            problems.append(f"{where}: id must be lower_case")
        if m.id in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(m.id)
        if not m.ja or not m.en:
            problems.append(f"{where}: needs an explanation in ja and en")
        if not m.section.startswith(m.chapter[2:].lstrip("0") + "."):
            problems.append(f"{where}: section {m.section!r} is not a section of {m.chapter}")
        try:
            apply(m)
        except ValueError as e:
            problems.append(f"{where}: {e}")
    return problems


def apply(m: Mistake) -> str:
    """The kata's reference file with the mistake's edits, each applied exactly once in its regions."""
    kata = catalogue.load().by_id[m.kata]
    text = (stubs.SOLUTIONS / kata.path).read_text(encoding="utf-8")
    for old, new in m.edits:
        lines = text.splitlines(keepends=True)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        spans = [(starts[r.begin + 1], starts[r.end]) for r in find_regions(text, kata.path)
                 if r.symbol in kata.symbols]
        at = [i for i in _find_all(text, old) if any(a <= i and i + len(old) <= b for a, b in spans)]
        if not old or len(at) != 1:
            raise ValueError(f"{old!r} occurs {len(at)} times in {m.kata}'s solution regions, not once")
        start = at[0]
        if not new and old.endswith("\n"):  # deleting whole lines: their indentation too
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        text = text[:start] + new + text[at[0] + len(old):]
    return text


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub) if sub else -1
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


# pytest configurations prepared once per test file in the parent, before the children fork:
# parsing the options and registering the plugins costs more than running a kata's tests.
_CONFIGS: dict[str, object] = {}


def _prepare(test_path: str, chapter: str) -> None:
    from _pytest.config import _prepareconfig  # what pytest.main does first, kept for every child
    if test_path not in _CONFIGS:
        os.chdir(catalogue.ROOT)
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        _CONFIGS[test_path] = _prepareconfig([test_path, f"--chapters={chapter}", "--dlkata-out=-",
                                              "-p", "pytest_check.plugin", "-p", "no:cacheprovider",
                                              "-p", "no:terminal", "--assert=plain"])


def _job(spec: tuple[str, str, str]) -> tuple[str, list[dict]]:
    """One mistake's results: the rest of pytest.main on a configuration prepared in the parent."""
    mid, tree, kata = spec
    config = _CONFIGS[catalogue.load().by_id[kata].test_path]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        config.option.impl, config.option.dlkata_out, config.option.dlkata_katas = tree, str(out), kata
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            config.hook.pytest_cmdline_main(config=config)
        finally:
            config._ensure_unconfigure()
        return mid, json.loads(out.read_text(encoding="utf-8")) if out.exists() else []


def run(ms: list[Mistake], workers: int | None = None) -> dict[str, list[dict]]:
    """Each mistake's test results for its kata, each in a fresh forked child."""
    cat = catalogue.load()
    engine.preload()
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for m in ms:
            tree = Path(tmp) / m.id
            for rel in stubs.source_files():
                if rel.parts[0] == m.chapter:
                    (tree / rel).parent.mkdir(parents=True, exist_ok=True)
                    (tree / rel).write_text((stubs.SOLUTIONS / rel).read_text(encoding="utf-8"), encoding="utf-8")
            (tree / cat.by_id[m.kata].path).write_text(apply(m), encoding="utf-8")
            jobs.append((m.id, str(tree), m.kata))
            _prepare(cat.by_id[m.kata].test_path, m.chapter)
        return dict(engine.map_isolated(_job, jobs, workers))


def record(m: Mistake, results: list[dict]) -> dict:
    return {"id": m.id, "kata": m.kata, "section": m.section, "ja": m.ja, "en": m.en,
            "tests": dict(sorted(diagnosis.prints_of(results, m.kata).items()))}


def dumps(records: list[dict]) -> str:
    return json.dumps({"generated_by": "python -m dlkata mistakes", "mistakes": records},
                      ensure_ascii=False, indent=1) + "\n"


def check_results(ms: list[Mistake], runs: dict[str, list[dict]], stored: dict[str, list[dict]]) -> list[str]:
    """For each mistake: its kata fails, and the diagnosis from the stored prints names exactly it."""
    problems = []
    for m in ms:
        results = runs.get(m.id, [])
        mine = [r for r in results if r["kata"] == m.kata]
        if not mine:
            problems.append(f"{m.id}: no test of {m.kata} ran")
            continue
        if all(r["outcome"] == "passed" for r in mine):
            problems.append(f"{m.id}: every test of {m.kata} passes: the mistake is not caught")
            continue
        if any((r["failure"] or {}).get("kind") in ("todo", "import") for r in mine):
            problems.append(f"{m.id}: fails with a stub or an import error, not as a mistake")
            continue
        d = diagnosis.diagnose(results, m.kata, stored.get(m.kata, []))
        if d is None or not d["exact"]:
            twins = [o["id"] for o in stored.get(m.kata, []) if o["id"] != m.id
                     and o["tests"] == dict(sorted(diagnosis.prints_of(results, m.kata).items()))]
            why = f" (it fails exactly as {', '.join(twins)})" if twins else ""
            problems.append(f"{m.id}: the diagnosis names {d['id'] if d else 'nothing'}{why}")
        elif d["id"] != m.id:
            problems.append(f"{m.id}: the diagnosis names {d['id']} instead")
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="dlkata mistakes", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*")
    p.add_argument("--check", action="store_true", help="prove every mistake is diagnosed; fail on drift")
    args = p.parse_args(argv)
    start = time.perf_counter()
    chs = args.chapters or chapters()
    problems: list[str] = []
    n = 0
    all_ms = {ch: load(ch) for ch in chs}
    for ch, ms in all_ms.items():
        problems += lint(ms)
    if problems:
        print("\n".join(problems))
        return 1
    runs = run([m for ms in all_ms.values() for m in ms])
    for ch, ms in all_ms.items():
        n += len(ms)
        text = dumps([record(m, runs.get(m.id, [])) for m in ms])
        path = prints_path(ch)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                problems.append(f"{path.relative_to(catalogue.ROOT)} drifted from {ch}'s mistakes: "
                                "run `python -m dlkata mistakes`")
            stored = diagnosis.load(path)
        else:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(catalogue.ROOT)}")
            stored = diagnosis.load(path)
        problems += check_results(ms, runs, stored)
    for line in problems:
        print(line)
    print(f"mistakes: {n} in {len(all_ms)} chapters, {len(problems)} problems ({time.perf_counter() - start:.1f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
