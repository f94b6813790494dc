"""A chapter's pytest run, configured once in the grading process and run in each forked grader.

pytest's first step (parse the options, load the plugins and conftest files: 40-80 ms,
twice that on a CPU the grader has just moved to) does not depend on the submission, so
`prepare` does it once per process and chapter; each grader, forked afterwards, runs its
own copy with `run`, given only what is its own (the results file, the temporary folder,
the katas of a second pass). The prepared configuration is never configured here: only in
the forked copies, which end after one run.
"""
from __future__ import annotations

import functools
import os
import sys

from dlkata.kata.catalogue import ROOT
from dlkata.runner.engine import plugin_objects


@functools.cache
def prepare(chapter: str, debug: bool = False):
    """The configuration of tests/<chapter>'s grading run (made on the first call)."""
    from _pytest.assertion import assertstate_key
    from _pytest.config import _prepareconfig

    from dlkata.sandbox import plugin
    # Absolute paths: this process's folder is the caller's, not the repository. No output
    # capture (it would keep this process's stdout to restore in every grader); no logging
    # capture, no cache, no plugins but ours (entry-point autoloading costs 0.3 s).
    args = [str(ROOT / "tests" / chapter), f"--rootdir={ROOT}", f"--chapters={chapter}",
            "--capture=no", "--disable-plugin-autoload",
            "-p", "no:cacheprovider", "-p", "no:logging"]
    args += ["-q"] if debug else ["-p", "no:terminal"]
    hooks = list(sys.meta_path)
    config = _prepareconfig(args, plugin_objects(plugin))
    # pytest's import hook (it rewrites the tests' asserts) serves the graders only, never this
    # process: each grader puts it back (run).
    sys.meta_path[:] = [h for h in sys.meta_path if h in hooks]
    state = config.stash.get(assertstate_key, None)
    config._dlkata_hook = state.hook if state is not None else None
    return config


def run(config, *, impl: str, out: str, basetemp: str, slow: bool, katas: frozenset[str] | None) -> None:
    """Run the prepared configuration (in a forked grader, once)."""
    o = config.option
    o.impl, o.dlkata_out, o.basetemp, o.slow = impl, out, basetemp, slow
    o.dlkata_katas = ",".join(sorted(katas)) if katas else None
    if config._dlkata_hook is not None:
        sys.meta_path.insert(0, config._dlkata_hook)
    os.environ["PYTEST_VERSION"] = __import__("pytest").__version__
    try:
        config.hook.pytest_cmdline_main(config=config)
    finally:
        config._ensure_unconfigure()
