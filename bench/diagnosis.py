"""What the diagnosis costs a failing run: `make test chNN` on a tree with classic mistakes,
with the diagnosis on and off.

Rerun with `.venv/bin/python bench/diagnosis.py` from the repository root (`--chapters ch03 ch05`,
`--repeat 15`). For each chapter it applies one catalogued mistake per module of the chapter to the
reference (so several katas fail), then times the learner's whole run (engine.run in forked
children, status.compute, report.render) alternately with the diagnosis on and with it off
(testing.explain, testing.fingerprint and the catalogue lookup replaced by no-ops before the
fork). Prints the median wall and CPU time (this process and its children) of each, their
difference, and how many katas were diagnosed. On a busy machine trust the CPU column.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata import testing  # noqa: E402
from dlkata.dev import mistakes  # noqa: E402
from dlkata.kata import catalogue  # noqa: E402
from dlkata.runner import engine, report, status  # noqa: E402


def mistake_tree(chapter: str, dest: Path) -> list[str]:
    """The reference with the first catalogued mistake of each module of the chapter."""
    cat = catalogue.load()
    shutil.copytree(ROOT / "solutions", dest, ignore=shutil.ignore_patterns("__pycache__"))
    chosen, seen = [], set()
    for m in mistakes.load(chapter):
        path = cat.by_id[m.kata].path
        if path not in seen:
            seen.add(path)
            (dest / path).write_text(mistakes.apply(m), encoding="utf-8")
            chosen.append(m.id)
    return chosen


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def one_run(tree: Path, chapter: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process and its children, katas diagnosed)."""
    cat = catalogue.load()
    start, cpu = time.perf_counter(), _cpu()
    results = engine.run(tree, [chapter])
    states = status.compute(results, cat, [chapter])
    report.render(states, cat, [chapter], [k.id for k in cat.katas_of(chapter)])
    return time.perf_counter() - start, _cpu() - cpu, sum(st.diagnosis is not None for st in states.values())


class Off:
    """The diagnosis switched off (in this process and the children it forks)."""

    def __enter__(self):
        self.saved = testing.explain, testing.fingerprint, status.mistakes_of
        testing.explain = lambda *a, **k: []
        testing.fingerprint = lambda *a, **k: ""
        status.mistakes_of = lambda chapter: {}

    def __exit__(self, *exc):
        testing.explain, testing.fingerprint, status.mistakes_of = self.saved


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chapters", nargs="*", default=["ch03", "ch05", "ch06", "ch07"])
    p.add_argument("--repeat", type=int, default=11)
    args = p.parse_args(argv)
    engine.preload()
    print(f"{'chapter':8} {'mistakes':>8} {'diagnosed':>9}   wall on / off / extra (median)   "
          f"CPU on / off / extra (median)")
    with tempfile.TemporaryDirectory() as tmp:
        for ch in args.chapters:
            tree = Path(tmp) / ch
            chosen = mistake_tree(ch, tree)
            one_run(tree, ch)  # warm the file cache
            on, off, diagnosed = [], [], 0
            for _ in range(args.repeat):
                wall, cpu, diagnosed = one_run(tree, ch)
                on.append((wall, cpu))
                with Off():
                    off.append(one_run(tree, ch)[:2])
            w1, w0 = (statistics.median(r[0] for r in rs) * 1000 for rs in (on, off))
            c1, c0 = (statistics.median(r[1] for r in rs) * 1000 for rs in (on, off))
            print(f"{ch:8} {len(chosen):8} {diagnosed:9}   {w1:6.0f} / {w0:6.0f} / {w1 - w0:+5.0f} ms"
                  f"          {c1:6.0f} / {c0:6.0f} / {c1 - c0:+5.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
