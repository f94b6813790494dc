"""`make progress`: every chapter and kata with its state, a bar per chapter and overall, what to do next.

Fast enough to run after every save: each chapter's results are kept in
.dlkata/progress.json under a key made of the size and modification time of
every file the run depends on (the chapter in your tree, its tests, the
reference, the tooling, the catalogue). Only chapters whose key changed run
again; chapters without tests do not run at all.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dlkata.kata import catalogue
from dlkata.runner import engine, report, status as S
from dlkata.kata.catalogue import ROOT, Catalogue
from dlkata.i18n import pick, t

CACHE_VERSION = 1
BAR = 20


def _stats(base: Path, pattern: str = "*.py") -> list[str]:
    if base.is_file():
        files = [base]
    elif base.is_dir():
        files = sorted(p for p in base.rglob(pattern) if "__pycache__" not in p.parts)
    else:
        return [f"{base}: none"]
    out = []
    for p in files:
        st = p.stat()
        out.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
    return out


def _common_key() -> list[str]:
    return [*_stats(ROOT / "dlkata"), *_stats(ROOT / "solutions"), *_stats(ROOT / "catalogue.toml"),
            *_stats(ROOT / "conftest.py"), *_stats(ROOT / "pyproject.toml"), *_stats(ROOT / "tests", "conftest.py")]


def chapter_key(impl: Path, chapter: str, own: bool, common: list[str]) -> str:
    parts = [str(CACHE_VERSION), str(impl), str(own), *common,
             *_stats(ROOT / "tests" / chapter), *(_stats(impl) if own else _stats(impl / chapter))]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def has_tests(chapter: str) -> bool:
    return any((ROOT / "tests" / chapter).glob("test_*.py"))


def results(impl: Path, chapters: list[str], own: bool = False, fresh: bool = False,
            cache_file: Path | None = None) -> tuple[list[dict], list[str]]:
    """Per-test results of every chapter, and the chapters that had to run."""
    cache_file = cache_file or ROOT / ".dlkata" / "progress.json"
    try:
        cache = {} if fresh else json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    common = _common_key()
    keys = {ch: chapter_key(impl, ch, own, common) for ch in chapters}
    todo = [ch for ch in chapters if has_tests(ch) and cache.get(ch, {}).get("key") != keys[ch]]
    if todo:
        fresh_results = engine.run(impl, todo, own_earlier=own)
        for ch in todo:
            cache[ch] = {"key": keys[ch], "results": [r for r in fresh_results
                                                      if (r["kata"] or "").startswith(ch + ".")]}
        try:
            cache_file.parent.mkdir(exist_ok=True)
            cache_file.write_text(json.dumps(cache), encoding="utf-8")
        except OSError:
            pass  # a read-only tree still gets its progress, just not cached
    out = [r for ch in chapters if has_tests(ch) for r in cache[ch]["results"]]
    return out, todo


def bar(done: int, total: int, width: int = BAR) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def next_kata(states: dict[str, S.KataState], cat: Catalogue) -> S.KataState | None:
    """The first kata in the book's order that has tests and is not done."""
    return next((states[k.id] for k in cat.katas if k.id in states
                 and states[k.id].status not in (S.DONE, S.NOTEST)), None)


def render(states: dict[str, S.KataState], cat: Catalogue, seconds: float, impl_label: str) -> list[str]:
    lines: list[str] = []
    width = report.label_width(states.values())
    for ch in cat.chapter_ids():
        katas = cat.katas_of(ch)
        head = f"{ch}  {pick(cat.chapter(ch).title)}"
        if not katas:
            lines += [f"{report._pad(head, 44)} {t('p_no_katas')}", ""]
            continue
        done = sum(states[k.id].status == S.DONE for k in katas)
        lines.append(f"{report._pad(head, 44)} {bar(done, len(katas))} {done}/{len(katas)}")
        lines += [report.kata_line(states[k.id], width) for k in katas]
        lines.append("")
    for group in report.broken_groups(list(states.values())):
        lines += report.broken_lines(group)
        lines.append("")
    total = len(cat.katas)
    done = sum(st.status == S.DONE for st in states.values())
    points = sum(k.points for k in cat.katas)
    got = sum(k.points for k in cat.katas if states[k.id].status == S.DONE)
    lines.append(f"{report._pad(t('p_overall'), 44)} {bar(done, total)} {done}/{total}  "
                 + t("p_points", got=got, points=points, pct=round(100 * done / total) if total else 0))
    nxt = next_kata(states, cat)
    if nxt is None:
        lines.append(t("all_done") if done == total and total else t("p_nothing_next"))
    else:
        k = nxt.kata
        if nxt.status == S.TODO:
            lines.append(t("start_here", id=k.id, title=pick(k.title), path=f"{impl_label}/{k.path}",
                           section=k.section))
        else:
            lines.append(t("p_continue", id=k.id, title=pick(k.title), state=report.label(nxt),
                           chapter=k.chapter))
    c = S.counts(states)
    lines.append(t("p_summary", done=c[S.DONE], failing=c[S.FAILING], todo=c[S.TODO], blocked=c[S.BLOCKED],
                   broken=c[S.BROKEN], notest=c[S.NOTEST], secs=seconds))
    return lines


def impl_label(impl: Path) -> str:
    try:
        return str(impl.relative_to(ROOT))
    except ValueError:
        return str(impl)


def main(impl: Path, own: bool = False, fresh: bool = False) -> tuple[list[str], dict[str, S.KataState]]:
    import time

    start = time.perf_counter()
    cat = catalogue.load()
    chapters = cat.chapter_ids()
    res, _ = results(impl, chapters, own, fresh)
    states = S.compute(res, cat, chapters)
    return render(states, cat, time.perf_counter() - start, impl_label(impl)), states
