"""Run chapters' tests against a tree, each chapter in its own forked process.

A chapter per process keeps `ch04` (yours) and `ch04` (the reference, for chapter 5)
from meeting in one interpreter. Forking from a parent that already imported numpy
and pytest makes each run cost milliseconds, not an interpreter start.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import sys
import tempfile
from pathlib import Path

from dlkata.kata.catalogue import ROOT


def _context():
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def plugin_objects(*more) -> list:
    """The plugins a chapter's run uses, as modules for pytest.main(plugins=...): named with -p
    (or in conftest.py's pytest_plugins), pytest looks each up among the installed packages'
    entry points first, about 15 ms apiece on every run."""
    import pytest_check.plugin

    from dlkata.runner import plugin
    return [pytest_check.plugin, plugin, *more]


def _pytest_args(impl: str, chapter: str, out: Path, own_earlier: bool, verbose: bool,
                 extra: tuple[str, ...] = ()) -> list[str]:
    args = [f"tests/{chapter}", f"--impl={impl}", f"--chapters={chapter}", f"--dlkata-out={out}",
            "-p", "no:cacheprovider",
            # A file that does not import must not stop the other files' katas.
            "--continue-on-collection-errors", *extra]
    if own_earlier:
        args.append("--own-earlier")
    if not verbose:
        args += ["-p", "no:terminal", "-p", "no:logging"]  # nobody reads either without V=1
    return args


def _enter(verbose: bool) -> None:
    """What every chapter's child does first: the repository as the folder, no plugin discovery
    (it costs more than the tests), and without V=1 nowhere to print."""
    os.chdir(ROOT)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    if not verbose:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)


def _read(out: Path) -> list[dict]:
    return json.loads(out.read_text(encoding="utf-8")) if out.exists() else []


def run_chapter(impl: str, chapter: str, own_earlier: bool = False, verbose: bool = False,
                extra: tuple[str, ...] = ()) -> list[dict]:
    """Run tests/<chapter> on impl in this process (call it in a child) and return the results."""
    import pytest

    _enter(verbose)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.json"
        pytest.main(_pytest_args(impl, chapter, out, own_earlier, verbose, extra), plugins=plugin_objects())
        sys.stdout.flush()
        return _read(out)


class Prepared:
    """A chapter's run forked ahead of time (for make watch): the child has already parsed
    pytest's options and loaded its plugins, and waits; start() lets it collect and run the
    tests, so a save costs only the tests themselves. A Prepared runs once."""

    def __init__(self, impl: Path | str, chapter: str, own_earlier: bool = False):
        self.chapter = chapter
        self._dir = tempfile.TemporaryDirectory(prefix="dlkata-watch-")
        self._out = Path(self._dir.name) / "results.json"
        go_r, self._go = os.pipe()
        # Ctrl-C reaches the whole foreground group: it is the watcher's to handle, never a
        # waiting child's (which would print a KeyboardInterrupt traceback, even mid-fork).
        # SIGINT stays blocked across the fork; the child ignores it before unblocking.
        sigint = {signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, sigint)
        self._pid = -1
        try:
            self._pid = os.fork()
        finally:
            if self._pid != 0:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, sigint)
        if self._pid == 0:  # the child: prepare, wait for the word, run, leave
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, sigint)
            os.close(self._go)
            code = 1
            try:
                code = _prepared_child(go_r, str(impl), chapter, self._out, own_earlier)
            finally:
                os._exit(code)
        os.close(go_r)

    def start(self) -> None:
        """Let the child collect and run the tests."""
        os.write(self._go, b"g")
        os.close(self._go)

    def results(self) -> list[dict]:
        """Wait for the started run and return its results."""
        os.waitpid(self._pid, 0)
        try:
            return _read(self._out)
        finally:
            self._dir.cleanup()

    def run(self) -> list[dict]:
        self.start()
        return self.results()

    def close(self) -> None:
        """Let the waiting child go without running anything."""
        try:
            os.close(self._go)
            os.waitpid(self._pid, 0)
        except OSError:
            pass
        self._dir.cleanup()


def _prepared_child(go: int, impl: str, chapter: str, out: Path, own_earlier: bool) -> int:
    import pytest
    from _pytest import config as pytest_config

    import pdb  # noqa: F401  - pytest's debugging plugin imports it on every run
    _enter(verbose=False)
    args = _pytest_args(impl, chapter, out, own_earlier, verbose=False)
    # Building and rewriting the test files' code does not depend on the learner's files: do
    # it now (it is redone on every run where Python writes no bytecode caches).
    prerewrite(chapter)
    prepare = getattr(pytest_config, "_prepareconfig", None)  # pytest's own first step of main()
    config = prepare(args, plugin_objects()) if prepare else None
    if os.read(go, 1) != b"g":
        return 0  # closed: nothing to run
    if config is None:
        pytest.main(args, plugins=plugin_objects())
        return 0
    try:
        config.hook.pytest_cmdline_main(config=config)
    finally:
        config._ensure_unconfigure()
    return 0


_REWRITTEN: dict = {}     # (file, size, mtime) -> what pytest's _rewrite_test returned for it


def _stat_key(fn) -> tuple | None:
    try:
        st = os.stat(fn)
    except OSError:
        return None
    return str(fn), st.st_size, st.st_mtime_ns


def prerewrite(chapter: str) -> None:
    """Rewrite the chapter's test files' asserts now, once per process: pytest's import hook
    (in this process or a fork of it) then takes the code from here, for the same file with
    the same size and time, instead of rewriting and compiling it again on every run where
    Python writes no bytecode caches (PYTHONDONTWRITEBYTECODE)."""
    from _pytest.assertion import rewrite
    original = getattr(rewrite._rewrite_test, "__wrapped__", rewrite._rewrite_test)
    if rewrite._rewrite_test is original:
        def cached(fn, config):
            k = _stat_key(fn)
            return _REWRITTEN[k] if k in _REWRITTEN else original(fn, config)
        cached.__wrapped__ = original
        rewrite._rewrite_test = cached
    for fn in sorted((ROOT / "tests" / chapter).glob("*.py")):
        k = _stat_key(fn)
        if k is not None and k not in _REWRITTEN:
            try:
                _REWRITTEN[k] = original(fn, None)
            except Exception:  # noqa: BLE001 - pytest will meet and report it itself
                pass


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
    import numpy as np
    import numpy.random  # noqa: F401  - every test draws from it; imported lazily otherwise
    import pytest  # noqa: F401
    import pytest_check  # noqa: F401

    import importlib

    from _pytest.config import default_plugins
    for name in ("python", "fixtures", "terminal", *default_plugins):  # pytest imports these on every run
        try:
            importlib.import_module(f"_pytest.{name}")
        except ImportError:
            pass

    from dlkata import testing
    e = np.arange(1.0, 7.0).reshape(2, 3)
    testing.explain(e * 2, e), testing.explain(e[::-1], e), testing.fingerprint("", "", e)  # numpy's first calls

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
