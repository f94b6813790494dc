"""pytest plugin of a grading run: the chapter under grading comes from a sandboxed worker.

Loaded by grade.py (`-p dlkata.sandbox.plugin`) in a trusted process forked for one
submission, next to the usual dlkata plugin (which records per-test results). It
installs the remote import hook before anything imports the chapter, starts a fresh
worker for each kata (and one for importing the modules at collection), and fails
the remaining tests of a kata at once when its worker timed out or died.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dlkata import testing
from dlkata.sandbox.errors import RemoteError, SandboxFailure
from dlkata.sandbox.proxies import install

# Set by grade.py in the forked grading process before pytest.main():
# {"session": Session, "graded": {"ch02"}}
CONTEXT: dict = {}


def _kata_of(item) -> str | None:
    m = item.get_closest_marker("kata")
    return m.args[0] if m and m.args else None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    s = CONTEXT.get("session")
    if s is None:
        raise pytest.UsageError("dlkata.sandbox.plugin is loaded by dlkata.sandbox.grade only")
    install(s, set(CONTEXT["graded"]))
    testing.SETTLE_HOOKS[:] = [s.settle]
    s.begin("collect")


def pytest_collection_modifyitems(session, config, items):
    """Hidden tests (@kata(..., hidden=True)): their failures are named, not shown."""
    hidden = CONTEXT.setdefault("hidden", set())
    for item in items:
        m = item.get_closest_marker("kata")
        if m is not None and m.kwargs.get("hidden"):
            hidden.add(item.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    s = CONTEXT["session"]
    kata = _kata_of(item) or item.nodeid
    if kata != s.label:
        s.begin(kata)
    ev = s.failed()
    if ev is not None:
        raise SandboxFailure(*ev)


def pytest_sessionfinish(session, exitstatus):
    s = CONTEXT.get("session")
    if s is not None:
        s.close()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item, call):
    yield
    if call.excinfo is not None:
        CONTEXT.setdefault("last_exc", {})[item.nodeid] = call.excinfo.value


def pytest_runtest_logreport(report):
    """Point a failure raised by the student's code at their line, not at the proxy."""
    if not report.failed or report.when not in ("setup", "call"):
        return
    from dlkata.runner import plugin as kata_plugin
    config = kata_plugin._CONFIG[0]
    results = config.stash[kata_plugin.RESULTS] if config is not None else []
    if not results or results[-1]["nodeid"] != report.nodeid:
        return
    exc = CONTEXT.get("last_exc", {}).pop(report.nodeid, None)
    f = results[-1].get("failure")
    if isinstance(exc, RemoteError) and f and f.get("kind") == "error":
        f["where"] = exc.where.replace("/sub/", "")
        f["source"] = exc.source
        if not f.get("in"):   # which kata's code raised it (what make test's plugin finds from the frame)
            f["in"] = _owner_at(f["where"])
    elif isinstance(exc, SandboxFailure) and f and f.get("kind") == "error":
        f["where"], f["source"] = "", ""


def _owner_at(where: str) -> str | None:
    """The kata whose symbols hold `chNN/module.py:LINE in fn` of the student's staged code."""
    from dlkata.kata import catalogue
    from dlkata.kata.sources import symbol_at
    session = CONTEXT.get("session")
    path, _, rest = where.partition(":")
    line = rest.split(" ", 1)[0]
    if session is None or not path.endswith(".py") or ".." in path or not line.isdigit():
        return None
    try:
        text = (Path(session.spec.stage) / path).read_text(encoding="utf-8")
        symbol = symbol_at(text, int(line))
    except (OSError, ValueError, SyntaxError, RecursionError):
        return None
    kata = catalogue.load().owner(path[:-3].replace("/", "."), symbol) if symbol else None
    return kata.id if kata else None
