"""Grading on a Dask cluster: throughput with 1 and 2 worker processes, overhead against one machine.

    PYTHONPATH=. .venv/bin/python bench/cluster.py [--chapter ch02] [-n 8]

N copies of the reference of a chapter (folder submissions, training checks included as
`make autograde` runs them) are graded four ways: on this machine with 1 and with 2 parallel
graders (dlkata.sandbox.grade), and through a real Dask scheduler on 127.0.0.1 with 1 and
with 2 worker processes (--nworkers 1 --nthreads 1 each; dlkata.sandbox.cluster). Reports
submissions per minute, the cluster's overhead per submission against one grader, and what
10,000 submissions in an hour would take. The machine's load is printed with the figures:
on a shared machine they move with it.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dlkata.dev.dask_local import LocalDask  # noqa: E402
from dlkata.kata import catalogue  # noqa: E402
from dlkata.sandbox import cluster, grade  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--chapter", default="ch02")
    p.add_argument("-n", type=int, default=8, help="submissions per run")
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dlkata-bench-cluster-"))
    subs = []
    for i in range(a.n):
        d = tmp / "subs" / f"s{i:03d}"
        shutil.copytree(catalogue.ROOT / "solutions" / a.chapter, d / a.chapter,
                        ignore=shutil.ignore_patterns("__pycache__"))
        subs.append(grade.Submission(d.name, d))
    print(f"{a.n} submissions of {a.chapter} (the reference, training checks included); load before: {load()}")
    rows = {}
    try:
        for jobs in (1, 2):
            t = time.perf_counter()
            res = grade.grade_many(subs, a.chapter, jobs=jobs, progress=False, slow=True)
            rows[f"one machine, {jobs} grader(s)"] = time.perf_counter() - t
            assert all(r["score"] == r["max"] for r in res.values()), "the reference must pass"
        for workers in (1, 2):
            with LocalDask(workers, tmp / f"dask{workers}") as dask:
                client = cluster.connect(dask.address)
                try:
                    t = time.perf_counter()
                    res = cluster.grade_many(client, subs, a.chapter, progress=False, slow=True,
                                             say=lambda *_: None)
                    rows[f"Dask, {workers} worker process(es)"] = time.perf_counter() - t
                finally:
                    client.close()
                assert all(r["score"] == r["max"] for r in res.values()), "the reference must pass"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load after: {load()}")
    for name, secs in rows.items():
        print(f"  {name:<30} {secs:6.1f} s  {a.n / secs * 60:6.1f} submissions/min  {secs / a.n:5.2f} s each")
    one = rows["one machine, 1 grader(s)"] / a.n
    dask1 = rows["Dask, 1 worker process(es)"] / a.n
    print(f"cluster overhead per submission against one local grader: {dask1 - one:+.2f} s "
          f"({(dask1 / one - 1) * 100:+.0f} %)")
    slots = math.ceil(10_000 * dask1 / 3600)
    print(f"10,000 submissions in an hour at {dask1:.2f} s per submission per worker process "
          f"(this chapter, this machine's load): {slots} worker processes, i.e. {slots} cores "
          f"(~{math.ceil(slots / 32)} machines of 32 cores), plus the teacher's process, which must "
          f"prepare and record one submission in under 0.36 s (see the test's figure)")


if __name__ == "__main__":
    main()
