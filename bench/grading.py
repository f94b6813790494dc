"""Benchmark: grading K synthetic submissions of one chapter with the sandboxed engine.

Rerun from the repository root (as root on Linux for the full sandbox):

    .venv/bin/python bench/grading.py [--chapter ch02] [-k 20] [--jobs 1,2] [--baseline] [--nbgrader]

The submissions are made from the reference: the whole reference, the untouched stubs,
and the reference with one kata stubbed (cycling through the chapter's katas), so
every kind of result occurs. Each --jobs value grades all K in a fresh run of
`grade_many` (zygotes, one worker per kata, forked graders); the table gives the wall
time, seconds per submission and the speed-up over the first --jobs value. With
--baseline, the same submissions also go through the unsandboxed runner of `make test`
(one forked process per submission, tests and student code in one interpreter), to
show what the isolation costs. With --nbgrader, the same code goes into notebooks of a
temporary nbgrader course (released from grader's generator) and is autograded twice:
by nbgrader's own `autograde` (one notebook after another, as `make autograde
ENGINE=nbgrader` does) and by the sandbox engine of `make autograde`, at each --jobs;
both write the course's gradebook, whose scores must agree. The scores of every run
must agree, or the script says so and exits 1.

    .venv/bin/python bench/grading.py --all [-k 3]     (-k 0: per chapter, one of each kind)

grades every chapter with its training checks (as `make autograde` does) three ways:
the runner of `make test SLOW=1` (no isolation), the sandbox (one grader), and, in a
course, nbgrader's own serial autograde against `make autograde` (the sandbox, one
grader per core); one row per chapter with the two ratios the sandbox must keep:
at most 3× the runner's time, at least 4× faster than nbgrader per notebook.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata.kata import catalogue, stubs
from dlkata.runner import engine, status  # noqa: E402
from dlkata.sandbox import grade, jail  # noqa: E402
from dlkata.sandbox.zygote import Limits


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
            stubs.write_tree(d, only={katas[i % (len(katas) + 2) - 2]}, chapters={chapter})
        subs.append(grade.Submission(d.name, d))
    return subs


@contextlib.contextmanager
def _no_fd2():
    """The kernels nbgrader starts write to file descriptor 2 (a warning each): not in the table."""
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def bench_course(chapter: str, subs: list, jobs_list: list[int], mode: str, tmp: Path) -> tuple[list, dict]:
    """nbgrader's autograde against the sandbox engine on the same notebooks, in a real course."""
    import contextlib
    import io

    from dlkata.classroom import commands as C
    from dlkata.classroom import notebooks
    from dlkata.classroom import autograde as SC

    course = C.Course.at(tmp / "course", tmp / "exchange")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        C.release(course, [chapter])
    released = (course.root / "release" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8")
    names = []
    for sub in subs:
        nb = notebooks.fill_notebook(notebooks.loads(released), sub.path, chapter)
        d = course.root / "submitted" / sub.name / chapter
        d.mkdir(parents=True)
        (d / f"{chapter}.ipynb").write_text(notebooks.dumps(nb), encoding="utf-8")
        (d / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC", encoding="utf-8")
        names.append(sub.name)
    rows, scores = [], {}
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), _no_fd2():
        graded = C.autograde_nbgrader(course, chapter, names)
    rows.append(("nbgrader autograde, serial", time.perf_counter() - start))
    if not all(g.ok for g in graded):
        print("nbgrader failed on: " + ", ".join(g.student for g in graded if not g.ok))
    scores["nbgrader autograde"] = {n: v[0] for n, v in C.scores(course, chapter, names).items()}
    for jobs in jobs_list:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            # all-or-nothing, as the runner and nbgrader's autograde score a kata blocked by a
            # stub (make autograde's default grades it again on the reference: other scores)
            SC.autograde(course, chapter, names, jobs=jobs, mode=mode, progress=False, dependents="zero")
        rows.append((f"make autograde (sandbox), {jobs} parallel", time.perf_counter() - start))
        scores[f"sandbox autograde -j{jobs}"] = {n: v[0] for n, v in C.scores(course, chapter, names).items()}
    return rows, scores


def cycle(chapter: str) -> int:
    """Submissions in one turn of make_submissions: the reference, the stubs, each kata stubbed once."""
    return len(catalogue.load().katas_of(chapter)) + 2


def bench_all(k: int, mode: str) -> int:
    """Every chapter, training checks included: runner, sandbox, nbgrader autograde, make autograde."""
    import contextlib
    import io

    cat = catalogue.load()
    jobs = os.cpu_count() or 1
    print(f"every chapter, {k or 'katas + 2'} synthetic submissions each, training checks included; sandbox mode {mode}, "
          f"{jobs} cores, load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'chapter':<8}{'runner s':>10}{'sandbox s':>11}{'× runner':>10}{'nbgrader s':>12}"
          f"{'autograde s':>13}{'× faster':>10}{'  load':>7}  (seconds per submission)")
    bad = []
    os.environ["DLKATA_SLOW"] = "1"     # the runner's forked children read it: make test SLOW=1
    for ch in [c for c in cat.chapter_ids() if cat.katas_of(c)]:
        tmp = Path(tempfile.mkdtemp(prefix=f"dlkata-bench-{ch}-"))
        try:
            n = k or cycle(ch)
            subs = make_submissions(ch, n, tmp)
            start = time.perf_counter()
            base = {}
            for s in subs:
                states = status.compute(engine.run(s.path, [ch]), cat, [ch])
                base[s.name] = sum(kt.points for kt in cat.katas_of(ch) if states[kt.id].status == status.DONE)
            runner = (time.perf_counter() - start) / n
            start = time.perf_counter()
            res = grade.grade_many(subs, ch, jobs=1, mode=mode, progress=False, slow=True)
            sandbox = (time.perf_counter() - start) / n
            sand = {n: r["score"] for n, r in res.items()}
            with contextlib.redirect_stdout(io.StringIO()):
                rows, scores = bench_course(ch, subs, [jobs], mode, tmp / "nbgrader")
            nbg = rows[0][1] / n
            auto = rows[1][1] / n
            want = {n: float(v) for n, v in base.items()}
            differ = [name for name, sc in [("sandbox", sand), *scores.items()]
                      if {n: float(v) for n, v in sc.items()} != want]
            agree = not differ
            if not agree:
                bad.append(ch)
            print(f"{ch:<8}{runner:>10.2f}{sandbox:>11.2f}{sandbox / runner:>10.1f}{nbg:>12.2f}{auto:>13.2f}"
                  f"{nbg / auto:>10.1f}{os.getloadavg()[0]:>7.1f}" + (f"  SCORES DISAGREE with the runner: {', '.join(differ)}" if not agree else ""),
                  flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("targets: sandbox at most 3× the runner; make autograde at least 4× faster than nbgrader per notebook")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapter", default="ch02")
    ap.add_argument("-k", type=int, default=20,
                    help="number of submissions (0: one of each kind, as many as the chapter's katas + 2)")
    ap.add_argument("--jobs", default=f"1,{os.cpu_count() or 1}", help="comma-separated parallel graders to time")
    ap.add_argument("--baseline", action="store_true", help="also time the unsandboxed runner of make test")
    ap.add_argument("--nbgrader", action="store_true",
                    help="also autograde the same code as notebooks: nbgrader's autograde against the sandbox's")
    ap.add_argument("--mode", default="auto", choices=["auto", "root", "userns", "plain"])
    ap.add_argument("--all", action="store_true", help="every chapter with its training checks (see above)")
    args = ap.parse_args()
    mode = jail.available_mode(args.mode)
    if args.all:
        return bench_all(args.k if args.k != 20 else 3, mode)
    # Every engine runs the same tests: the training checks too, as a notebook's test cells do.
    os.environ["DLKATA_SLOW"] = "1"
    tmp = Path(tempfile.mkdtemp(prefix="dlkata-bench-"))
    try:
        args.k = args.k or cycle(args.chapter)
        subs = make_submissions(args.chapter, args.k, tmp)
        print(f"{args.k} synthetic submissions of {args.chapter} "
              f"({len(catalogue.load().katas_of(args.chapter))} katas), sandbox mode {mode}, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        rows, scores = [], {}
        for jobs in [int(j) for j in args.jobs.split(",")]:
            start = time.perf_counter()
            res = grade.grade_many(subs, args.chapter, jobs=jobs, mode=mode, progress=False,
                                   limits=Limits(wall=60), slow=True)
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
        if args.nbgrader:
            jobs_list = [int(j) for j in args.jobs.split(",")]
            more_rows, more_scores = bench_course(args.chapter, subs, jobs_list, mode, tmp / "nbgrader")
            rows += more_rows
            scores.update({k: {n: float(v) for n, v in sc.items()} for k, sc in more_scores.items()})
        first = rows[0][1]
        print(f"{'engine':<44}{'wall s':>9}{'s / submission':>16}{'speed-up':>10}")
        for name, wall in rows:
            print(f"{name:<44}{wall:>9.2f}{wall / args.k:>16.3f}{first / wall:>10.2f}")
        if args.nbgrader:
            nb_wall = next(w for n, w in rows if n.startswith("nbgrader"))
            print("against nbgrader autograde: " + ", ".join(
                f"{n.split(', ')[-1]} {nb_wall / w:.1f}×" for n, w in rows if n.startswith("make autograde")))
        ref = {n: float(v) for n, v in next(iter(scores.values())).items()}
        bad = [name for name, sc in scores.items() if {n: float(v) for n, v in sc.items()} != ref]
        total = sum(ref.values())
        print(f"scores: {total} points over {args.k} submissions" +
              (f"; DISAGREE: {', '.join(bad)}" if bad else "; every run agrees"))
        return 1 if bad else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
