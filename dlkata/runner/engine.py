"""Run chapters' tests against a tree, each chapter in its own forked process.

A chapter per process keeps `ch04` (yours) and `ch04` (the reference, for chapter 5)
from meeting in one interpreter. Forking from a parent that already imported numpy
and pytest makes each run cost milliseconds, not an interpreter start.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import tempfile
from pathlib import Path

from dlkata.kata.catalogue import ROOT


def _context():
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def run_chapter(impl: str, chapter: str, own_earlier: bool = False, verbose: bool = False,
                extra: tuple[str, ...] = ()) -> list[dict]:
    """Run tests/<chapter> on impl in this process (call it in a child) and return the results."""
    import pytest

    os.chdir(ROOT)
    # Entry-point plugin discovery costs more than the tests; name the one we use.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        args = [f"tests/{chapter}", f"--impl={impl}", f"--chapters={chapter}", f"--dlkata-out={out}",
                "-p", "pytest_check.plugin", "-p", "no:cacheprovider", *extra]
        if own_earlier:
            args.append("--own-earlier")
        if not verbose:
            args += ["-p", "no:terminal"]
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
        pytest.main(args)
        sys.stdout.flush()
        return json.loads(out.read_text(encoding="utf-8")) if out.exists() else []


def _job(job: tuple) -> list[dict]:
    return run_chapter(*job)


def run(impl: Path | str, chapters: list[str], own_earlier: bool = False, verbose: bool = False,
        workers: int | None = None) -> list[dict]:
    """Results of every chapter, in chapter order."""
    preload()
    jobs = [(str(impl), ch, own_earlier, verbose) for ch in chapters]
    if verbose or len(jobs) == 1 and _context().get_start_method() != "fork":
        return [r for job in jobs for r in _isolated(job)]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    with _context().Pool(workers, maxtasksperchild=1) as pool:
        return [r for rs in pool.map(_job, jobs, chunksize=1) for r in rs]


def _isolated(job: tuple) -> list[dict]:
    with _context().Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_job, (job,))


def preload() -> None:
    """Import and load once in the parent what every forked child would otherwise redo."""
    import numpy  # noqa: F401
    import pytest  # noqa: F401
    import pytest_check  # noqa: F401

    import _pytest.python  # noqa: F401  - pytest's collection machinery, imported lazily otherwise
    import _pytest.fixtures  # noqa: F401
    import _pytest.terminal  # noqa: F401

    from dlkata.kata import catalogue
    from dlkata.data import digits
    catalogue.load()
    digits._raw()
    import gc
    gc.freeze()  # children's collections (pytest runs some) then skip everything loaded so far


def map_isolated(fn, items: list, workers: int | None = None) -> list:
    """fn(item) for each item, each in a fresh forked process (for the self-checks)."""
    preload()
    with _context().Pool(workers or os.cpu_count() or 1, maxtasksperchild=1) as pool:
        return pool.map(fn, items, chunksize=1)
