"""Benchmark: `make watch ch05`, from saving a file to the verdict on screen.

Rerun from the repository root:

    PYTHONPATH=. .venv/bin/python bench/watch_latency.py [--chapter ch05] [-n 20] [--pause 1.5] [--baseline]

A temporary copy of exercises/ gets the reference's code for the chapter; `python -m dlkata
watch <chapter>` runs on it with its output piped here. Each trial saves the chapter's first
file with one kata broken (a wrong return value), or back as it was, in turn; the latency is
the time from the end of that write to the arrival of the report's summary line whose count
of done katas matches the saved code, all done or not (the report is written in one piece,
so the summary line's arrival is the verdict's). Between saves the script waits --pause
seconds, as a learner reading the report would.

"run alone" is the run of one save by itself, its wall and its CPU time: on a loaded
machine the CPU time says what an idle core would take. With --baseline the same trials
also run against the watcher without its runs forked ahead (`--cold`) and with its former
poll of twice a second, to show what the preparation and the tight poll save. The
machine's load average is printed before and after: on a shared machine the numbers move
with it.
"""
from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dlkata.kata import catalogue, sources  # noqa: E402

SUMMARY = re.compile(r"^(\d+) katas: (\d+) done")


def broken_variant(path: Path, kata) -> str:
    """The file with the kata's first return statement returning None instead."""
    text = path.read_text(encoding="utf-8")
    seg = sources.segment(text, kata.symbols[0])
    return text.replace(seg, seg.replace("return ", "return None if True else ", 1))


def trial_set(chapter: str, n: int, pause: float, extra: list[str]) -> tuple[list[float], list[float]]:
    cat = catalogue.load()
    katas = cat.katas_of(chapter)
    with tempfile.TemporaryDirectory(prefix="dlkata-bench-") as tmp:
        tree = Path(tmp) / "mine"
        shutil.copytree(ROOT / "exercises", tree, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.rmtree(tree / chapter)
        shutil.copytree(ROOT / "solutions" / chapter, tree / chapter, ignore=shutil.ignore_patterns("__pycache__"))
        target = tree / katas[0].path
        good = target.read_text(encoding="utf-8")
        bad = broken_variant(target, katas[0])
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DLKATA_LANG": "en", "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen([sys.executable, "-m", "dlkata", "watch", chapter, "--impl", str(tree), *extra],
                                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put((time.perf_counter(), ln)) for ln in proc.stdout],
                         daemon=True).start()

        def summary(after: float, broken: bool | None, timeout: float = 60) -> tuple[float, int, float]:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                try:
                    at, line = lines.get(timeout=0.5)
                except queue.Empty:
                    continue
                m = SUMMARY.match(line)
                if m and at >= after and (broken is None or (int(m.group(2)) < all_done) == broken):
                    secs = re.search(r"\(([\d.]+) s\)", line)
                    return at, int(m.group(2)), float(secs.group(1)) if secs else float("nan")
            raise SystemExit(f"no verdict within {timeout} s")

        latencies, runs = [], []
        try:
            all_done = len(katas)
            summary(0.0, None)
            time.sleep(pause)
            for i in range(n):
                broken = i % 2 == 0
                target.write_text(bad if broken else good, encoding="utf-8")
                saved = time.perf_counter()
                at, _, run = summary(saved, broken)
                latencies.append(at - saved)
                runs.append(run)
                time.sleep(pause)
        finally:
            proc.stdin.write("q\n")
            proc.stdin.flush()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return latencies, runs


def run_phase(chapter: str, n: int) -> tuple[list[float], list[float]]:
    """The part of a save's latency that is the run itself: a Prepared run of the reference's
    chapter started here, its wall time and its CPU time (user + system, from /proc: what it
    would take on an idle core, whatever the load)."""
    from dlkata.runner import engine

    engine.preload()
    import dlkata.runner.plugin  # noqa: F401
    tick = os.sysconf("SC_CLK_TCK")

    def cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    walls, cpus = [], []
    for _ in range(n):
        run = engine.Prepared(ROOT / "solutions", chapter)
        time.sleep(1.0)  # prepared, as after a learner's pause
        before = cpu(run._pid)
        start = time.perf_counter()
        run.start()
        _, _, usage = os.wait4(run._pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime - before)
        run._dir.cleanup()
    return walls, cpus


def describe(name: str, xs: list[float], runs: list[float]) -> None:
    xs_sorted = sorted(xs)
    p90 = xs_sorted[max(0, round(0.9 * len(xs)) - 1)]
    print(f"{name:<10} n={len(xs):<3} median {statistics.median(xs):.3f} s  p90 {p90:.3f} s  "
          f"min {min(xs):.3f} s  max {max(xs):.3f} s   (the run as reported: median {statistics.median(runs):.2f} s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chapter", default="ch05")
    p.add_argument("-n", type=int, default=20, help="saves per watcher")
    p.add_argument("--pause", type=float, default=1.5, help="seconds between saves")
    p.add_argument("--baseline", action="store_true", help="also the watcher without runs forked ahead, polling at 0.5 s")
    a = p.parse_args()
    print(f"chapter {a.chapter}, {a.n} saves, {a.pause} s apart; {os.cpu_count()} CPUs; "
          f"Python {sys.version.split()[0]}; PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
    print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    describe("watch", *trial_set(a.chapter, a.n, a.pause, []))
    if Path("/proc/self/stat").exists():
        walls, cpus = run_phase(a.chapter, a.n)
        print(f"run alone  n={len(walls):<3} wall median {statistics.median(walls):.3f} s, "
              f"CPU median {statistics.median(cpus):.3f} s (max {max(cpus):.3f} s)")
    if a.baseline:
        describe("baseline", *trial_set(a.chapter, a.n, a.pause, ["--cold", "--interval", "0.5"]))
    print("load average after:  " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
