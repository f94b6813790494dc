"""Benchmark: grading K synthetic submissions of one chapter with the sandboxed engine.

Rerun from the repository root (as root on Linux for the full sandbox):

    .venv/bin/python bench/grading.py [--chapter ch02] [-k 20] [--jobs 1,2] [--baseline]

The submissions are made from the reference: the whole reference, the untouched stubs,
and the reference with one kata stubbed (cycling through the chapter's katas), so
every kind of result occurs. Each --jobs value grades all K in a fresh run of
`grade_many` (zygotes, one worker per kata, forked graders); the table gives the wall
time, seconds per submission and the speed-up over the first --jobs value. With
--baseline, the same submissions also go through the unsandboxed runner of `make test`
(one forked process per submission, tests and student code in one interpreter), to
show what the isolation costs. The scores of every run must agree, or the script
says so and exits 1.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata import catalogue, engine, generate, status  # noqa: E402
from dlkata.sandbox import grade, jail, remote  # noqa: E402


def make_submissions(chapter: str, k: int, dest: Path) -> list[grade.Submission]:
    cat = catalogue.load()
    katas = [kt.id for kt in cat.katas_of(chapter)]
    subs = []
    for i in range(k):
        d = dest / f"s{i:03d}"
        if i % (len(katas) + 2) == 0:
            shutil.copytree(ROOT / "solutions" / chapter, d / chapter)
        elif i % (len(katas) + 2) == 1:
            shutil.copytree(ROOT / "exercises" / chapter, d / chapter)
        else:
            generate.write_tree(d, only={katas[i % (len(katas) + 2) - 2]}, chapters={chapter})
        subs.append(grade.Submission(d.name, d))
    return subs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapter", default="ch02")
    ap.add_argument("-k", type=int, default=20, help="number of submissions")
    ap.add_argument("--jobs", default=f"1,{os.cpu_count() or 1}", help="comma-separated parallel graders to time")
    ap.add_argument("--baseline", action="store_true", help="also time the unsandboxed runner of make test")
    ap.add_argument("--mode", default="auto", choices=["auto", "root", "userns", "plain"])
    args = ap.parse_args()
    mode = jail.available_mode(args.mode)
    tmp = Path(tempfile.mkdtemp(prefix="dlkata-bench-"))
    try:
        subs = make_submissions(args.chapter, args.k, tmp)
        print(f"{args.k} synthetic submissions of {args.chapter} "
              f"({len(catalogue.load().katas_of(args.chapter))} katas), sandbox mode {mode}, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        rows, scores = [], {}
        for jobs in [int(j) for j in args.jobs.split(",")]:
            start = time.perf_counter()
            res = grade.grade_many(subs, args.chapter, jobs=jobs, mode=mode, progress=False,
                                   limits=remote.Limits(wall=60))
            wall = time.perf_counter() - start
            scores[f"sandbox -j{jobs}"] = {n: r["score"] for n, r in res.items()}
            rows.append((f"sandbox, {jobs} parallel", wall))
        if args.baseline:
            cat = catalogue.load()
            start = time.perf_counter()
            base = {}
            for s in subs:
                states = status.compute(engine.run(s.path, [args.chapter]), cat, [args.chapter])
                base[s.name] = sum(kt.points for kt in cat.katas_of(args.chapter)
                                   if states[kt.id].status == status.DONE)
            rows.append(("make test runner (no isolation), serial", time.perf_counter() - start))
            scores["make test"] = base
        first = rows[0][1]
        print(f"{'engine':<44}{'wall s':>9}{'s / submission':>16}{'speed-up':>10}")
        for name, wall in rows:
            print(f"{name:<44}{wall:>9.2f}{wall / args.k:>16.3f}{first / wall:>10.2f}")
        ref = next(iter(scores.values()))
        bad = [name for name, sc in scores.items() if sc != ref]
        total = sum(ref.values())
        print(f"scores: {total} points over {args.k} submissions" +
              (f"; DISAGREE: {', '.join(bad)}" if bad else "; every run agrees"))
        return 1 if bad else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
